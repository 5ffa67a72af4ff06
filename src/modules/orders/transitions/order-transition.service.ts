import { Injectable, Logger } from '@nestjs/common';
import { Prisma } from '@app/generated/prisma/client';
import { OrderStatus } from '@app/generated/prisma/enums';
import { PrismaService } from '@app/infra/prisma/prisma.service';
import { Tx } from '@app/modules/outbox/outbox.writer';
import { mapTrubitStatus } from '@app/modules/trubit/trubit-status.mapper';
import { recordOrderEvent } from '../events/order-event.recorder';
import { ORDER_VIEW_INCLUDE, toOrderView } from '../outputs/order.view';
import { transitionPath } from '../state/order-state.machine';
import { trubitStatusRank } from '../state/trubit-observation';

export interface TrubitObservation {
  trubitOrderId: string;
  orderStatus: number | string;
  hasRefund?: boolean | number | string | null;
  traclingNumber?: string | null;
  /** Where we learned it: 'callback' | 'reconcile' | … (kept in the timeline) */
  source: string;
}

export interface TransitionResult {
  orderId: string;
  from: OrderStatus;
  to: OrderStatus;
  /** Statuses actually entered (empty when nothing changed: duplicate, stale or backwards news). */
  entered: OrderStatus[];
}

/**
 * The one place an order changes status. Each change runs in a transaction that locks the order row, so
 * concurrent callbacks, reconciliation passes and partner cancels serialise; moves the state machine refuses
 * (backwards, out of terminal states, repeats) change nothing; every state entered gets its timeline entry
 * and outbox row in the same transaction.
 */
@Injectable()
export class OrderTransitionService {
  private readonly logger = new Logger('OrderTransitions');

  constructor(private readonly prisma: PrismaService) {}

  /** Applies what TruBit says about one of our orders (callback or reconciliation). */
  async applyTrubitStatus(obs: TrubitObservation): Promise<TransitionResult | null> {
    const code = Number(obs.orderStatus);
    const refund = obs.hasRefund === true || obs.hasRefund === 1 || obs.hasRefund === '1';
    const target = mapTrubitStatus(code, refund);
    return this.prisma.$transaction(async (tx) => {
      const locked = await lockOrder(tx, { trubitOrderId: obs.trubitOrderId });
      if (!locked) return null;
      // Record the freshest TruBit facts even when the partner status does not move (e.g. 10 → 30), but
      // never let a late or repeated callback (a 10 retried after the 60) take trubitStatus backwards.
      const seen = await tx.order.findUnique({ where: { id: locked.id }, select: { trubitStatus: true } });
      const fresher = Number.isFinite(code) && trubitStatusRank(code) >= trubitStatusRank(seen?.trubitStatus);
      await tx.order.update({
        where: { id: locked.id },
        data: {
          trubitStatus: fresher ? code : undefined,
          trubitHasRefund: refund || undefined,
          trubitSeenAt: new Date(),
          cepTrackingKey: obs.traclingNumber ? obs.traclingNumber : undefined,
        },
      });
      if (!target) return { orderId: locked.id, from: locked.status, to: locked.status, entered: [] };
      const details = { trubitStatus: code, source: obs.source };
      // TruBit knowing the order means it was submitted: an order we still hold as PENDING_DEPOSIT (an unknown
      // submission just resolved) first becomes ACTIVE, so side exits such as REFUNDED are reachable too.
      if (locked.status === 'PENDING_DEPOSIT' && target !== 'ACTIVE') {
        const first = await this.moveLocked(tx, locked.id, 'PENDING_DEPOSIT', 'ACTIVE', {
          ...details,
          inferred: true,
        });
        const rest = await this.moveLocked(tx, locked.id, 'ACTIVE', target, details);
        return {
          orderId: locked.id,
          from: locked.status,
          to: rest.to,
          entered: [...first.entered, ...rest.entered],
        };
      }
      return this.moveLocked(tx, locked.id, locked.status, target, details);
    });
  }

  /** Moves an order to `to` for a gateway-side reason (submitted, cancelled by partner, expired, failed). */
  async transition(
    orderId: string,
    to: OrderStatus,
    details: Record<string, unknown> = {},
    changes: Prisma.OrderUpdateInput = {},
    guard?: (order: { status: OrderStatus; submission: string }) => boolean,
  ): Promise<TransitionResult | null> {
    return this.prisma.$transaction(async (tx) => {
      const locked = await lockOrder(tx, { id: orderId });
      if (!locked) return null;
      if (guard && !guard(locked)) return { orderId, from: locked.status, to: locked.status, entered: [] };
      return this.moveLocked(tx, orderId, locked.status, to, details, changes);
    });
  }

  /** Same as transition(), inside a transaction the caller already holds (the order row must be locked). */
  async moveLocked(
    tx: Tx,
    orderId: string,
    from: OrderStatus,
    to: OrderStatus,
    details: Record<string, unknown> = {},
    changes: Prisma.OrderUpdateInput = {},
  ): Promise<TransitionResult> {
    const path = transitionPath(from, to);
    if (!path.length) {
      if (from !== to) this.logger.debug(`ignored ${from} → ${to} for ${orderId}`);
      return { orderId, from, to: from, entered: [] };
    }
    for (const [i, status] of path.entries()) {
      const last = i === path.length - 1;
      const now = new Date();
      const order = await tx.order.update({
        where: { id: orderId },
        data: {
          status,
          ...(last ? changes : {}),
          ...(status === 'COMPLETED' ? { completedAt: now } : {}),
        },
        include: ORDER_VIEW_INCLUDE,
      });
      await recordOrderEvent(tx, {
        orderId,
        partnerId: order.partnerId,
        status,
        snapshot: toOrderView(order),
        details: { ...details, ...(path.length > 1 && !last ? { inferred: true } : {}) },
        now,
      });
    }
    return { orderId, from, to, entered: path };
  }
}

/** SELECT … FOR UPDATE: concurrent writers of one order wait for each other. */
export async function lockOrder(
  tx: Tx,
  where: { id: string } | { trubitOrderId: string },
): Promise<{ id: string; status: OrderStatus; submission: string } | null> {
  const rows =
    'id' in where
      ? await tx.$queryRaw<Array<{ id: string; status: OrderStatus; submission: string }>>`
          SELECT id, status::text AS status, submission::text AS submission FROM orders WHERE id = ${where.id} FOR UPDATE`
      : await tx.$queryRaw<Array<{ id: string; status: OrderStatus; submission: string }>>`
          SELECT id, status::text AS status, submission::text AS submission FROM orders WHERE "trubitOrderId" = ${where.trubitOrderId} FOR UPDATE`;
  return rows[0] ?? null;
}

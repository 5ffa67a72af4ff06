import { Injectable } from '@nestjs/common';
import { Prisma } from '@app/generated/prisma/client';
import { OrderStatus } from '@app/generated/prisma/enums';
import { PrismaService } from '@app/infra/prisma/prisma.service';
import { TERMINAL_STATUSES } from '@app/modules/orders/state/order-state.machine';

const OPEN_STATUSES = Object.values(OrderStatus).filter((s) => !TERMINAL_STATUSES.has(s));

export const UNKNOWN_SUBMISSION_SELECT = {
  id: true,
  partnerId: true,
  status: true,
  submission: true,
  token: true,
  sellQuantity: true,
  submittedAt: true,
  submitAttempts: true,
  trubitMerchantId: true,
  trubitPaymentId: true,
  createdAt: true,
} satisfies Prisma.OrderSelect;

/** An order whose order/add may or may not have created a TruBit order. */
export type UnknownSubmission = Prisma.OrderGetPayload<{ select: typeof UNKNOWN_SUBMISSION_SELECT }>;

export const OPEN_ORDER_SELECT = {
  id: true,
  partnerId: true,
  status: true,
  trubitOrderId: true,
  trubitStatus: true,
  trubitHasRefund: true,
  cepTrackingKey: true,
  submittedAt: true,
} satisfies Prisma.OrderSelect;

/** A submitted order TruBit still has to finish (as far as we know). */
export type OpenSubmittedOrder = Prisma.OrderGetPayload<{ select: typeof OPEN_ORDER_SELECT }> & {
  trubitOrderId: string;
};

export const ORDER_STATE_SELECT = {
  id: true,
  partnerId: true,
  status: true,
  submission: true,
  trubitOrderId: true,
  trubitStatus: true,
  trubitHasRefund: true,
  trubitSeenAt: true,
  cepTrackingKey: true,
  submitAttempts: true,
  submittedAt: true,
  failureReason: true,
  updatedAt: true,
} satisfies Prisma.OrderSelect;

export type OrderReconcileState = Prisma.OrderGetPayload<{ select: typeof ORDER_STATE_SELECT }>;

/**
 * Reconciliation's reads and its conditional writes of orders.submission. Every write is guarded by the
 * state (and attempt number) it was decided on, so a stale decision by a second replica changes nothing.
 * Operator-side code: it spans partners on purpose.
 */
@Injectable()
export class ReconciliationRepository {
  constructor(private readonly prisma: PrismaService) {}

  /** SUBMITTING since before `olderThan`: the worker died mid-call. From now on it is an unknown outcome. */
  async markStaleSubmittingUnknown(olderThan: Date): Promise<number> {
    const { count } = await this.prisma.order.updateMany({
      where: { submission: 'SUBMITTING', submittedAt: { lt: olderThan } },
      data: { submission: 'UNKNOWN' },
    });
    return count;
  }

  async findUnknown(limit: number): Promise<UnknownSubmission[]> {
    return this.prisma.order.findMany({
      where: { submission: 'UNKNOWN' },
      select: UNKNOWN_SUBMISSION_SELECT,
      orderBy: [{ submittedAt: 'asc' }, { id: 'asc' }],
      take: limit,
    });
  }

  async findUnknownById(id: string): Promise<UnknownSubmission | null> {
    return this.prisma.order.findFirst({
      where: { id, submission: 'UNKNOWN' },
      select: UNKNOWN_SUBMISSION_SELECT,
    });
  }

  /** Which of these TruBit order ids already belong to one of our orders. */
  async linkedTrubitIds(trubitOrderIds: string[]): Promise<Set<string>> {
    if (!trubitOrderIds.length) return new Set();
    const rows = await this.prisma.order.findMany({
      where: { trubitOrderId: { in: trubitOrderIds } },
      select: { trubitOrderId: true },
    });
    return new Set(rows.map((r) => r.trubitOrderId!));
  }

  /**
   * Attaches the TruBit order found for an unknown submission. 'taken' when another order already owns that
   * TruBit id (UNIQUE), 'stale' when the order moved on since it was read.
   */
  async link(order: UnknownSubmission, trubitOrderId: string): Promise<'linked' | 'taken' | 'stale'> {
    try {
      const { count } = await this.prisma.order.updateMany({
        where: {
          id: order.id,
          submission: 'UNKNOWN',
          submitAttempts: order.submitAttempts,
          trubitOrderId: null,
        },
        data: { trubitOrderId, submission: 'SUBMITTED', reservedQuantity: 0 },
      });
      return count === 1 ? 'linked' : 'stale';
    } catch (err) {
      if (err instanceof Prisma.PrismaClientKnownRequestError && err.code === 'P2002') return 'taken';
      throw err;
    }
  }

  /** Nothing exists at TruBit: hand the order back to the submission processor (still holding its funds). */
  async requeue(order: UnknownSubmission): Promise<boolean> {
    const { count } = await this.prisma.order.updateMany({
      where: { id: order.id, submission: 'UNKNOWN', submitAttempts: order.submitAttempts },
      data: { submission: 'QUEUED' },
    });
    return count === 1;
  }

  /** Undo of requeue() when the job could not be enqueued: the next pass decides again. */
  async unqueue(order: UnknownSubmission): Promise<void> {
    await this.prisma.order.updateMany({
      where: { id: order.id, submission: 'QUEUED', submitAttempts: order.submitAttempts },
      data: { submission: 'UNKNOWN' },
    });
  }

  /** The order already ended on our side and nothing exists at TruBit: release its reservation. */
  async abandon(order: UnknownSubmission): Promise<boolean> {
    const { count } = await this.prisma.order.updateMany({
      where: { id: order.id, submission: 'UNKNOWN', submitAttempts: order.submitAttempts },
      data: { submission: 'FAILED', reservedQuantity: 0 },
    });
    return count === 1;
  }

  /** Partners with submitted orders TruBit has not finished: whose TruBit accounts are worth polling. */
  async partnersWithOpenOrders(): Promise<string[]> {
    const rows = await this.prisma.order.findMany({
      where: { submission: 'SUBMITTED', status: { in: OPEN_STATUSES }, trubitOrderId: { not: null } },
      select: { partnerId: true },
      distinct: ['partnerId'],
    });
    return rows.map((r) => r.partnerId);
  }

  async openSubmittedOrders(partnerIds: string[]): Promise<OpenSubmittedOrder[]> {
    if (!partnerIds.length) return [];
    const rows = await this.prisma.order.findMany({
      where: {
        partnerId: { in: partnerIds },
        submission: 'SUBMITTED',
        status: { in: OPEN_STATUSES },
        trubitOrderId: { not: null },
      },
      select: OPEN_ORDER_SELECT,
      orderBy: { submittedAt: 'asc' },
    });
    return rows as OpenSubmittedOrder[];
  }

  async findState(id: string): Promise<OrderReconcileState | null> {
    return this.prisma.order.findUnique({ where: { id }, select: ORDER_STATE_SELECT });
  }
}

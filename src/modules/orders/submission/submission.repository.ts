import { Injectable } from '@nestjs/common';
import { OrderStatus } from '@app/generated/prisma/enums';
import { GroupCommit } from '@app/infra/batching/group-commit';
import { newId } from '@app/infra/crypto/ids';
import { PgPipelinePool, PgPool } from '@app/infra/prisma/pg-pool';
import { PrismaService } from '@app/infra/prisma/prisma.service';
import { eventRowParams, insertEventRowsCtes, orderEventRow } from '../events/order-event.rows';
import { OrderViewSource, toOrderView } from '../outputs/order.view';
import { transitionPath } from '../state/order-state.machine';

/** What submitting an order needs: the order, its user and partner, and the payout method stored for its CLABE. */
export interface OrderForSubmission {
  id: string;
  partnerId: string;
  userId: string;
  status: OrderStatus;
  submission: string;
  token: string;
  /** Exact decimal text. */
  sellQuantity: string;
  exchangeRate: string;
  sellerClabe: string;
  bankName: string;
  submitAttempts: number;
  expiresAt: Date;
  user: {
    partnerUserRef: string;
    kycStatus: string;
    trubitMerchantId: string | null;
    trubitMerchantName: string | null;
  };
  partner: { trubitMerchantId: string | null };
  /** The user's payout method for this CLABE, when one was stored (payout_methods). */
  payout: { trubitMerchantId: string; trubitPaymentId: string } | null;
}

/** Timestamps are stored as UTC wall time (timestamp(3)): read them back as instants. */
const utcAt = (column: string, as: string) => `${column} AT TIME ZONE 'UTC' AS "${as}"`;

const LOAD_BATCH = `
  SELECT o.id, o."partnerId", o."userId", o.status::text AS status, o.submission::text AS submission, o.token,
         o."sellQuantity"::text AS "sellQuantity", o."exchangeRate"::text AS "exchangeRate", o."sellerClabe",
         o."bankName", o."submitAttempts", ${utcAt('o."expiresAt"', 'expiresAt')},
         u."partnerUserRef", u."kycStatus"::text AS "kycStatus", u."trubitMerchantId" AS "userMerchantId",
         u."trubitMerchantName" AS "userMerchantName", p."trubitMerchantId" AS "partnerMerchantId",
         pm."trubitMerchantId" AS "payoutMerchantId", pm."trubitPaymentId" AS "payoutPaymentId"
  FROM orders o
  JOIN end_users u ON u.id = o."userId"
  JOIN partners p ON p.id = o."partnerId"
  LEFT JOIN payout_methods pm ON pm."userId" = o."userId" AND pm.clabe = o."sellerClabe"
  WHERE o.id = ANY($1::text[])`;

/** A LOAD_BATCH row: the order's own columns as OrderForSubmission has them, the joined ones flat. */
interface LoadRow extends Omit<OrderForSubmission, 'user' | 'partner' | 'payout'> {
  partnerUserRef: string;
  kycStatus: string;
  userMerchantId: string | null;
  userMerchantName: string | null;
  partnerMerchantId: string | null;
  payoutMerchantId: string | null;
  payoutPaymentId: string | null;
}

/*
 * The submission state is compared as text (`o.submission::text = 'QUEUED'`) where a statement names its orders
 * by id: compared as it is, the planner answers it from the submission index whenever the statistics say few
 * orders are in that state, and then reads every QUEUED (or SUBMITTING) order for each batch. A burst of funded
 * orders is exactly when many are QUEUED, and when these statements run most. Asserted in
 * submission-plans.int-spec.ts.
 */

/** QUEUED → SUBMITTING for each order still QUEUED, PENDING_DEPOSIT and not expired; returns those it moved. */
export const CLAIM_BATCH = `
  UPDATE orders o
  SET submission = 'SUBMITTING', "submittedAt" = $1::timestamp, "submitAttempts" = o."submitAttempts" + 1,
      "trubitMerchantId" = n.mc_id, "trubitPaymentId" = n.payment_id, "updatedAt" = $1::timestamp
  FROM unnest($2::text[], $3::text[], $4::text[]) AS n(id, mc_id, payment_id)
  WHERE o.id = n.id AND o.submission::text = 'QUEUED' AND o.status::text = 'PENDING_DEPOSIT'
    AND o."expiresAt" > $1::timestamp
  RETURNING o.id`;

/** The view columns of an order (toOrderView), money as exact text and timestamps as instants. */
const VIEW_COLUMNS = `
  o.id, o."partnerId", o.status::text AS status, o.sequence, o.token, o."sellerClabe", o."bankName", o."bankCode",
  o."amlRiskLevel", o."trubitOrderId", o."cepTrackingKey", o."feeRecipient"::text AS "feeRecipient",
  o."failureReason", o.amount::text AS amount, o."grossAmountMxn"::text AS "grossAmountMxn",
  o."netAmountMxn"::text AS "netAmountMxn", o."exchangeRate"::text AS "exchangeRate",
  o."feePercent"::text AS "feePercent", o."feeAmountMxn"::text AS "feeAmountMxn",
  o."revenueSharePercent"::text AS "revenueSharePercent", o."partnerFeeMxn"::text AS "partnerFeeMxn",
  o."platformFeeMxn"::text AS "platformFeeMxn", ${utcAt('o."expiresAt"', 'expiresAt')},
  ${utcAt('o."completedAt"', 'completedAt')}, ${utcAt('o."createdAt"', 'createdAt')},
  ${utcAt('o."updatedAt"', 'updatedAt')}`;

/** The partner status a SUBMITTED order is in: TruBit has it (status 10). */
const SUBMITTED_STATUS: OrderStatus = 'ACTIVE';

/** Locks the batch's orders still SUBMITTING and reads what their view and events need. */
export const LOCK_SUBMITTING = `
  SELECT ${VIEW_COLUMNS},
         (SELECT u."partnerUserRef" FROM end_users u WHERE u.id = o."userId") AS "partnerUserRef"
  FROM orders o
  WHERE o.id = ANY($1::text[]) AND o.submission::text = 'SUBMITTING'
  ORDER BY o.id
  FOR UPDATE OF o`;

/**
 * SUBMITTING → SUBMITTED with the TruBit id and status 10, reservation released (TruBit has locked the funds),
 * the partner status and sequence as decided, and the events of the statuses entered; one statement.
 */
const WRITE_SUBMITTED = `
  WITH updated AS (
    UPDATE orders o
    SET "trubitOrderId" = n.trubit_id, submission = 'SUBMITTED', "reservedQuantity" = 0, "trubitStatus" = 10,
        "trubitSeenAt" = $1::timestamp, "updatedAt" = $1::timestamp, status = n.status::"OrderStatus",
        sequence = n.sequence
    FROM unnest($2::text[], $3::text[], $4::text[], $5::int[]) AS n(id, trubit_id, status, sequence)
    WHERE o.id = n.id
    RETURNING o.id
  ),${insertEventRowsCtes(6)}
  SELECT count(*)::int AS n FROM updated`;

interface SubmittingRow extends Omit<OrderViewSource, 'user'> {
  partnerId: string;
  sequence: number;
  partnerUserRef: string;
}

export interface SubmittedOrder {
  orderId: string;
  trubitOrderId: string;
  /** When order/add answered (the submitter's clock): trubitSeenAt, updatedAt and the events' time. */
  now: Date;
}

/**
 * The submission state changes of the contract, each a conditional update on the order row: whoever's
 * condition no longer holds (a cancel, an expiry, another worker) changes nothing. The three steps every
 * submission takes (load, claim, submitted) are group-committed: the submission jobs running at the same time
 * share one statement per step instead of one each, which is what keeps the worker cheap under load.
 */
@Injectable()
export class SubmissionRepository {
  private readonly loads = new GroupCommit<string, OrderForSubmission | null>((ids) => this.loadMany(ids), {
    maxBatch: 100,
    concurrency: 2,
  });
  private readonly claims = new GroupCommit<Claim, boolean>((claims) => this.claimMany(claims), {
    maxBatch: 100,
    concurrency: 2,
    splitOnError: true,
  });
  private readonly submitted = new GroupCommit<SubmittedOrder, boolean>(
    (orders) => this.markSubmittedMany(orders),
    { maxBatch: 100, concurrency: 2, splitOnError: true },
  );

  constructor(
    private readonly prisma: PrismaService,
    private readonly pool: PgPool,
    private readonly pipelinePool: PgPipelinePool,
  ) {}

  load(orderId: string): Promise<OrderForSubmission | null> {
    return this.loads.submit(orderId);
  }

  async savePayout(partnerId: string, userId: string, clabe: string, mcId: string, paymentId: string) {
    await this.prisma.payoutMethod.upsert({
      where: { userId_clabe: { userId, clabe } },
      create: {
        id: newId.payout(),
        partnerId,
        userId,
        clabe,
        trubitMerchantId: mcId,
        trubitPaymentId: paymentId,
      },
      update: { trubitMerchantId: mcId, trubitPaymentId: paymentId },
    });
  }

  /** QUEUED → SUBMITTING right before order/add (still PENDING_DEPOSIT and not expired). */
  markSubmitting(orderId: string, mcId: string, paymentId: string, now: Date): Promise<boolean> {
    return this.claims.submit({ orderId, mcId, paymentId, now });
  }

  /**
   * order/add answered: SUBMITTED with the TruBit id, and ACTIVE with its timeline entry and outbox row, in one
   * transaction. False when the order was no longer SUBMITTING (nothing changed).
   */
  markSubmitted(order: SubmittedOrder): Promise<boolean> {
    return this.submitted.submit(order);
  }

  /** order/add's outcome is unknown: the TruBit order may exist; reconciliation decides. Funds stay reserved. */
  async markUnknown(orderId: string): Promise<boolean> {
    const { count } = await this.prisma.order.updateMany({
      where: { id: orderId, submission: 'SUBMITTING' },
      data: { submission: 'UNKNOWN' },
    });
    return count === 1;
  }

  /**
   * Nothing reached TruBit (breaker open, rate limited, credentials refused): back to QUEUED. The attempt is
   * not counted, so the job id (order id + submitAttempts) stays the one now retrying.
   */
  async requeue(orderId: string): Promise<boolean> {
    const { count } = await this.prisma.order.updateMany({
      where: { id: orderId, submission: 'SUBMITTING' },
      data: { submission: 'QUEUED', submitAttempts: { decrement: 1 } },
    });
    return count === 1;
  }

  private async loadMany(ids: string[]): Promise<Array<OrderForSubmission | null>> {
    const { rows } = await this.pool.query<LoadRow>(LOAD_BATCH, [[...new Set(ids)]]);
    const byId = new Map(rows.map((r) => [r.id, r]));
    return ids.map((id) => {
      const r = byId.get(id);
      return r ? toOrderForSubmission(r) : null;
    });
  }

  private async claimMany(claims: Claim[]): Promise<boolean[]> {
    // One claim per order: a second claim of the same order in one batch finds it SUBMITTING and fails, as
    // it would one statement later.
    const first = new Map<string, Claim>();
    for (const c of claims) if (!first.has(c.orderId)) first.set(c.orderId, c);
    const batch = [...first.values()];
    const { rows } = await this.pool.query<{ id: string }>(CLAIM_BATCH, [
      // All claims of a batch are taken at the batch's latest `now` (they differ by milliseconds).
      new Date(Math.max(...batch.map((c) => c.now.getTime()))).toISOString(),
      batch.map((c) => c.orderId),
      batch.map((c) => c.mcId),
      batch.map((c) => c.paymentId),
    ]);
    const moved = new Set(rows.map((r) => r.id));
    return claims.map((c) => first.get(c.orderId) === c && moved.has(c.orderId));
  }

  /**
   * Two pipelined round trips on one connection: BEGIN + lock and read the orders still SUBMITTING; then the
   * update, the events of the statuses entered (the state machine's path to ACTIVE, as moveLocked records it)
   * and COMMIT.
   */
  private async markSubmittedMany(orders: SubmittedOrder[]): Promise<boolean[]> {
    const first = new Map<string, SubmittedOrder>();
    for (const o of orders) if (!first.has(o.orderId)) first.set(o.orderId, o);
    // All of a batch is written at its latest `now` (they differ by milliseconds), as claims are.
    const now = new Date(Math.max(...orders.map((o) => o.now.getTime())));
    const client = await this.pipelinePool.connect();
    let broken = false;
    let locked: SubmittingRow[];
    try {
      const [begin, read] = await Promise.allSettled([
        client.query('BEGIN'),
        client.query<SubmittingRow>(LOCK_SUBMITTING, [[...first.keys()]]),
      ]);
      if (begin.status === 'rejected') throw begin.reason;
      if (read.status === 'rejected') throw read.reason;
      locked = read.value.rows;
      const changes = locked.map((row) => submittedChange(row, first.get(row.id)!.trubitOrderId, now));
      const events = changes.flatMap((c) => c.events);
      const [write, commit] = await Promise.allSettled([
        client.query(WRITE_SUBMITTED, [
          now.toISOString(),
          changes.map((c) => c.orderId),
          changes.map((c) => c.trubitOrderId),
          changes.map((c) => c.status),
          changes.map((c) => c.sequence),
          ...eventRowParams(events),
        ]),
        client.query('COMMIT'),
      ]);
      if (write.status === 'rejected') throw write.reason;
      if (commit.status === 'rejected') throw commit.reason;
    } catch (err) {
      // A connection that cannot even roll back is dropped rather than handed to the next batch.
      await client.query('ROLLBACK').catch(() => (broken = true));
      throw err;
    } finally {
      client.release(broken);
    }
    const done = new Set(locked.map((r) => r.id));
    return orders.map((o) => first.get(o.orderId) === o && done.has(o.orderId));
  }
}

/** What submission changes on one locked SUBMITTING order: moveLocked's path to ACTIVE, one event per status. */
function submittedChange(row: SubmittingRow, trubitOrderId: string, now: Date) {
  const path = transitionPath(row.status, SUBMITTED_STATUS);
  const events = path.map((status, i) =>
    orderEventRow({
      orderId: row.id,
      partnerId: row.partnerId,
      status,
      sequence: row.sequence + i + 1,
      snapshot: toOrderView({
        ...row,
        status,
        trubitOrderId,
        updatedAt: now,
        user: { partnerUserRef: row.partnerUserRef },
      }),
      details: {
        trubitOrderId,
        trubitStatus: 10,
        source: 'submission',
        ...(i < path.length - 1 ? { inferred: true } : {}),
      },
      now,
    }),
  );
  return {
    orderId: row.id,
    trubitOrderId,
    status: path.length ? SUBMITTED_STATUS : row.status,
    sequence: row.sequence + path.length,
    events,
  };
}

interface Claim {
  orderId: string;
  mcId: string;
  paymentId: string;
  now: Date;
}

function toOrderForSubmission(r: LoadRow): OrderForSubmission {
  const {
    partnerUserRef,
    kycStatus,
    userMerchantId,
    userMerchantName,
    partnerMerchantId,
    payoutMerchantId,
    payoutPaymentId,
    ...order
  } = r;
  return {
    ...order,
    user: {
      partnerUserRef,
      kycStatus,
      trubitMerchantId: userMerchantId,
      trubitMerchantName: userMerchantName,
    },
    partner: { trubitMerchantId: partnerMerchantId },
    payout:
      payoutMerchantId !== null && payoutPaymentId !== null
        ? { trubitMerchantId: payoutMerchantId, trubitPaymentId: payoutPaymentId }
        : null,
  };
}

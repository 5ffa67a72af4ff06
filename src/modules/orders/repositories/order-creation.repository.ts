import { Injectable } from '@nestjs/common';
import Decimal from 'decimal.js';
import type { PoolClient, QueryResult } from 'pg';
import { accountKeyOf, committedOrdersCte } from '@app/modules/funding/services/committed-orders.sql';
import { FUNDS_LOCK_NAMESPACE } from '@app/modules/funding/services/funds-reservation.service';
import { eventRowParams, insertEventRowsCtes, OrderEventRow } from '../events/order-event.rows';
import { NewOrder, QuoteForOrder } from '../services/order-admission';

/** pg_advisory_xact_lock(namespace, hashtext(partnerId)): volume checks and order inserts of a partner serialise. */
export const VOLUME_LOCK_NAMESPACE = 71001;

/** Statuses whose orders do not count towards volume (partner-api.md §3). */
const NOT_COUNTED = `('CANCELLED', 'EXPIRED', 'REJECTED', 'FAILED')`;

/** timestamp(3) columns hold UTC wall time (Prisma's convention): dates go in as UTC text… */
const utc = (d: Date | null) => (d ? d.toISOString() : null);
/** …and come back from json_build_object as zone-less text. */
const fromUtc = (s: string | null) => (s ? new Date(`${s}Z`) : null);
const earliest = (dates: Date[]) =>
  dates.reduce<Date | null>((min, d) => (min === null || d < min ? d : min), null);

export interface LockKeys {
  partnerIds: string[];
  /** API keys of the accounts whose funds the batch may reserve. */
  accountKeys: string[];
}

export interface ReadRequest {
  quoteIds: string[];
  partnerIds: string[];
  /** Partners with a daily or monthly volume limit: only theirs are summed. */
  limitedPartnerIds: string[];
  dayStart: Date;
  monthStart: Date;
  /** Per account: its API key and the time its balance snapshot was taken (see FundsReservations). */
  accounts: Array<{ apiKey: string; commitmentsSince: Date }>;
  operatorApiKey: string;
}

export interface BatchReads {
  quotes: Map<string, QuoteForOrder>;
  partnerVolume: Map<string, { daily: Decimal; monthly: Decimal }>;
  /** Only users without approved KYC (kycSatisfied) are summed. */
  userMonthly: Map<string, Decimal>;
  /** Committed quantity per `${apiKey}|${token}`. */
  committed: Map<string, Decimal>;
}

const LOCK_BATCH = `
  SELECT count(*) FROM (
    SELECT pg_advisory_xact_lock(l.ns, l.h) FROM (
      SELECT DISTINCT k.ns, hashtext(k.key) AS h
      FROM unnest($1::int[], $2::text[]) AS k(ns, key)
      ORDER BY 1, 2) l) locked`;

interface ReadRow {
  quotes: QuoteJson[];
  partner_volumes: Array<{ partnerId: string; daily: string; monthly: string }>;
  user_volumes: Array<{ userId: string; monthly: string }>;
  commitments: Array<{ apiKey: string; token: string; committed: string }>;
}

export const READ_BATCH = `
  WITH ${committedOrdersCte('$9')}
  SELECT
    (SELECT coalesce(json_agg(json_build_object(
        'id', q.id, 'partnerId', q."partnerId", 'userId', q."userId", 'type', q.type, 'token', q.token,
        'amount', q.amount::text, 'exchangeRate', q."exchangeRate"::text, 'grossAmountMxn', q."grossAmountMxn"::text,
        'feePercent', q."feePercent"::text, 'feeAmountMxn', q."feeAmountMxn"::text, 'feeRecipient', q."feeRecipient",
        'netAmountMxn', q."netAmountMxn"::text, 'revenueSharePercent', q."revenueSharePercent"::text,
        'expiresAt', q."expiresAt", 'usedAt', q."usedAt",
        'user', json_build_object('id', u.id, 'partnerUserRef', u."partnerUserRef", 'kycStatus', u."kycStatus",
                                  'kycAttestation', u."kycAttestation", 'amlRiskLevel', u."amlRiskLevel"))), '[]'::json)
     FROM quotes q JOIN end_users u ON u.id = q."userId"
     WHERE q.id = ANY($1::text[])) AS quotes,
    (SELECT coalesce(json_agg(v), '[]'::json) FROM (
       SELECT o."partnerId" AS "partnerId",
              COALESCE(SUM(o."grossAmountMxn") FILTER (WHERE o."createdAt" >= $3::timestamp), 0)::text AS daily,
              COALESCE(SUM(o."grossAmountMxn"), 0)::text AS monthly
       FROM orders o
       WHERE o."partnerId" = ANY($8::text[]) AND o."createdAt" >= $4::timestamp AND o.status NOT IN ${NOT_COUNTED}
       GROUP BY o."partnerId") v) AS partner_volumes,
    (SELECT coalesce(json_agg(v), '[]'::json) FROM (
       SELECT o."userId" AS "userId", COALESCE(SUM(o."grossAmountMxn"), 0)::text AS monthly
       FROM orders o
       WHERE o."partnerId" = ANY($2::text[])
         AND o."userId" IN (
           SELECT u.id FROM quotes q JOIN end_users u ON u.id = q."userId" JOIN partners p ON p.id = u."partnerId"
           WHERE q.id = ANY($1::text[]) AND u."kycStatus" <> 'APPROVED'
             AND (u."kycAttestation" IS NULL OR u."kycAttestation" = 'null'::jsonb OR p."kycModel" <> 'PARTNER_MANAGED'))
         AND o."createdAt" >= $4::timestamp AND o.status NOT IN ${NOT_COUNTED}
       GROUP BY o."userId") v) AS user_volumes,
    (SELECT coalesce(json_agg(v), '[]'::json) FROM (
       SELECT a.api_key AS "apiKey", c.token, SUM(c.quantity)::text AS committed
       FROM unnest($5::text[], $6::timestamp[]) AS a(api_key, since)
       JOIN partners p ON ${accountKeyOf('p', '$7')} = a.api_key
       JOIN committed_orders c ON c."partnerId" = p.id AND (c."submittedAt" IS NULL OR c."submittedAt" > a.since)
       GROUP BY a.api_key, c.token) v) AS commitments`;

const ORDER_COLUMNS = [
  ['id', 'text'],
  ['partnerId', 'text'],
  ['userId', 'text'],
  ['quoteId', 'text'],
  ['submission', '"SubmissionState"'],
  ['token', 'text'],
  ['amount', 'numeric'],
  ['exchangeRate', 'numeric'],
  ['grossAmountMxn', 'numeric'],
  ['feePercent', 'numeric'],
  ['feeAmountMxn', 'numeric'],
  ['feeRecipient', '"FeeRecipient"'],
  ['netAmountMxn', 'numeric'],
  ['sellQuantity', 'numeric'],
  ['reservedQuantity', 'numeric'],
  ['revenueSharePercent', 'numeric'],
  ['partnerFeeMxn', 'numeric'],
  ['platformFeeMxn', 'numeric'],
  ['sellerClabe', 'text'],
  ['bankCode', 'text'],
  ['bankName', 'text'],
  ['amlRiskLevel', 'text'],
  ['fundedAt', 'timestamp'],
  ['expiresAt', 'timestamp'],
  ['createdAt', 'timestamp'],
] as const satisfies ReadonlyArray<readonly [keyof NewOrder, string]>;

const q = (c: string) => `"${c}"`;
const ORDERS_FROM = ORDER_COLUMNS.map(([, type], i) => `$${i + 2}::${type}[]`).join(', ');
const ORDERS_AS = ORDER_COLUMNS.map(([c]) => q(c)).join(', ');
const E = ORDER_COLUMNS.length + 2; // first parameter of the events

/**
 * A quote that can still be consumed, given the statement's instant as $1. The expiry is compared through an
 * expression (`+ interval '0 s'`) so that the planner cannot answer it from the expiresAt index: whenever the
 * statistics say few quotes are unexpired it did, and each batch then read every unexpired quote instead of its
 * own few by id, under the partner's lock (a burst of quotes is exactly when many are unexpired). Asserted in
 * order-creation-plans.int-spec.ts.
 */
export const CONSUMABLE_QUOTE = `"usedAt" IS NULL AND ("expiresAt" + interval '0 s') > $1::timestamp`;

/**
 * The one statement that stores a batch of new orders: consumes their quotes (only unused, unexpired ones), inserts
 * the orders already at sequence 1, their `order.created` timeline entries and outbox rows. If it could not consume
 * every quote (impossible under the partner's lock, checked anyway) it fails, so the COMMIT sent behind it in the
 * same round trip finds an aborted transaction and nothing is stored. (The failing cast is the plain-SQL way to
 * raise; its text, which depends on the counts, is only evaluated in that branch.)
 */
const WRITE_BATCH = `
  WITH used AS (
    UPDATE quotes SET "usedAt" = $1::timestamp
    WHERE id = ANY($${E + 8}::text[]) AND ${CONSUMABLE_QUOTE}
    RETURNING id
  ), created AS (
    INSERT INTO orders (${ORDERS_AS}, status, sequence, "updatedAt")
    SELECT ${ORDERS_AS}, 'PENDING_DEPOSIT', 1, "createdAt"
    FROM unnest(${ORDERS_FROM}) AS n(${ORDERS_AS})
    RETURNING id
  ),${insertEventRowsCtes(E)}
  SELECT (CASE WHEN u.n = $${E + 9} AND c.n = $${E + 9} THEN '0'
               ELSE 'order batch: ' || u.n || ' quotes consumed, ' || c.n || ' orders for ' || $${E + 9} END)::int AS ok
  FROM (SELECT count(*) AS n FROM used) u, (SELECT count(*) AS n FROM created) c`;

interface QuoteJson extends Omit<QuoteForOrder, 'expiresAt' | 'usedAt'> {
  expiresAt: string;
  usedAt: string | null;
}

/**
 * The SQL of POST /orders: one transaction per batch of requests (see OrderCreationService), in two pipelined
 * round trips on a PgPipelinePool connection. Every read is scoped by the partners of the batch.
 */
@Injectable()
export class OrderCreationRepository {
  /**
   * Opens the batch's transaction, takes its advisory locks and reads everything the decisions need, pipelined:
   * one round trip. The read is its own statement after the locks, so it sees every batch committed before.
   * Locks are taken in one global order (all volume locks, then all funds locks, each sorted), so batches and
   * the funding watcher (funds lock only) never wait on each other in a cycle. Volumes are summed only
   * where a decision uses them: partners with a volume limit, users without approved KYC.
   */
  async beginLockAndRead(client: PoolClient, keys: LockKeys, r: ReadRequest): Promise<BatchReads> {
    const [begin, lock, read] = await Promise.allSettled([
      client.query('BEGIN'),
      client.query(LOCK_BATCH, [
        [
          ...keys.partnerIds.map(() => VOLUME_LOCK_NAMESPACE),
          ...keys.accountKeys.map(() => FUNDS_LOCK_NAMESPACE),
        ],
        [...keys.partnerIds, ...keys.accountKeys],
      ]),
      client.query<ReadRow>(READ_BATCH, [
        r.quoteIds,
        r.partnerIds,
        utc(r.dayStart),
        utc(r.monthStart),
        r.accounts.map((a) => a.apiKey),
        r.accounts.map((a) => utc(a.commitmentsSince)),
        r.operatorApiKey,
        r.limitedPartnerIds,
        // The earliest of the accounts' windows, as a plain parameter: see committedOrdersCte.
        utc(earliest(r.accounts.map((a) => a.commitmentsSince)) ?? new Date()),
      ]),
    ]);
    for (const step of [begin, lock, read]) if (step.status === 'rejected') throw step.reason;
    const row = (read as PromiseFulfilledResult<QueryResult<ReadRow>>).value.rows[0];
    return {
      quotes: new Map(
        row.quotes.map((qj) => [
          qj.id,
          { ...qj, expiresAt: fromUtc(qj.expiresAt)!, usedAt: fromUtc(qj.usedAt) } satisfies QuoteForOrder,
        ]),
      ),
      partnerVolume: new Map(
        row.partner_volumes.map((v) => [
          v.partnerId,
          { daily: new Decimal(v.daily), monthly: new Decimal(v.monthly) },
        ]),
      ),
      userMonthly: new Map(row.user_volumes.map((v) => [v.userId, new Decimal(v.monthly)])),
      committed: new Map(row.commitments.map((c) => [`${c.apiKey}|${c.token}`, new Decimal(c.committed)])),
    };
  }

  /** Stores the admitted orders with their events and commits, pipelined: one round trip. */
  async writeAndCommit(
    client: PoolClient,
    now: Date,
    orders: NewOrder[],
    events: OrderEventRow[],
  ): Promise<void> {
    const params: unknown[] = [utc(now)];
    for (const [column] of ORDER_COLUMNS) {
      params.push(orders.map((o) => (o[column] instanceof Date ? utc(o[column] as Date) : o[column])));
    }
    params.push(
      ...eventRowParams(events),
      orders.map((o) => o.quoteId),
      orders.length,
    );
    // A failed write aborts the transaction: the COMMIT behind it then ends it without storing anything.
    const [write, commit] = await Promise.allSettled([
      client.query(WRITE_BATCH, params),
      client.query('COMMIT'),
    ]);
    if (write.status === 'rejected') throw write.reason;
    if (commit.status === 'rejected') throw commit.reason;
  }
}

import { Injectable } from '@nestjs/common';
import type { PoolClient } from 'pg';
import { GroupCommit } from '@app/infra/batching/group-commit';
import { PgPool } from '@app/infra/prisma/pg-pool';
import { AttemptDecision } from './delivery.policy';
import { DeliveryRef } from './delivery.scheduler';

/**
 * A delivery with what an attempt needs of its partner (current URL, sealed secrets) and, for an order event,
 * what holds it back (an earlier event of the order still PENDING, or not relayed yet), read in one query.
 */
export interface DeliveryForAttempt {
  id: string;
  partnerId: string;
  eventId: string;
  eventType: string;
  orderId: string | null;
  sequence: number | null;
  body: string;
  status: 'PENDING' | 'DELIVERED' | 'FAILED';
  attempts: number;
  maxAttempts: number;
  nextAttemptAt: Date | null;
  createdAt: Date;
  partner: {
    webhookUrl: string | null;
    webhookDisabledAt: Date | null;
    webhookSecretEnc: string;
    webhookPrevSecretEnc: string | null;
    webhookPrevSecretUntil: Date | null;
  };
  /** An earlier event of the same order is unsettled: when it is due (null: due now, or not relayed yet). */
  blocker: { dueAt: Date | null } | null;
}

export interface AttemptRecord {
  deliveryId: string;
  partnerId: string;
  expectedAttempts: number;
  url: string;
  at: Date;
  durationMs: number;
}

type Decide = (attemptsAfter: number, maxAttempts: number) => AttemptDecision;
export type RecordedAttempt = { decision: AttemptDecision; attempts: number };

interface QueuedRecord {
  rec: AttemptRecord;
  seenMaxAttempts: number;
  decision: AttemptDecision;
}

// timestamp(3) columns hold UTC wall time (Prisma's convention): they are written as UTC ISO text and read back
// `AT TIME ZONE 'UTC'` (a timestamptz), so neither side depends on the process's or the server's time zone.
const utc = (col: string, as = col.split('.').pop()!) => `${col} AT TIME ZONE 'UTC' AS ${as}`;
const iso = (d: Date | null) => (d ? d.toISOString() : null);

/**
 * Every delivery asked for in one batch. The order blocker is evaluated only for order events (CASE keeps the
 * outbox probe from running for the others): the first earlier event still PENDING, else whether an earlier
 * one is still waiting in the outbox.
 */
const LOAD_FOR_ATTEMPT = `
  SELECT d.id, d."partnerId", d."eventId", d."eventType", d."orderId", d.sequence, d.body,
         d.status::text AS status, d.attempts, d."maxAttempts",
         ${utc('d."nextAttemptAt"')}, ${utc('d."createdAt"')},
         p."webhookUrl", ${utc('p."webhookDisabledAt"')}, p."webhookSecretEnc", p."webhookPrevSecretEnc",
         ${utc('p."webhookPrevSecretUntil"')},
         pend.due AS "blockerDueAt", pend.found AS "pendingBlocker",
         CASE WHEN d."orderId" IS NULL OR d.sequence IS NULL OR pend.found THEN false
              ELSE EXISTS (SELECT 1 FROM outbox_events o
                            WHERE o."publishedAt" IS NULL AND o."partnerId" = d."partnerId"
                              AND o."orderId" = d."orderId" AND o.sequence < d.sequence) END AS "unrelayedBlocker"
    FROM webhook_deliveries d
    JOIN partners p ON p.id = d."partnerId"
    LEFT JOIN LATERAL (
      SELECT b."nextAttemptAt" AT TIME ZONE 'UTC' AS due, true AS found FROM webhook_deliveries b
       WHERE d."orderId" IS NOT NULL AND d.sequence IS NOT NULL
         AND b."partnerId" = d."partnerId" AND b."orderId" = d."orderId" AND b.sequence < d.sequence
         AND b.status = 'PENDING'
       ORDER BY b.sequence LIMIT 1) pend ON true
   WHERE d.id = ANY($1::text[])`;

/**
 * Records a batch of attempts in one statement: each delivery row is updated only if it is still in the state
 * its attempt started from (PENDING, same attempt count, same maxAttempts), and an attempt row is inserted for
 * each row that was updated. Returns the ordinal of each recorded item; the others are settled one by one.
 *
 * Its cost must not grow with the number of pending deliveries or with the table. Two plans made it grow:
 * - Through the partial index of pending deliveries (chosen whenever the statistics say few are pending): every
 *   batch read every pending delivery, so a backlog (a burst, a partner's dead endpoint) slowed every partner's
 *   records (measured on one connection: 136 µs a row with 15,000 pending, 547 µs with 20,000 more, against
 *   44 µs either way now). The status is compared as text so that the planner cannot use that index at all;
 *   on a table of delivered history the rows are then found by primary key.
 * - A sequential scan kept from when the table was nearly empty. The statement is therefore not named: a named
 *   one is planned once per connection and keeps that plan while the table grows (on a fresh database every
 *   batch then scanned the whole table until autovacuum analysed it). Planning each batch costs about 12 µs a
 *   row.
 * Asserted in delivery-record-plan.int-spec.ts.
 */
export const RECORD_ATTEMPTS = `
  WITH i AS (
    SELECT * FROM unnest($1::text[], $2::int[], $3::int[], $4::text[], $5::text[], $6::int[], $7::text[],
                         $8::timestamp[], $9::timestamp[], $10::timestamp[], $11::int[], $12::timestamp[])
      WITH ORDINALITY AS t(id, expected, seen_max, url, status, code, error, at, delivered_at, next_at,
                           duration_ms, now, n)
  ), upd AS (
    UPDATE webhook_deliveries d
       SET url = i.url, attempts = i.expected + 1, status = i.status::"DeliveryStatus", "lastAttemptAt" = i.at,
           "lastStatusCode" = i.code, "errorMessage" = i.error, "deliveredAt" = i.delivered_at,
           "nextAttemptAt" = i.next_at, "updatedAt" = i.now
      FROM i
     WHERE d.id = i.id AND d.status::text = 'PENDING' AND d.attempts = i.expected AND d."maxAttempts" = i.seen_max
    RETURNING i.n, i.id, i.expected, i.code, i.duration_ms, i.error, i.at
  ), ins AS (
    INSERT INTO webhook_attempts ("deliveryId", attempt, "statusCode", "durationMs", error, "createdAt")
    SELECT id, expected + 1, code, duration_ms, error, at FROM upd
  )
  SELECT n FROM upd`;

/** Claims given up: due now again ($3), if still at the attempt count they were claimed at. */
export const RELEASE_CLAIMS = `
  UPDATE webhook_deliveries d SET "nextAttemptAt" = $3, "updatedAt" = $3
    FROM unnest($1::text[], $2::int[]) AS t(id, attempts)
   WHERE d.id = t.id AND d.status::text = 'PENDING' AND d.attempts = t.attempts`;

const REF_COLUMNS = `id, "partnerId", attempts, ${utc('"nextAttemptAt"')}`;

/**
 * The delivery worker's reads and writes, in plain SQL on the process pool (the partner's sealed secrets only
 * here). The two per-attempt statements are batched: loads and attempt records that arrive while a batch is in
 * flight share the next round trip, and every caller hears back only once its own row is read or committed.
 */
@Injectable()
export class DeliveryAttemptsRepository {
  private readonly loader = new GroupCommit<string, DeliveryForAttempt | null>((ids) => this.loadMany(ids), {
    maxBatch: 200,
    concurrency: 2,
  });
  private readonly recorder = new GroupCommit<QueuedRecord, boolean>((items) => this.recordMany(items), {
    maxBatch: 200,
    concurrency: 2,
  });

  constructor(private readonly pool: PgPool) {}

  loadForAttempt(id: string): Promise<DeliveryForAttempt | null> {
    return this.loader.submit(id);
  }

  /**
   * Records one attempt and its consequence atomically. Only the attempt the job was made for may be recorded
   * (status PENDING and attempts unchanged): a second run of the same job (stalled after a crash, or raced)
   * records nothing, and null is returned. The usual case joins a batch (delivery updated under the state the
   * attempt started from, attempt row inserted from its result); if maxAttempts moved meanwhile (a retry opened
   * a new series) or the endpoint must be disabled (410), it is done under the row lock instead, with `decide`
   * seeing the row as it is now.
   */
  async recordAttempt(
    rec: AttemptRecord,
    seenMaxAttempts: number,
    decide: Decide,
  ): Promise<RecordedAttempt | null> {
    const attempts = rec.expectedAttempts + 1;
    const decision = decide(attempts, seenMaxAttempts);
    if (!decision.disableEndpoint && (await this.recorder.submit({ rec, seenMaxAttempts, decision })))
      return { decision, attempts };
    return this.recordLocked(rec, decide);
  }

  /**
   * An attempt is still running in the background: the delivery is not due again before `until` (unless the
   * attempt is recorded first, which sets its own nextAttemptAt). Guarded like the record itself.
   */
  async markInFlight(id: string, expectedAttempts: number, until: Date): Promise<void> {
    await this.pool.query(
      `UPDATE webhook_deliveries SET "nextAttemptAt" = $3, "updatedAt" = $4
        WHERE id = $1 AND status = 'PENDING' AND attempts = $2`,
      [id, expectedAttempts, iso(until), iso(new Date())],
    );
  }

  /**
   * Gives up the direct sender's claim on first attempts it will not make itself: they are due now again, so
   * the jobs that take them over (and an order's hand-off) run them at once. Guarded by the attempt count; the
   * status is compared as text for the reason given at RECORD_ATTEMPTS (rows by primary key, never by scanning
   * every pending delivery).
   */
  async releaseClaims(refs: DeliveryRef[]): Promise<void> {
    if (!refs.length) return;
    const now = iso(new Date());
    await this.pool.query(RELEASE_CLAIMS, [refs.map((r) => r.id), refs.map((r) => r.attempts), now]);
  }

  /** Fails a pending delivery without an HTTP attempt (no endpoint configured, endpoint disabled). */
  async failWithoutAttempt(id: string, expectedAttempts: number, message: string): Promise<boolean> {
    const { rowCount } = await this.pool.query(
      `UPDATE webhook_deliveries
          SET status = 'FAILED', "errorMessage" = $3, "nextAttemptAt" = NULL, "updatedAt" = $4
        WHERE id = $1 AND status = 'PENDING' AND attempts = $2`,
      [id, expectedAttempts, message, iso(new Date())],
    );
    return rowCount === 1;
  }

  /** The next pending event of the same order, once an earlier one is settled. */
  async nextInOrder(
    partnerId: string,
    orderId: string,
    sequence: number,
  ): Promise<(DeliveryRef & { nextAttemptAt: Date | null }) | null> {
    const { rows } = await this.pool.query<DeliveryRef & { nextAttemptAt: Date | null }>(
      `SELECT ${REF_COLUMNS} FROM webhook_deliveries
        WHERE "partnerId" = $1 AND "orderId" = $2 AND sequence > $3 AND status = 'PENDING'
        ORDER BY sequence LIMIT 1`,
      [partnerId, orderId, sequence],
    );
    return rows[0] ?? null;
  }

  /**
   * Pending deliveries overdue by more than the grace (their job may be missing), in (nextAttemptAt, id) order
   * after `cursor`, so successive sweeps walk the whole backlog instead of re-reading its oldest rows.
   */
  async overdue(
    before: Date,
    limit: number,
    cursor?: { nextAttemptAt: Date; id: string },
  ): Promise<Array<DeliveryRef & { nextAttemptAt: Date | null }>> {
    const { rows } = await this.pool.query<DeliveryRef & { nextAttemptAt: Date | null }>(
      `SELECT ${REF_COLUMNS} FROM webhook_deliveries
        WHERE status = 'PENDING' AND "nextAttemptAt" < $1
          AND ($2::timestamp IS NULL OR ("nextAttemptAt", id) > ($2::timestamp, $3::text))
        ORDER BY "nextAttemptAt", id LIMIT $4`,
      [iso(before), iso(cursor?.nextAttemptAt ?? null), cursor?.id ?? null, limit],
    );
    return rows;
  }

  private async loadMany(ids: string[]): Promise<Array<DeliveryForAttempt | null>> {
    // Named (prepared once per connection): parsing and planning it cost Postgres more than running it for a
    // typical batch (0.36 ms parse + 0.51 ms bind per batch of ~20 unnamed, 0.18 ms bind named). Its plan finds
    // the deliveries by primary key and an order's earlier events by (orderId, sequence) whatever the statistics
    // say about pending rows; planned on a nearly empty table it scans instead, until autovacuum analyses the
    // table (in the minutes after a fresh deploy). The record, unnamed, has neither risk (see RECORD_ATTEMPTS).
    const { rows } = await this.pool.query<LoadedRow>({
      name: 'webhooks-load-for-attempt',
      text: LOAD_FOR_ATTEMPT,
      values: [[...new Set(ids)]],
    });
    const byId = new Map(rows.map((r) => [r.id, toDelivery(r)]));
    return ids.map((id) => byId.get(id) ?? null);
  }

  private async recordMany(items: QueuedRecord[]): Promise<boolean[]> {
    const now = new Date();
    const col = <T>(f: (q: QueuedRecord) => T) => items.map(f);
    // Not named: planned for each batch (see RECORD_ATTEMPTS).
    const { rows } = await this.pool.query<{ n: string }>({
      text: RECORD_ATTEMPTS,
      values: [
        col((q) => q.rec.deliveryId),
        col((q) => q.rec.expectedAttempts),
        col((q) => q.seenMaxAttempts),
        col((q) => q.rec.url),
        col((q) => q.decision.status),
        col((q) => q.decision.statusCode),
        col((q) => q.decision.errorMessage),
        col((q) => q.rec.at.toISOString()),
        col((q) => iso(written(q.decision, now).deliveredAt)),
        col((q) => iso(written(q.decision, now).nextAttemptAt)),
        col((q) => Math.round(q.rec.durationMs)),
        col(() => now.toISOString()),
      ],
    });
    const recorded = new Set(rows.map((r) => Number(r.n)));
    return items.map((_, i) => recorded.has(i + 1));
  }

  private recordLocked(rec: AttemptRecord, decide: Decide): Promise<RecordedAttempt | null> {
    return this.pool.transaction(async (c) => {
      const { rows } = await c.query<{ status: string; attempts: number; maxAttempts: number }>(
        `SELECT status::text AS status, attempts, "maxAttempts" FROM webhook_deliveries WHERE id = $1 FOR UPDATE`,
        [rec.deliveryId],
      );
      const row = rows[0];
      if (!row || row.status !== 'PENDING' || row.attempts !== rec.expectedAttempts) return null;
      const attempts = rec.expectedAttempts + 1;
      const decision = decide(attempts, row.maxAttempts);
      await this.writeOne(c, rec, attempts, decision);
      return { decision, attempts };
    });
  }

  private async writeOne(c: PoolClient, rec: AttemptRecord, attempts: number, decision: AttemptDecision) {
    const now = new Date();
    const w = written(decision, now);
    await c.query(
      `INSERT INTO webhook_attempts ("deliveryId", attempt, "statusCode", "durationMs", error, "createdAt")
       VALUES ($1, $2, $3, $4, $5, $6)`,
      [
        rec.deliveryId,
        attempts,
        decision.statusCode,
        Math.round(rec.durationMs),
        decision.errorMessage,
        iso(rec.at),
      ],
    );
    await c.query(
      `UPDATE webhook_deliveries
          SET url = $2, attempts = $3, status = $4::"DeliveryStatus", "lastAttemptAt" = $5, "lastStatusCode" = $6,
              "errorMessage" = $7, "deliveredAt" = $8, "nextAttemptAt" = $9, "updatedAt" = $10
        WHERE id = $1`,
      [
        rec.deliveryId,
        rec.url,
        attempts,
        decision.status,
        iso(rec.at),
        decision.statusCode,
        decision.errorMessage,
        iso(w.deliveredAt),
        iso(w.nextAttemptAt),
        iso(now),
      ],
    );
    if (decision.disableEndpoint) {
      await c.query(
        `UPDATE partners SET "webhookDisabledAt" = $2, "updatedAt" = $3
          WHERE id = $1 AND "webhookDisabledAt" IS NULL`,
        [rec.partnerId, iso(rec.at), iso(now)],
      );
    }
  }
}

interface LoadedRow extends Omit<DeliveryForAttempt, 'partner' | 'blocker'> {
  webhookUrl: string | null;
  webhookDisabledAt: Date | null;
  webhookSecretEnc: string;
  webhookPrevSecretEnc: string | null;
  webhookPrevSecretUntil: Date | null;
  blockerDueAt: Date | null;
  pendingBlocker: boolean | null;
  unrelayedBlocker: boolean;
}

function toDelivery(r: LoadedRow): DeliveryForAttempt {
  const {
    webhookUrl,
    webhookDisabledAt,
    webhookSecretEnc,
    webhookPrevSecretEnc,
    webhookPrevSecretUntil,
    blockerDueAt,
    pendingBlocker,
    unrelayedBlocker,
    ...d
  } = r;
  return {
    ...d,
    partner: {
      webhookUrl,
      webhookDisabledAt,
      webhookSecretEnc,
      webhookPrevSecretEnc,
      webhookPrevSecretUntil,
    },
    blocker: pendingBlocker ? { dueAt: blockerDueAt } : unrelayedBlocker ? { dueAt: null } : null,
  };
}

/** When the delivery is delivered / next due, as this decision leaves it (`now`: when it is recorded). */
function written(decision: AttemptDecision, now: Date) {
  return {
    deliveredAt: decision.status === 'DELIVERED' ? now : null,
    nextAttemptAt:
      decision.status === 'PENDING' ? new Date(now.getTime() + (decision.nextDelayMs ?? 0)) : null,
  };
}

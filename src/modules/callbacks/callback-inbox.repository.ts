import { Injectable } from '@nestjs/common';
import { GroupCommit } from '@app/infra/batching/group-commit';
import { PgPool } from '@app/infra/prisma/pg-pool';
import type { OrderStatus } from '@app/generated/prisma/enums';
import type { RecordedTrubitFacts } from '@app/modules/orders/state/trubit-observation';
import { CallbackFacts } from './callback.facts';

/** A verified callback to put in the inbox. */
export interface NewCallback {
  facts: CallbackFacts;
  rawBody: string;
}

/** Its inbox row: new, or the one an earlier delivery of the same fact (dedupe key) left. */
export interface StoredCallback {
  id: string;
  processed: boolean;
  duplicate: boolean;
  /**
   * Whether the statement that stored it saw an order with its TruBit order id. true is final (a recorded id is
   * never removed); false only means "not as of the statement's snapshot", which predates the row's own commit:
   * see CallbackInboxService for why a new row is checked again after its commit.
   */
  orderKnown: boolean;
}

/** A stored callback as the worker reads it, with its order's record of TruBit's view (null: not known yet). */
export interface CallbackToApply {
  rawBody: string;
  processed: boolean;
  order: RecordedTrubitFacts | null;
}

/**
 * Inserts a batch and, in the same statement, reads the rows that were already there (a repeat inserts nothing).
 * The batch travels as one JSON parameter (cheaper to build than text arrays of raw bodies, which pg escapes
 * character by character). The outer SELECT sees the table as it was when the statement started, never the rows
 * `ins` adds, so a key is found by one side or the other; only a row committed by a concurrent writer after that
 * instant is found by neither, and is read again (storeMany). The keys also come as an array: `= ANY(array)`
 * is planned as a unique-index lookup, where a join with the JSON rows may be planned as a scan of the table.
 */
const STORE_BATCH = `
  WITH batch AS (
    SELECT * FROM json_to_recordset($1::json) AS t(k text, o text, s int, b text)
  ), ins AS (
    INSERT INTO trubit_callbacks ("dedupeKey", "trubitOrderId", "orderStatus", "rawBody", "receivedAt")
    SELECT k, o, s, b, $2::timestamp FROM batch
    ON CONFLICT ("dedupeKey") DO NOTHING
    RETURNING id, "dedupeKey", "trubitOrderId"
  )
  SELECT i.id::text AS id, i."dedupeKey" AS key, false AS processed, true AS inserted,
         EXISTS (SELECT 1 FROM orders o WHERE o."trubitOrderId" = i."trubitOrderId") AS known
  FROM ins i
  UNION ALL
  SELECT c.id::text, c."dedupeKey", c."processedAt" IS NOT NULL, false,
         EXISTS (SELECT 1 FROM orders o WHERE o."trubitOrderId" = c."trubitOrderId")
  FROM trubit_callbacks c
  WHERE c."dedupeKey" = ANY($3::text[])`;

const FIND_EXISTING = `
  SELECT c.id::text AS id, c."dedupeKey" AS key, c."processedAt" IS NOT NULL AS processed, false AS inserted,
         EXISTS (SELECT 1 FROM orders o WHERE o."trubitOrderId" = c."trubitOrderId") AS known
  FROM trubit_callbacks c WHERE c."dedupeKey" = ANY($1::text[])`;

/**
 * Unapplied callbacks whose order is known, received in (notBefore, olderThan), newest first: the ones whose job
 * may have been lost. Callbacks for an order we do not know are not candidates (nothing can apply them yet; the
 * code that records the TruBit order id applies them), so however many there are they cost a sweep nothing but
 * the index probe that rules them out.
 */
const UNPROCESSED_WITH_ORDER = `
  SELECT c.id::text AS id FROM trubit_callbacks c
  WHERE c."processedAt" IS NULL AND c."receivedAt" < $1::timestamp AND c."receivedAt" > $2::timestamp
    AND ($4::bigint IS NULL OR c.id < $4::bigint)
    AND EXISTS (SELECT 1 FROM orders o WHERE o."trubitOrderId" = c."trubitOrderId")
  ORDER BY c.id DESC LIMIT $3`;

/*
 * `"processedAt"::text IS NULL` below means `"processedAt" IS NULL`, in a form the planner cannot answer from the
 * processedAt index. Given that index, the planner reads every unapplied callback whenever the statistics say
 * there are few, for each call, and callbacks of orders the gateway does not know stay unapplied for good: the
 * cost of looking up a few callbacks would grow with that backlog without end. These statements find their rows
 * by TruBit order id or by id instead. Asserted in callback-inbox-plans.int-spec.ts.
 */

/** Unapplied callbacks about some TruBit order ids, oldest first, with what their order records. */
export const WAITING_FOR = `
  SELECT c.id::text AS id, c."trubitOrderId" AS tid, c."rawBody",
         o.status::text AS status, o."trubitStatus", o."trubitHasRefund", o."cepTrackingKey"
  FROM trubit_callbacks c LEFT JOIN orders o ON o."trubitOrderId" = c."trubitOrderId"
  WHERE c."trubitOrderId" = ANY($1::text[]) AND c."processedAt"::text IS NULL
  ORDER BY c.id`;

/** Marks callbacks applied (those not marked already). */
export const MARK_PROCESSED = `
  UPDATE trubit_callbacks SET "processedAt" = $2::timestamp
   WHERE id = ANY($1::bigint[]) AND "processedAt"::text IS NULL`;

/** An unapplied callback found for a TruBit order id just recorded (see WaitingCallbacks). */
export interface WaitingCallback {
  id: string;
  rawBody: string;
  /** Its order's record of TruBit's view, as of the read. */
  order: RecordedTrubitFacts | null;
}

/** The order columns joined to a callback (all null when no order has its TruBit id). */
interface OrderFactsRow {
  status: OrderStatus | null;
  trubitStatus: number | null;
  trubitHasRefund: boolean | null;
  cepTrackingKey: string | null;
}

function orderFacts(r: OrderFactsRow): RecordedTrubitFacts | null {
  return r.status
    ? {
        status: r.status,
        trubitStatus: r.trubitStatus,
        trubitHasRefund: r.trubitHasRefund ?? false,
        cepTrackingKey: r.cepTrackingKey,
      }
    : null;
}

interface WaitingRow extends OrderFactsRow {
  id: string;
  tid: string;
  rawBody: string;
}

interface StoreRow {
  id: string;
  key: string;
  processed: boolean;
  inserted: boolean;
  known: boolean;
}

/** trubit_callbacks: the inbox every verified callback is written to before TruBit hears SUCCESS. */
@Injectable()
export class CallbackInboxRepository {
  private readonly reads = new GroupCommit<string, CallbackToApply | null>(
    (ids) => this.findManyToApply(ids),
    { maxBatch: 100, concurrency: 2 },
  );

  private readonly processedWrites = new GroupCommit<string, null>((ids) => this.markManyProcessed(ids), {
    maxBatch: 200,
    concurrency: 2,
  });
  private readonly waitingReads = new GroupCommit<string, WaitingCallback[]>(
    (trubitOrderIds) => this.findManyWaiting(trubitOrderIds),
    { maxBatch: 100, concurrency: 2 },
  );

  constructor(private readonly pool: PgPool) {}

  /**
   * Stores a batch of callbacks, each once per dedupe key, and returns each one's row (in input order) with
   * whether it was already there and already applied. One autocommitted statement: when this returns, every new
   * row is durable. The same key twice in a batch is one row; the later copies are reported as duplicates.
   */
  async storeMany(callbacks: NewCallback[]): Promise<StoredCallback[]> {
    const first = new Map<string, NewCallback>();
    for (const c of callbacks) if (!first.has(c.facts.dedupeKey)) first.set(c.facts.dedupeKey, c);
    const unique = [...first.values()];
    const batch = JSON.stringify(
      unique.map((c) => ({
        k: c.facts.dedupeKey,
        o: c.facts.trubitOrderId,
        s: c.facts.orderStatus,
        b: c.rawBody,
      })),
    );
    // timestamp(3) columns hold UTC wall time (Prisma's convention): the zone suffix is ignored by the cast.
    const { rows } = await this.pool.query<StoreRow>({
      name: 'callbacks-store-batch',
      text: STORE_BATCH,
      values: [batch, new Date().toISOString(), [...first.keys()]],
    });
    const byKey = new Map<string, StoreRow>();
    for (const r of rows) if (!byKey.get(r.key)?.inserted) byKey.set(r.key, r);
    const missing = [...first.keys()].filter((k) => !byKey.has(k));
    if (missing.length) {
      // Inserted by a concurrent writer that committed after our statement began: visible to a new statement.
      const again = await this.pool.query<StoreRow>(FIND_EXISTING, [missing]);
      for (const r of again.rows) byKey.set(r.key, r);
    }
    const seen = new Set<string>();
    return callbacks.map((c) => {
      const key = c.facts.dedupeKey;
      const row = byKey.get(key);
      if (!row) throw new Error(`callback ${key} neither inserted nor found`);
      const repeat = seen.has(key);
      seen.add(key);
      return {
        id: row.id,
        processed: row.processed,
        duplicate: repeat || !row.inserted,
        orderKnown: row.known,
      };
    });
  }

  /** Which of these TruBit order ids are recorded on one of our orders (a fresh read: call after a commit). */
  async knownOrders(trubitOrderIds: string[]): Promise<Set<string>> {
    if (!trubitOrderIds.length) return new Set();
    const { rows } = await this.pool.query<{ id: string }>(
      `SELECT "trubitOrderId" AS id FROM orders WHERE "trubitOrderId" = ANY($1::text[])`,
      [trubitOrderIds],
    );
    return new Set(rows.map((r) => r.id));
  }

  /**
   * Unapplied callbacks about this TruBit order, in arrival order, each with what its order records of TruBit's
   * view (null when no order has the id). Called once per recorded TruBit id (every submission): concurrent
   * calls share one query.
   */
  waitingFor(trubitOrderId: string): Promise<WaitingCallback[]> {
    return this.waitingReads.submit(trubitOrderId);
  }

  private async findManyWaiting(trubitOrderIds: string[]): Promise<WaitingCallback[][]> {
    const { rows } = await this.pool.query<WaitingRow>({
      name: 'callbacks-waiting-for',
      text: WAITING_FOR,
      values: [trubitOrderIds],
    });
    const byOrder = new Map<string, WaitingCallback[]>();
    for (const r of rows) {
      const list = byOrder.get(r.tid) ?? [];
      list.push({ id: r.id, rawBody: r.rawBody, order: orderFacts(r) });
      byOrder.set(r.tid, list);
    }
    return trubitOrderIds.map((id) => byOrder.get(id) ?? []);
  }

  /** The worker's read, one per job (and per callback a recorder applies): concurrent reads share one query. */
  findToApply(id: string): Promise<CallbackToApply | null> {
    return this.reads.submit(id);
  }

  private async findManyToApply(ids: string[]): Promise<Array<CallbackToApply | null>> {
    const { rows } = await this.pool.query<
      OrderFactsRow & { id: string; rawBody: string; processed: boolean }
    >(
      `SELECT c.id::text AS id, c."rawBody", c."processedAt" IS NOT NULL AS processed,
              o.status::text AS status, o."trubitStatus", o."trubitHasRefund", o."cepTrackingKey"
       FROM trubit_callbacks c LEFT JOIN orders o ON o."trubitOrderId" = c."trubitOrderId"
       WHERE c.id = ANY($1::bigint[])`,
      [ids],
    );
    const byId = new Map(rows.map((r) => [r.id, r]));
    return ids.map((id) => {
      const r = byId.get(id);
      return r ? { rawBody: r.rawBody, processed: r.processed, order: orderFacts(r) } : null;
    });
  }

  /** Marks applied callbacks processed; concurrent calls share one UPDATE. */
  async markProcessed(ids: string[]): Promise<void> {
    await Promise.all(ids.map((id) => this.processedWrites.submit(id)));
  }

  private async markManyProcessed(ids: string[]): Promise<null[]> {
    await this.pool.query(MARK_PROCESSED, [ids, new Date().toISOString()]);
    return ids.map(() => null);
  }

  /**
   * Unapplied callbacks whose order is known, older than `olderThan` (their job may be missing) and younger than
   * `notBefore`, newest first, with ids below `belowId` when given (the sweeper pages through them).
   */
  async unprocessed(olderThan: Date, notBefore: Date, limit: number, belowId?: string): Promise<string[]> {
    const { rows } = await this.pool.query<{ id: string }>(UNPROCESSED_WITH_ORDER, [
      olderThan.toISOString(),
      notBefore.toISOString(),
      limit,
      belowId ?? null,
    ]);
    return rows.map((r) => r.id);
  }
}

import { Injectable } from '@nestjs/common';
import { GroupCommit } from '@app/infra/batching/group-commit';
import { PgPool } from '@app/infra/prisma/pg-pool';
import { PrismaService } from '@app/infra/prisma/prisma.service';
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
}

/** A stored callback as the worker reads it, with whether its order is known (yet). */
export interface CallbackToApply {
  rawBody: string;
  processed: boolean;
  orderKnown: boolean;
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
    RETURNING id, "dedupeKey"
  )
  SELECT id::text AS id, "dedupeKey" AS key, false AS processed, true AS inserted FROM ins
  UNION ALL
  SELECT id::text, "dedupeKey", "processedAt" IS NOT NULL, false FROM trubit_callbacks
  WHERE "dedupeKey" = ANY($3::text[])`;

const FIND_EXISTING = `
  SELECT id::text AS id, "dedupeKey" AS key, "processedAt" IS NOT NULL AS processed, false AS inserted
  FROM trubit_callbacks WHERE "dedupeKey" = ANY($1::text[])`;

interface StoreRow {
  id: string;
  key: string;
  processed: boolean;
  inserted: boolean;
}

/** trubit_callbacks: the inbox every verified callback is written to before TruBit hears SUCCESS. */
@Injectable()
export class CallbackInboxRepository {
  private readonly reads = new GroupCommit<string, CallbackToApply | null>(
    (ids) => this.findManyToApply(ids),
    { maxBatch: 100, concurrency: 2 },
  );

  constructor(
    private readonly pool: PgPool,
    private readonly prisma: PrismaService,
  ) {}

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
    const { rows } = await this.pool.query<StoreRow>(STORE_BATCH, [
      batch,
      new Date().toISOString(),
      [...first.keys()],
    ]);
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
      return { id: row.id, processed: row.processed, duplicate: repeat || !row.inserted };
    });
  }

  /**
   * The worker's read, one per attempt (a callback for an order we do not know is tried six times): the
   * attempts running at the same time share one query.
   */
  findToApply(id: string): Promise<CallbackToApply | null> {
    return this.reads.submit(id);
  }

  private async findManyToApply(ids: string[]): Promise<Array<CallbackToApply | null>> {
    const { rows } = await this.pool.query<CallbackToApply & { id: string }>(
      `SELECT c.id::text AS id, c."rawBody", c."processedAt" IS NOT NULL AS processed,
              EXISTS (SELECT 1 FROM orders o WHERE o."trubitOrderId" = c."trubitOrderId") AS "orderKnown"
       FROM trubit_callbacks c WHERE c.id = ANY($1::bigint[])`,
      [ids],
    );
    const byId = new Map(rows.map((r) => [r.id, r]));
    return ids.map((id) => {
      const r = byId.get(id);
      return r ? { rawBody: r.rawBody, processed: r.processed, orderKnown: r.orderKnown } : null;
    });
  }

  async markProcessed(id: string): Promise<void> {
    await this.pool.query(
      `UPDATE trubit_callbacks SET "processedAt" = $2::timestamp WHERE id = $1::bigint AND "processedAt" IS NULL`,
      [id, new Date().toISOString()],
    );
  }

  /**
   * Unapplied callbacks older than `olderThan` (their job may be missing) and younger than `notBefore`, newest
   * first, with ids below `belowId` when given (the sweeper pages through them).
   */
  async unprocessed(olderThan: Date, notBefore: Date, limit: number, belowId?: string): Promise<string[]> {
    const rows = await this.prisma.trubitCallback.findMany({
      where: {
        processedAt: null,
        receivedAt: { lt: olderThan, gt: notBefore },
        ...(belowId ? { id: { lt: BigInt(belowId) } } : {}),
      },
      orderBy: { id: 'desc' },
      take: limit,
      select: { id: true },
    });
    return rows.map((r) => r.id.toString());
  }
}

import { Injectable } from '@nestjs/common';
import { PgPool } from '@app/infra/prisma/pg-pool';

/**
 * The oldest outbox rows, by id (ids grow with time, so these are the oldest events): only the head of the table
 * is read, however many rows it holds, and of that head the relayed rows older than the cutoff go. A row not
 * relayed yet is never deleted, whatever its age (it is still owed to a partner). SKIP LOCKED: a second worker
 * replica pruning at the same time takes the next rows instead of waiting.
 */
export const DELETE_RELAYED_OUTBOX = `
  WITH head AS (
    SELECT id, "createdAt", "publishedAt" FROM outbox_events
    ORDER BY id
    LIMIT $2
    FOR UPDATE SKIP LOCKED
  )
  DELETE FROM outbox_events o
  USING head h
  WHERE o.id = h.id AND h."publishedAt" IS NOT NULL AND h."createdAt" < $1::timestamp`;

/**
 * Unapplied callbacks older than the cutoff about a TruBit order none of our orders has: another system's orders
 * on the same TruBit account. (A callback of ours that was never applied stays: its order exists.) Found through
 * the processedAt index (unapplied rows are few next to applied ones, and after a first prune they are at most
 * the retention window's foreign callbacks), never by walking the table in id order.
 */
export const DELETE_FOREIGN_CALLBACKS = `
  DELETE FROM trubit_callbacks
  WHERE id IN (
    SELECT c.id FROM trubit_callbacks c
    WHERE c."processedAt" IS NULL
      AND c."receivedAt" < $1::timestamp
      AND NOT EXISTS (SELECT 1 FROM orders o WHERE o."trubitOrderId" = c."trubitOrderId")
    LIMIT $2
    FOR UPDATE OF c SKIP LOCKED
  )`;

/** Deletes rows past their retention, a bounded batch per call; each returns how many rows it deleted. */
@Injectable()
export class RetentionRepository {
  constructor(private readonly pool: PgPool) {}

  /**
   * Relayed outbox events created before `olderThan`, among the `headSize` oldest rows. 0 means the head holds
   * nothing due (rows too recent, or still owed to a partner: as many of those as a whole head stop the prune
   * until the relay has sent them).
   */
  async deleteRelayedOutbox(olderThan: Date, headSize: number): Promise<number> {
    // timestamp(3) columns hold UTC wall time (Prisma's convention): the zone suffix is ignored by the cast.
    const { rowCount } = await this.pool.query(DELETE_RELAYED_OUTBOX, [olderThan.toISOString(), headSize]);
    return rowCount ?? 0;
  }

  /** Foreign callbacks (about orders that are not ours) received before `olderThan`, at most `limit`. */
  async deleteForeignCallbacks(olderThan: Date, limit: number): Promise<number> {
    const { rowCount } = await this.pool.query(DELETE_FOREIGN_CALLBACKS, [olderThan.toISOString(), limit]);
    return rowCount ?? 0;
  }
}

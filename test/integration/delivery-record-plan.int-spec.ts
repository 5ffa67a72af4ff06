// The attempt record's plan against the real Postgres: on a table of delivered history it must find each
// delivery by its primary key, whatever the statistics say about pending rows. Through the partial index of
// pending deliveries, which the planner picks when the statistics say few are pending, every batch reads every
// pending delivery, so a backlog (a burst, a partner's dead endpoint) makes every partner's records slower. The
// plan is asserted, not a timing (see RECORD_ATTEMPTS).
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { RECORD_ATTEMPTS } from '@app/modules/webhooks/delivery/delivery-attempts.repository';
import { withDb } from '@test/support/db';

const BATCH = 30;

describe('delivery attempts: record plan', () => {
  test('each delivery is found by its primary key, even when the statistics say few are pending', async () => {
    const plan = await withDb(async (db) => {
      await db.query('BEGIN');
      try {
        // A private copy of the table (same columns and indexes, partial ones included) whose statistics favour
        // the pending index the most: 3 pending deliveries among 50,000 (a table of delivered history, as in
        // production; on a table of a few thousand rows a scan is the cheaper plan, and is chosen).
        await db.query(
          `CREATE TEMP TABLE webhook_deliveries (LIKE public.webhook_deliveries INCLUDING ALL) ON COMMIT DROP`,
        );
        await db.query(
          `INSERT INTO pg_temp.webhook_deliveries (id, "partnerId", "eventId", "eventType", url, body, status,
                                                   "createdAt", "updatedAt")
           SELECT 'dlv_plan' || g, 'ptn_plan', 'evt_plan' || g, 'user.kyc_approved', 'https://p.example', '{}',
                  (CASE WHEN g <= 3 THEN 'PENDING' ELSE 'DELIVERED' END)::"DeliveryStatus", now(), now()
             FROM generate_series(1, 50000) g`,
        );
        await db.query('ANALYZE pg_temp.webhook_deliveries');
        // The plan of a batch as the recorder sends it (the statement is planned with its parameters).
        const at = new Date().toISOString();
        const column = <T>(value: (i: number) => T) => Array.from({ length: BATCH }, (_, i) => value(i));
        const { rows } = await db.query<{ 'QUERY PLAN': string }>(`EXPLAIN ${RECORD_ATTEMPTS}`, [
          column((i) => `dlv_plan${i + 1}`),
          column(() => 0),
          column(() => 5),
          column(() => 'https://p.example'),
          column(() => 'DELIVERED'),
          column(() => 200),
          column(() => null),
          column(() => at),
          column(() => at),
          column(() => null),
          column(() => 12),
          column(() => at),
        ]);
        return rows.map((r) => r['QUERY PLAN']).join('\n');
      } finally {
        await db.query('ROLLBACK');
      }
    });
    assert.match(plan, /Index Scan using webhook_deliveries_pkey on webhook_deliveries d/, plan);
    assert.doesNotMatch(plan, /nextAttemptAt|Bitmap|Seq Scan on webhook_deliveries/, plan);
  });
});

// The attempt record's plan against the real Postgres: on a table of delivered history it must find each
// delivery by its primary key, whatever the statistics say about pending rows. Through the partial index of
// pending deliveries, which the planner picks when the statistics say few are pending, every batch reads every
// pending delivery, so a backlog (a burst, a partner's dead endpoint) makes every partner's records slower. The
// plan is asserted, not a timing (see RECORD_ATTEMPTS). The release of direct claims has the same guard.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { RECORD_ATTEMPTS, RELEASE_CLAIMS } from '@app/modules/webhooks/delivery/delivery-attempts.repository';
import { planOnSkewedCopy } from '@test/support/skewed-plans';

const BATCH = 30;
const ids = Array.from({ length: BATCH }, (_, i) => `dlv_plan${i + 1}`);

/**
 * Plans against a copy of the deliveries whose statistics favour the pending index the most: 3 pending among
 * 50,000 (a table of delivered history, as in production; on a table of a few thousand rows a scan is the
 * cheaper plan, and is chosen).
 */
const planOnDeliveryHistory = (sql: string, values: unknown[]) =>
  planOnSkewedCopy(
    'webhook_deliveries',
    `INSERT INTO pg_temp.webhook_deliveries (id, "partnerId", "eventId", "eventType", url, body, status,
                                             "createdAt", "updatedAt")
     SELECT 'dlv_plan' || g, 'ptn_plan', 'evt_plan' || g, 'user.kyc_approved', 'https://p.example', '{}',
            (CASE WHEN g <= 3 THEN 'PENDING' ELSE 'DELIVERED' END)::"DeliveryStatus", now(), now()
       FROM generate_series(1, 50000) g`,
    // The plan of a batch as the repository sends it (planned with its parameters).
    (db) => db.query(`EXPLAIN ${sql}`, values),
  );

describe('delivery attempts: record plan', () => {
  test('each delivery is found by its primary key, even when the statistics say few are pending', async () => {
    const at = new Date().toISOString();
    const column = <T>(value: (i: number) => T) => Array.from({ length: BATCH }, (_, i) => value(i));
    const plan = await planOnDeliveryHistory(RECORD_ATTEMPTS, [
      ids,
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
    assert.match(plan, /Index Scan using webhook_deliveries_pkey on webhook_deliveries d/, plan);
    assert.doesNotMatch(plan, /nextAttemptAt|Bitmap|Seq Scan on webhook_deliveries/, plan);
  });

  test('released claims are found by their primary key too', async () => {
    const plan = await planOnDeliveryHistory(RELEASE_CLAIMS, [
      ids,
      ids.map(() => 0),
      new Date().toISOString(),
    ]);
    assert.match(plan, /Index Scan using webhook_deliveries_pkey on webhook_deliveries d/, plan);
    assert.doesNotMatch(plan, /nextAttemptAt|Bitmap|Seq Scan on webhook_deliveries/, plan);
  });
});

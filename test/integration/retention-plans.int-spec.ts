// Retention's two DELETEs against the real Postgres, planned against statistics of a long history: each run must
// cost what it deletes, not what the table has kept. The plans are asserted (not timings) on a skewed copy of the
// table (see planOnSkewedCopy): 50,000 rows, of which the ones the DELETE is after are few.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { DELETE_FOREIGN_CALLBACKS, DELETE_RELAYED_OUTBOX } from '@app/modules/retention/retention.repository';
import { planOnSkewedCopy } from '@test/support/skewed-plans';

describe('retention: plans that do not read the whole history', () => {
  test('the outbox prune reads the head of the primary key and stops at the batch size', async () => {
    const plan = await planOnSkewedCopy(
      'outbox_events',
      `INSERT INTO pg_temp.outbox_events ("eventId", "partnerId", "eventType", payload, "createdAt", "publishedAt")
       SELECT 'evt_plan' || g, 'prt_plan', 'order.created', '{}'::jsonb, now(), now()
         FROM generate_series(1, 50000) g`,
      (db) => db.query(`EXPLAIN ${DELETE_RELAYED_OUTBOX}`, [new Date().toISOString(), 1000]),
    );
    assert.match(plan, /Index Scan using outbox_events_pkey on outbox_events/, plan);
    assert.match(plan, /Limit/, plan);
    assert.doesNotMatch(plan, /Seq Scan on outbox_events|Sort/, plan);
  });

  test('the foreign-callback prune reads unapplied callbacks only, not every applied one', async () => {
    const plan = await planOnSkewedCopy(
      'trubit_callbacks',
      `INSERT INTO pg_temp.trubit_callbacks ("dedupeKey", "trubitOrderId", "orderStatus", "rawBody", "receivedAt",
                                             "processedAt")
       SELECT 'plan:' || g, (900000000000000000 + g)::text, 10, '{}', now() - interval '40 days',
              CASE WHEN g <= 3 THEN NULL ELSE now() END
         FROM generate_series(1, 50000) g`,
      (db) => db.query(`EXPLAIN ${DELETE_FOREIGN_CALLBACKS}`, [new Date().toISOString(), 1000]),
    );
    assert.match(plan, /trubit_callbacks_processedAt_idx/, plan);
    assert.doesNotMatch(plan, /Seq Scan on trubit_callbacks c/, plan);
  });
});

// Two inbox statements against the real Postgres: the waiting-callbacks read (run after every order/add) and the
// "mark applied" write (after every applied batch). Each must find its rows by TruBit order id or by id, not by
// reading every unapplied callback through the processedAt index: callbacks of orders the gateway does not know
// stay unapplied for good, so that read would grow without end. The plans are asserted against statistics that
// favour the processedAt index the most (3 unapplied callbacks among 50,000), not timings (see WAITING_FOR).
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type pg from 'pg';
import { MARK_PROCESSED, WAITING_FOR } from '@app/modules/callbacks/callback-inbox.repository';
import { planOnSkewedCopy } from '@test/support/skewed-plans';

const planOnSkewedInbox = (explain: (db: pg.Client) => Promise<{ rows: Array<{ 'QUERY PLAN': string }> }>) =>
  planOnSkewedCopy(
    'trubit_callbacks',
    `INSERT INTO pg_temp.trubit_callbacks ("dedupeKey", "trubitOrderId", "orderStatus", "rawBody", "receivedAt",
                                           "processedAt")
     SELECT 'plan:' || g, (900000000000000000 + g)::text, 10, '{}', now(),
            CASE WHEN g <= 3 THEN NULL ELSE now() END
       FROM generate_series(1, 50000) g`,
    explain,
  );

describe('callback inbox: plans that do not read every unapplied callback', () => {
  test('waiting callbacks are found by TruBit order id (as the named statement is run: a generic plan)', async () => {
    const plan = await planOnSkewedInbox(async (db) => {
      await db.query('SET LOCAL plan_cache_mode = force_generic_plan');
      await db.query(`PREPARE waiting_for_plan AS ${WAITING_FOR}`);
      return db.query('EXPLAIN EXECUTE waiting_for_plan(NULL)');
    });
    assert.match(plan, /using "trubit_callbacks_trubitOrderId_idx" on trubit_callbacks c/, plan);
    assert.doesNotMatch(plan, /processedAt_idx/, plan);
  });

  test('callbacks are marked applied by id', async () => {
    const plan = await planOnSkewedInbox((db) =>
      db.query(`EXPLAIN ${MARK_PROCESSED}`, [
        Array.from({ length: 20 }, (_, i) => String(100 + i)),
        new Date().toISOString(),
      ]),
    );
    assert.match(plan, /using trubit_callbacks_pkey on trubit_callbacks/, plan);
    assert.doesNotMatch(plan, /processedAt_idx/, plan);
  });
});

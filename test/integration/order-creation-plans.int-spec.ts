// Order creation consumes its quotes by id, under the partner's lock: it must find them by primary key, not by
// reading every unexpired quote through the expiresAt index. The plan of the consuming UPDATE (the condition the
// order-creation statement uses) is asserted against statistics that favour that index the most (3 unexpired
// quotes among 50,000), not a timing (see CONSUMABLE_QUOTE).
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { CONSUMABLE_QUOTE } from '@app/modules/orders/repositories/order-creation.repository';
import { planOnSkewedCopy } from '@test/support/skewed-plans';

describe('order creation: quotes are consumed by id', () => {
  test('the consuming UPDATE finds the batch quotes by primary key', async () => {
    const plan = await planOnSkewedCopy(
      'quotes',
      `INSERT INTO pg_temp.quotes (id, "partnerId", "userId", token, amount, "exchangeRate", "grossAmountMxn",
                                   "feePercent", "feeAmountMxn", "feeRecipient", "netAmountMxn",
                                   "revenueSharePercent", "expiresAt", "usedAt")
       SELECT 'qte_plan' || g, 'ptn_plan', 'usr_plan', 'USDT', 5, 19.8, 99, 1, 1, 'USER', 98, 0,
              CASE WHEN g <= 3 THEN now() + interval '5 min' ELSE now() - interval '1 day' END,
              CASE WHEN g <= 3 THEN NULL ELSE now() END
         FROM generate_series(1, 50000) g`,
      (db) =>
        db.query(
          `EXPLAIN UPDATE quotes SET "usedAt" = $1::timestamp WHERE id = ANY($2::text[]) AND ${CONSUMABLE_QUOTE}`,
          [new Date().toISOString(), Array.from({ length: 10 }, (_, i) => `qte_plan${i + 1}`)],
        ),
    );
    assert.match(plan, /using quotes_pkey on quotes/, plan);
    assert.doesNotMatch(plan, /expiresAt_idx/, plan);
  });
});

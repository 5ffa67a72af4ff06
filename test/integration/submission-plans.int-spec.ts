// The submitter's batch statements against the real Postgres: the QUEUED → SUBMITTING claim and the lock of
// the orders still SUBMITTING name their orders by id and must find them by primary key, not by reading every
// order in that submission state through the submission index. The plans are asserted against statistics that
// favour that index the most (3 QUEUED orders among 50,000), not timings (see CLAIM_BATCH).
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { CLAIM_BATCH, LOCK_SUBMITTING } from '@app/modules/orders/submission/submission.repository';
import { planOnSkewedCopy } from '@test/support/skewed-plans';

const BATCH = Array.from({ length: 10 }, (_, i) => `ord_plan${10 + i}`);

const planOnSkewedOrders = (sql: string, values: unknown[]) =>
  planOnSkewedCopy(
    'orders',
    `INSERT INTO pg_temp.orders (id, "partnerId", "userId", "quoteId", status, submission, token, amount,
                                 "exchangeRate", "grossAmountMxn", "feePercent", "feeAmountMxn", "feeRecipient",
                                 "netAmountMxn", "sellQuantity", "revenueSharePercent", "partnerFeeMxn",
                                 "platformFeeMxn", "sellerClabe", "bankCode", "bankName", "expiresAt", "updatedAt")
     SELECT 'ord_plan' || g, 'ptn_plan', 'usr_plan', 'qte_plan' || g,
            (CASE WHEN g <= 3 THEN 'PENDING_DEPOSIT' ELSE 'COMPLETED' END)::"OrderStatus",
            (CASE WHEN g <= 3 THEN 'QUEUED' ELSE 'SUBMITTED' END)::"SubmissionState",
            'USDT', 5, 19.8, 99, 1, 1, 'USER', 98, 4.95, 0, 0, 1, '002010077777777771', '002', 'BANAMEX',
            now() + interval '1 day', now()
       FROM generate_series(1, 50000) g`,
    (db) => db.query(`EXPLAIN ${sql}`, values),
  );

describe('order submission: batch statements find their orders by id', () => {
  test('the QUEUED → SUBMITTING claim', async () => {
    const plan = await planOnSkewedOrders(CLAIM_BATCH, [
      new Date().toISOString(),
      BATCH,
      BATCH.map(() => '1001'),
      BATCH.map(() => 'pay_1'),
    ]);
    assert.match(plan, /using orders_pkey on orders o/, plan);
    assert.doesNotMatch(plan, /orders_submission|orders_status/, plan);
  });

  test('the lock of the orders still SUBMITTING', async () => {
    const plan = await planOnSkewedOrders(LOCK_SUBMITTING, [BATCH]);
    assert.match(plan, /using orders_pkey on orders o/, plan);
    assert.doesNotMatch(plan, /orders_submission|orders_status/, plan);
  });
});

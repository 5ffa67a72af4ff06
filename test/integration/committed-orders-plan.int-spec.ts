// What a TruBit account's orders hold (FundsReservations' rule) is read under the funds lock of every
// order-creation batch and funding decision: its cost must be the backlog and the last few seconds of
// submissions, never a partner's history. Both statements are planned against a partner with 50,000 orders
// submitted long ago and 3 still QUEUED (the only partner), and must read orders through the submission indexes only, not through
// the partner's indexes (which hold its whole history). Plans, not timings (see committedOrdersCte). With the
// earlier form of the order-creation read (one join of the accounts' windows and orders on an OR), this plan was
// an index scan of orders_partnerId_status_idx returning all 50,000 rows.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { COMMITMENTS } from '@app/modules/funding/services/funds-reservation.service';
import { READ_BATCH } from '@app/modules/orders/repositories/order-creation.repository';
import { planOnSkewedCopy } from '@test/support/skewed-plans';

const planWithHistory = (sql: string, values: unknown[]) =>
  planOnSkewedCopy(
    'orders',
    // The partners copy is never analysed: a table of a few dozen rows seldom changes enough for autovacuum to
    // analyse it, and the planner then assumes 200 partners, which is what made it walk the partner's index.
    `CREATE TEMP TABLE partners (LIKE public.partners INCLUDING ALL) ON COMMIT DROP;
     INSERT INTO pg_temp.partners (id, name, tier, "kycModel", "webhookSecretEnc", "updatedAt")
       VALUES ('ptn_hist', 'history', 'GROWTH', 'PARTNER_MANAGED', 'sealed', now());
     INSERT INTO pg_temp.orders (id, "partnerId", "userId", "quoteId", status, submission, "submittedAt", token,
                                 amount, "exchangeRate", "grossAmountMxn", "feePercent", "feeAmountMxn",
                                 "feeRecipient", "netAmountMxn", "sellQuantity", "reservedQuantity",
                                 "revenueSharePercent", "partnerFeeMxn", "platformFeeMxn", "sellerClabe", "bankCode",
                                 "bankName", "expiresAt", "createdAt", "updatedAt")
     SELECT 'ord_hist' || g, 'ptn_hist', 'usr_hist', 'qte_hist' || g,
            (CASE WHEN g <= 3 THEN 'PENDING_DEPOSIT' ELSE 'COMPLETED' END)::"OrderStatus",
            (CASE WHEN g <= 3 THEN 'QUEUED' ELSE 'SUBMITTED' END)::"SubmissionState",
            CASE WHEN g <= 3 THEN NULL ELSE now() - interval '90 days' + g * interval '1 min' END,
            'USDT', 5, 19.8, 99, 1, 1, 'USER', 98, 4.95, CASE WHEN g <= 3 THEN 4.95 ELSE 0 END, 0, 0, 0,
            '002010077777777771', '002', 'BANAMEX', now() + interval '1 hour',
            now() - interval '90 days' + g * interval '1 min', now()
       FROM generate_series(1, 50000) g`,
    (db) => db.query(`EXPLAIN ${sql}`, values),
  );

const since = () => new Date(Date.now() - 12_000).toISOString();

/**
 * The committed orders are read once, as the committed_orders CTE, through the submission indexes; the partner's
 * history is behind its own indexes (partnerId first), which that read must not use. The order-creation read
 * has other, month-bounded subqueries that do use them, so only the CTE's subtree is checked there.
 */
function assertReadsNoHistory(plan: string): void {
  assert.match(plan, /CTE Scan on committed_orders/, plan);
  const lines = plan.split('\n');
  const start = lines.findIndex((l) => /^\s*CTE committed_orders$/.test(l));
  assert.ok(start >= 0, plan);
  const depth = lines[start].search(/\S/);
  const end = lines.findIndex((l, i) => i > start && l.search(/\S/) <= depth);
  const cte = lines.slice(start, end < 0 ? undefined : end).join('\n');
  assert.doesNotMatch(cte, /orders_partnerId|Seq Scan/, plan);
  assert.match(cte, /orders_submission_idx/, plan);
  assert.match(cte, /orders_submission_submittedAt_idx/, plan);
}

describe('funds: what an account commits is read without its partners’ history', () => {
  test('FundsReservations (funding decisions, balances)', async () => {
    assertReadsNoHistory(await planWithHistory(COMMITMENTS, [since(), 'key_operator', 'key_operator']));
  });

  test('the order-creation batch read', async () => {
    const now = new Date();
    assertReadsNoHistory(
      await planWithHistory(READ_BATCH, [
        ['qte_hist1'],
        ['ptn_hist'],
        now.toISOString(),
        now.toISOString(),
        ['key_operator'],
        [since()],
        'key_operator',
        [],
        since(),
      ]),
    );
  });
});

// Chaos: every order/add answers 500 although TruBit created the order (persistent error500AfterCommit).
// 100 partner orders go through the real pipeline (POST /orders → funding → submission → UNKNOWN →
// reconciliation). Not one duplicate TruBit order may appear, and once TruBit moves the orders on, each of
// ours must end in its true state with a clean timeline.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startStack, type RunningStack } from '@test/support/stack-harness';
import { eventually } from '@test/support/timing';
import { TradingFixture, type TestUser } from '@test/fixtures/trading.fixture';
import {
  assertCleanTimeline,
  clabeFor,
  closeLeftoverOrders,
  expectedStatus,
  simOrders,
} from '@test/fixtures/reconciliation.fixtures';
import { withDb } from '@test/support/db';

const USERS = 10;
const ORDERS_PER_USER = 10;
const TOTAL = USERS * ORDERS_PER_USER;

interface OurOrder {
  id: string;
  status: string;
  submission: string;
  trubitOrderId: string | null;
  sellQuantity: string;
  submitAttempts: number;
}

async function ourOrders(partnerId: string): Promise<OurOrder[]> {
  return withDb(async (db) => {
    const { rows } = await db.query(
      `SELECT id, status::text, submission::text, "trubitOrderId", "sellQuantity"::text, "submitAttempts"
         FROM orders WHERE "partnerId" = $1`,
      [partnerId],
    );
    return rows as OurOrder[];
  });
}

describe('chaos: 100 submissions whose order/add always answers 500 after committing', () => {
  let stack: RunningStack;
  let fx: TradingFixture;
  let partner: { id: string; apiKey: string };

  before(async () => {
    await closeLeftoverOrders();
    stack = await startStack({
      env: {
        RECONCILE_INTERVAL_MS: '1000',
        RECONCILE_UNKNOWN_GRACE_MS: '10000',
        FUNDING_WATCH_INTERVAL_MS: '500',
        // This test is about unknown outcomes, not the breaker (chaos/upstream-outage covers it): 100 × 500 in
        // a row must not turn into a flapping circuit that only slows the run down.
        TRUBIT_BREAKER_VOLUME: '10000',
        // Our order budget exactly at TruBit's 10/s lets network jitter cross it: the -1015 that follows pauses
        // the whole key for backoff429Ms (10 s). A little headroom keeps the run about reconciliation.
        TRUBIT_ORDERS_PER_SECOND: '8',
      },
    });
    fx = new TradingFixture(stack);
    const created = await stack.admin.createPartner({ name: 'Chaos unknown', tier: 'ENTERPRISE' });
    partner = { id: created.partner.id, apiKey: created.apiKey };
    await fx.approvedDefaultMerchant(partner.id);
  });
  after(() => stack.close());

  test('0 duplicate TruBit orders; every order reaches its true state', async () => {
    await stack.simControl('POST', '/faults', {
      route: 'order/add',
      mode: 'error500AfterCommit',
      persistent: true,
    });

    const users: TestUser[] = [];
    for (let u = 0; u < USERS; u++) users.push(await fx.user(partner.apiKey, partner.id));
    const created: string[] = [];
    // Ten users, each selling ten different amounts: every (payout method, quantity) pair is distinct.
    await Promise.all(
      users.map(async (user, u) => {
        for (let k = 0; k < ORDERS_PER_USER; k++) {
          const quote = await fx.quote(partner.apiKey, partner.id, user, { amount: 10 + k });
          const res = await fx.order(partner.apiKey, {
            quoteId: quote.id,
            partnerUserRef: user.partnerUserRef,
            sellerClabe: clabeFor(u + 1),
          });
          assert.equal(res.status, 201, res.text);
          created.push(res.body.id);
        }
      }),
    );
    assert.equal(created.length, TOTAL);

    // Every order/add "failed" with a 500, yet every order must end up SUBMITTED with its TruBit order.
    let last: OurOrder[] = [];
    const settled = await eventually(
      async () => {
        last = await ourOrders(partner.id);
        return last.length === TOTAL && last.every((o) => o.submission === 'SUBMITTED');
      },
      180_000,
      500,
    );
    const bySubmission = last.reduce<Record<string, number>>(
      (acc, o) => ({ ...acc, [o.submission]: (acc[o.submission] ?? 0) + 1 }),
      {},
    );
    assert.ok(settled, `not all submitted: ${JSON.stringify(bySubmission)}`);
    const faults = (await stack.simControl('GET', '/faults')).faults;
    assert.ok(faults[0].hits >= TOTAL, 'every order/add went through the 500 fault');

    // Ground truth: exactly one TruBit order per partner order, and the same set of ids.
    const truth = await simOrders(stack);
    const ids = last.map((o) => o.trubitOrderId!);
    assert.equal(new Set(ids).size, TOTAL, 'no TruBit order linked twice');
    assert.equal(truth.length, TOTAL, `TruBit holds ${truth.length} orders for ${TOTAL} partner orders`);
    assert.deepEqual(new Set(truth.map((o) => o.orderId)), new Set(ids));
    for (const o of last) {
      const t = truth.find((x) => x.orderId === o.trubitOrderId)!;
      assert.equal(
        Number(t.quantity),
        Number(o.sellQuantity),
        `${o.id} linked to a TruBit order of its quantity`,
      );
      assert.equal(o.submitAttempts, 1, `${o.id} was never sent twice`);
    }

    // TruBit moves them on (the fault no longer matters): a spread of final and intermediate states.
    await stack.simControl('DELETE', '/faults');
    const targets = [
      { status: 60 },
      { status: 40 },
      { status: 70 },
      { status: 70, hasRefund: 1 },
      { status: 80 },
      { status: 50 },
      { status: 60 },
    ];
    const expected = new Map<string, string>();
    for (const [i, o] of last.entries()) {
      const target = targets[i % targets.length];
      await stack.simControl('POST', `/orders/${o.trubitOrderId}/advance`, target);
      expected.set(o.id, expectedStatus(target.status, target.hasRefund ?? 0));
    }
    const caughtUp = await eventually(
      async () => (await ourOrders(partner.id)).every((o) => o.status === expected.get(o.id)),
      120_000,
      500,
    );
    const wrong = (await ourOrders(partner.id)).filter((o) => o.status !== expected.get(o.id));
    assert.ok(caughtUp, `${wrong.length} orders not in their true state, e.g. ${JSON.stringify(wrong[0])}`);

    for (const o of last) {
      const events = await assertCleanTimeline(o.id);
      assert.equal(events[0], 'order.created');
      assert.equal(events[1], 'order.active');
    }
    assert.equal((await simOrders(stack)).length, TOTAL, 'still no extra TruBit order');
  });
});

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import Decimal from 'decimal.js';
import { jobIds } from '@app/infra/queue/queue.names';
import { OrderSubmitter } from '@app/modules/orders/submission/order-submitter.service';
import { SubmissionQueue } from '@app/modules/orders/submission/submission.queue';
import { CreatedPartner } from '@test/support/admin-client';
import { withDb } from '@test/support/db';
import { RunningStack, startStack } from '@test/support/stack-harness';
import { sleep } from '@test/support/timing';
import { countOrders, GOOD_CLABE, TradingFixture, TestUser } from '@test/fixtures/trading.fixture';

describe('order submission to TruBit: concurrency, rejections, unknown outcomes, expiry', () => {
  let stack: RunningStack;
  let fx: TradingFixture;
  let p: CreatedPartner;
  let user: TestUser;

  before(async () => {
    stack = await startStack({ env: { RECONCILE_INTERVAL_MS: '3600000' } });
    fx = new TradingFixture(stack);
    p = fx.track(await stack.admin.createPartner({ tier: 'ENTERPRISE' }));
    user = await fx.user(p.apiKey, p.partner.id);
    await fx.approvedDefaultMerchant(p.partner.id);
  });
  after(async () => {
    await fx.closeOut();
    await stack.close();
  });

  const place = (amount: number) => fx.placeOrder(p.apiKey, p.partner.id, user, amount);

  test('10 concurrent orders on one quote → exactly one 201, the rest QUOTE_USED', async () => {
    const q = await fx.quote(p.apiKey, p.partner.id, user, { amount: 7 });
    const before = await countOrders(p.partner.id);
    const body = { quoteId: q.id, partnerUserRef: user.partnerUserRef, sellerClabe: GOOD_CLABE };
    const results = await Promise.all(Array.from({ length: 10 }, () => fx.order(p.apiKey, body)));
    const created = results.filter((r) => r.status === 201);
    assert.equal(created.length, 1, results.map((r) => r.status).join(','));
    for (const r of results.filter((x) => x.status !== 201)) {
      assert.equal(r.status, 409);
      assert.equal(r.body.error, 'QUOTE_USED');
    }
    assert.equal(await countOrders(p.partner.id), before + 1);
    const row = await fx.waitFor(created[0].body.id, (r) => r.submission === 'SUBMITTED');
    assert.equal((await fx.trubitOrders(stack.operator.apiKey, row.sellQuantity)).length, 1);
  });

  test('TruBit refuses the order for good → FAILED with failureReason and order.failed; funds released', async () => {
    await stack.simControl('POST', '/config', { hasOpen: false });
    try {
      const o = await place(4);
      const row = await fx.waitFor(o.id, (r) => r.status === 'FAILED');
      assert.equal(row.submission, 'FAILED');
      assert.equal(Number(row.reservedQuantity), 0);
      assert.equal(row.trubitOrderId, null);
      const detail = await fx.get(p.apiKey, `/api/v1/orders/${o.id}`);
      assert.equal(detail.body.status, 'FAILED');
      assert.match(detail.body.failureReason, /TruBit refused the order: .*closed/i);
      assert.deepEqual(
        detail.body.timeline.map((t: any) => [t.event, t.sequence]),
        [
          ['order.created', 1],
          ['order.failed', 2],
        ],
      );
      assert.equal(detail.body.timeline[1].data.trubitCode, -2010);
    } finally {
      await stack.simControl('POST', '/config', { hasOpen: true });
    }
  });

  test('order/add answers 500 after creating the order → UNKNOWN, one TruBit order, never sent again', async () => {
    await stack.simControl('POST', '/faults', { route: 'order/add', mode: 'error500AfterCommit', count: 1 });
    const o = await place(6.1357);
    const row = await fx.waitFor(o.id, (r) => r.submission === 'UNKNOWN');
    assert.equal(row.status, 'PENDING_DEPOSIT');
    assert.equal(row.trubitOrderId, null);
    assert.equal(row.submitAttempts, 1);
    assert.ok(row.submittedAt);
    assert.equal(
      new Decimal(row.reservedQuantity).toFixed(4),
      new Decimal(row.sellQuantity).toFixed(4),
      'funds stay held',
    );
    const atTrubit = await fx.trubitOrders(stack.operator.apiKey, row.sellQuantity);
    assert.equal(atTrubit.length, 1, 'exactly one TruBit order was created');
    assert.equal(atTrubit[0].orderType, 'SELL');

    // Any further job (a retry, a duplicate, the next attempt id) leaves it alone.
    await stack.worker!.get(SubmissionQueue).enqueue(o.id, 1);
    assert.equal(
      await stack.worker!.get(OrderSubmitter).submit(o.id, jobIds.orderSubmission(o.id, 1)),
      'skipped',
    );
    await fx.tick();
    await sleep(500);
    assert.equal((await fx.trubitOrders(stack.operator.apiKey, row.sellQuantity)).length, 1);
    const still = await fx.row(o.id);
    assert.equal(still.submission, 'UNKNOWN');
    assert.equal(still.submitAttempts, 1);
    const cancel = await fx.post(p.apiKey, `/api/v1/orders/${o.id}/cancel`);
    assert.equal(cancel.body.error, 'ORDER_NOT_CANCELLABLE', 'it may exist at TruBit');
  });

  test('rate limited by TruBit (nothing sent) → back to QUEUED, retried, submitted once', async () => {
    await stack.simControl('POST', '/faults', { route: 'order/add', mode: 'rateLimit', count: 1 });
    const o = await place(5.2468);
    const row = await fx.waitFor(o.id, (r) => r.submission === 'SUBMITTED', 20_000);
    assert.equal(row.status, 'ACTIVE');
    assert.equal(row.submitAttempts, 1, 'the refused call is not counted as an attempt');
    assert.equal((await fx.trubitOrders(stack.operator.apiKey, row.sellQuantity)).length, 1);
  });

  test('unfunded orders expire at expiresAt (guarded: two passes at once expire once)', async () => {
    const poor = await fx.partnerWithAccount('0');
    const u = await fx.user(poor.apiKey, poor.partner.id);
    const q = await fx.quote(poor.apiKey, poor.partner.id, u, { amount: 3 });
    const created = await fx.order(poor.apiKey, {
      quoteId: q.id,
      partnerUserRef: u.partnerUserRef,
      sellerClabe: GOOD_CLABE,
    });
    assert.equal(created.body.status, 'PENDING_DEPOSIT');
    await fx.tick();
    assert.equal((await fx.row(created.body.id)).status, 'PENDING_DEPOSIT', 'not expired before expiresAt');

    // Test-only time travel: the order's deadline is moved into the past.
    await withDb((db) =>
      db.query(`UPDATE orders SET "expiresAt" = now() - interval '1 second' WHERE id = $1`, [
        created.body.id,
      ]),
    );
    await Promise.all([fx.tick(), fx.tick()]);
    const detail = await fx.get(poor.apiKey, `/api/v1/orders/${created.body.id}`);
    assert.equal(detail.body.status, 'EXPIRED');
    assert.deepEqual(
      detail.body.timeline.map((t: any) => t.event),
      ['order.created', 'order.expired'],
    );
    await fx.tick();
    assert.equal((await fx.get(poor.apiKey, `/api/v1/orders/${created.body.id}`)).body.timeline.length, 2);
    // A deposit after expiry funds nothing.
    await stack.simControl('POST', `/accounts/${poor.trubit.apiKey}/deposit`, {
      asset: 'USDT',
      amount: '100',
    });
    await fx.tick();
    assert.equal((await fx.row(created.body.id)).submission, 'NOT_SUBMITTED');
    assert.equal(
      (await fx.post(poor.apiKey, `/api/v1/orders/${created.body.id}/cancel`)).body.error,
      'ORDER_NOT_CANCELLABLE',
    );
  });
});

// Operators' reconciliation endpoints on the real stack: POST /admin/v1/orders/:id/reconcile runs the
// reconciliation of one order inline and answers with its state afterwards; GET /admin/v1/upstream shows
// the circuit breaker, the upstream error rate, the outbound TruBit budgets and the accounts' submission lines.
// No worker runs here, so every change seen was made by the endpoint.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Queue } from 'bullmq';
import { bullConnection } from '@app/infra/queue/redis-connection';
import { jobIds, QUEUES } from '@app/infra/queue/queue.names';
import { RedisService } from '@app/infra/redis/redis.service';
import { accountId } from '@app/modules/funding/accounts/funding-accounts';
import { SubmissionAdmission } from '@app/modules/orders/submission/submission.admission';
import { TrubitUnknownOutcomeError } from '@app/modules/trubit/trubit.errors';
import type { TrubitClient } from '@app/modules/trubit/trubit.client';
import { withDb } from '@test/support/db';
import { http } from '@test/support/http';
import { startStack, type RunningStack } from '@test/support/stack-harness';
import { eventually } from '@test/support/timing';
import {
  closeLeftoverOrders,
  createSeller,
  insertOrder,
  orderEvents,
  readOrder,
  sellRequest,
  simClient,
  simOrders,
  type Seller,
} from '@test/fixtures/reconciliation.fixtures';

describe('admin reconciliation and upstream view', () => {
  let stack: RunningStack;
  let client: TrubitClient;
  let seller: Seller;
  let partnerId: string;
  const auth = () => ({ authorization: `Bearer ${stack.config.admin.token}` });
  const reconcile = (orderId: string, headers: Record<string, string> = auth()) =>
    http('POST', `${stack.api.url}/admin/v1/orders/${orderId}/reconcile`, { headers });
  const upstream = () => http('GET', `${stack.api.url}/admin/v1/upstream`, { headers: auth() });

  before(async () => {
    await closeLeftoverOrders();
    stack = await startStack({
      worker: false,
      env: { RECONCILE_UNKNOWN_GRACE_MS: '1000', TRUBIT_BREAKER_RESET_MS: '500', TRUBIT_BREAKER_VOLUME: '5' },
    });
    client = simClient(stack);
    seller = await createSeller(stack, client);
    partnerId = (await stack.admin.createPartner({ name: 'Admin reconcile' })).partner.id;
  });
  after(async () => {
    await client.close();
    await stack.close();
  });

  test('both endpoints need the admin token', async () => {
    const r1 = await reconcile('ord_whatever', {});
    assert.equal(r1.status, 401);
    assert.equal(r1.body.error, 'UNAUTHORIZED');
    const r2 = await http('GET', `${stack.api.url}/admin/v1/upstream`, {
      headers: { authorization: 'Bearer wrong-token-000000000' },
    });
    assert.equal(r2.status, 401);
  });

  test('an unknown order is 404 NOT_FOUND', async () => {
    const res = await reconcile('ord_doesnotexist000000000');
    assert.equal(res.status, 404);
    assert.equal(res.body.error, 'NOT_FOUND');
  });

  test('a submitted order is synced from order/detail, every skipped event emitted, then unchanged', async () => {
    const { orderId: trubitOrderId } = await client.addOrder(sellRequest(seller, '9.5'));
    const orderId = await insertOrder({
      partnerId,
      seller,
      quantity: '9.5',
      submission: 'SUBMITTED',
      trubitOrderId,
    });
    await stack.simControl('POST', `/orders/${trubitOrderId}/advance`, { status: 50 });

    const res = await reconcile(orderId);
    assert.equal(res.status, 200, res.text);
    assert.equal(res.body.action, 'synced');
    assert.equal(res.body.statusBefore, 'PENDING_DEPOSIT');
    assert.equal(res.body.order.status, 'VERIFIED');
    assert.equal(res.body.order.submission, 'SUBMITTED');
    assert.equal(res.body.order.trubitOrderId, trubitOrderId);
    assert.equal(res.body.order.trubitStatus, 50);
    const truth = await stack.simControl('GET', `/orders/${trubitOrderId}`);
    assert.equal(res.body.order.cepTrackingKey, truth.traclingNumber);
    assert.ok(res.body.order.trubitSeenAt);
    assert.deepEqual(
      (await orderEvents(orderId)).timeline.map((e) => e.event),
      ['order.created', 'order.active', 'order.locked', 'order.payment_verified'],
    );

    const again = await reconcile(orderId);
    assert.equal(again.body.action, 'unchanged');
    assert.equal(again.body.order.status, 'VERIFIED');
    assert.equal((await orderEvents(orderId)).timeline.length, 4);
  });

  test('an UNKNOWN order whose TruBit order exists is linked', async () => {
    const before = new Set((await simOrders(stack)).map((o) => o.orderId));
    await stack.simControl('POST', '/faults', { route: 'order/add', mode: 'error500AfterCommit' });
    const submittedAt = new Date();
    await assert.rejects(client.addOrder(sellRequest(seller, '4.75')), TrubitUnknownOutcomeError);
    const created = (await simOrders(stack)).filter((o) => !before.has(o.orderId));
    assert.equal(created.length, 1);
    const orderId = await insertOrder({
      partnerId,
      seller,
      quantity: '4.75',
      submission: 'UNKNOWN',
      submittedAt,
    });

    const res = await reconcile(orderId);
    assert.equal(res.status, 200, res.text);
    assert.equal(res.body.action, 'linked');
    assert.equal(res.body.order.submission, 'SUBMITTED');
    assert.equal(res.body.order.trubitOrderId, created[0].orderId);
    assert.equal(res.body.order.status, 'ACTIVE');
    assert.equal(Number((await readOrder(orderId)).reservedQuantity), 0);
  });

  test('an UNKNOWN order with nothing at TruBit waits out the grace period, then is requeued once', async () => {
    await stack.simControl('POST', '/faults', { route: 'order/add', mode: 'error500' });
    const submittedAt = new Date();
    await assert.rejects(client.addOrder(sellRequest(seller, '6.5')), TrubitUnknownOutcomeError);
    const orderId = await insertOrder({
      partnerId,
      seller,
      quantity: '6.5',
      submission: 'UNKNOWN',
      submittedAt,
      submitAttempts: 1,
    });

    const early = await reconcile(orderId);
    assert.equal(early.status, 200, early.text);
    assert.equal(early.body.action, 'waiting');
    assert.equal(early.body.order.submission, 'UNKNOWN');

    await withDb((db) =>
      db.query(`UPDATE orders SET "submittedAt" = $2 WHERE id = $1`, [orderId, new Date(Date.now() - 5000)]),
    );
    const late = await reconcile(orderId);
    assert.equal(late.body.action, 'requeued');
    assert.equal(late.body.order.submission, 'QUEUED');
    assert.equal(late.body.order.status, 'PENDING_DEPOSIT');

    const queue = new Queue(QUEUES.orderSubmission, {
      connection: bullConnection(stack.config.redis.url),
      prefix: `${stack.config.redis.prefix}bull`,
    });
    try {
      const job = await queue.getJob(jobIds.orderSubmission(orderId, 1));
      assert.deepEqual(job?.data, { orderId });
    } finally {
      await queue.close();
    }
    // Once QUEUED it belongs to the submission processor: reconcile leaves it alone.
    const after = await reconcile(orderId);
    assert.equal(after.body.action, 'not_submitted');
    assert.equal(after.body.order.submission, 'QUEUED');
    assert.equal((await simOrders(stack)).filter((o) => o.quantity === '6.5').length, 0);
  });

  test('upstream view: breaker state and counters, error rate, operator and per-partner budgets and lines', async () => {
    const own = await stack.admin.createPartner({
      name: 'Own TruBit account',
      trubit: { apiKey: 'partner-own-key', apiSecret: 'partner-own-secret' },
    });
    // Submission jobs waiting in the accounts' lines, as the worker's submitters would have put them there.
    const redis = new RedisService(stack.config);
    const line = new SubmissionAdmission(redis, stack.config);
    const operatorAccount = { id: accountId(stack.operator.apiKey) };
    const ownAccount = { id: accountId('partner-own-key') };
    for (const job of ['sub:a:0', 'sub:b:0', 'sub:c:0']) await line.admit(operatorAccount, job);
    await line.admit(ownAccount, 'sub:d:0');
    const res = await upstream().finally(async () => {
      for (const job of ['sub:a:0', 'sub:b:0', 'sub:c:0']) await line.leave(operatorAccount, job);
      await line.leave(ownAccount, 'sub:d:0');
      await redis.onModuleDestroy();
    });
    assert.equal(res.status, 200, res.text);
    assert.equal(res.body.circuit.state, 'CLOSED');
    assert.equal(typeof res.body.circuit.stats.successes, 'number');
    assert.ok(res.body.requests.succeeded > 0, 'the calls above went through this API instance');
    assert.ok(res.body.errorRate === null || (res.body.errorRate >= 0 && res.body.errorRate <= 1));
    const operator = res.body.budgets.find((b: any) => b.account === 'operator');
    assert.equal(operator.budget.weight.limit, stack.config.trubit.limiter.weightPerMinute);
    assert.equal(operator.budget.orders.limit, stack.config.trubit.limiter.ordersPerSecond);
    assert.ok(operator.budget.weight.used > 0, 'the reconcile calls spent weight');
    assert.equal(operator.budget.backend, 'redis');
    assert.doesNotMatch(JSON.stringify(res.body), /operator-key|partner-own/, 'API keys never shown');
    const partner = res.body.budgets.find((b: any) => b.partnerId === own.partner.id);
    assert.equal(partner.account, `partner:${own.partner.id}`);
    assert.equal(partner.budget.weight.used, 0);
    const heads = 2 * stack.config.trubit.limiter.ordersPerSecond;
    assert.deepEqual(operator.submissionLine, { waiting: 3, heads });
    assert.deepEqual(partner.submissionLine, { waiting: 1, heads });
  });

  test('TruBit failing: reconcile answers 503 UPSTREAM_UNAVAILABLE, the breaker opens and fails fast, then recovers', async () => {
    const { orderId: trubitOrderId } = await client.addOrder(sellRequest(seller, '1.5'));
    const orderId = await insertOrder({
      partnerId,
      seller,
      quantity: '1.5',
      submission: 'SUBMITTED',
      trubitOrderId,
    });
    await stack.simControl('POST', '/faults', { route: 'order/detail', mode: 'error500', persistent: true });
    try {
      let opened = false;
      for (let i = 0; i < 30 && !opened; i++) {
        const res = await reconcile(orderId);
        assert.equal(res.status, 503, res.text);
        assert.equal(res.body.error, 'UPSTREAM_UNAVAILABLE');
        assert.ok(Number(res.headers.get('retry-after')) >= 1);
        opened = /breaker_open/.test(res.body.message);
      }
      assert.ok(opened, 'the breaker opened');
      const view = await upstream();
      assert.equal(view.body.circuit.state, 'OPEN');
      assert.ok(view.body.errorRate >= 0.5, JSON.stringify(view.body));
      assert.ok(view.body.requests.failed >= 3);

      // Fail fast: the simulator sees no more calls while it is open.
      const hits = async () => (await stack.simControl('GET', '/faults')).faults[0].hits as number;
      const before = await hits();
      const fast = await reconcile(orderId);
      assert.equal(fast.status, 503);
      assert.equal(await hits(), before);
    } finally {
      await stack.simControl('DELETE', '/faults');
    }
    await stack.simControl('POST', `/orders/${trubitOrderId}/advance`, { status: 40 });
    assert.ok(
      await eventually(async () => (await reconcile(orderId)).status === 200, 5000, 100),
      'works again after the reset timeout',
    );
    assert.equal((await readOrder(orderId)).status, 'LOCKED');
    assert.equal((await upstream()).body.circuit.state, 'CLOSED');
  });
});

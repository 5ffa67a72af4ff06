// Reconciliation on the real stack (API + worker + simulator over HTTP, real Postgres and Redis): missed
// callbacks do not matter, unknown order/add outcomes are resolved without ever creating a second TruBit
// order, and two worker replicas reconciling at once give the same result as one.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Queue } from 'bullmq';
import type { INestApplicationContext } from '@nestjs/common';
import { createWorkerApp } from '@app/bootstrap';
import { bullConnection } from '@app/infra/queue/redis-connection';
import { jobIds, QUEUES } from '@app/infra/queue/queue.names';
import { TrubitUnknownOutcomeError } from '@app/modules/trubit/trubit.errors';
import type { TrubitClient } from '@app/modules/trubit/trubit.client';
import { ReconciliationPassService } from '@app/modules/reconciliation/reconciliation-pass.service';
import { ReconciliationLock, type HeldLock } from '@app/modules/reconciliation/reconciliation.lock';
import { UnknownSubmissionResolver } from '@app/modules/reconciliation/unknown/unknown-submission.resolver';
import { TradingFixture } from '@test/fixtures/trading.fixture';
import { withDb } from '@test/support/db';
import { startStack, type RunningStack } from '@test/support/stack-harness';
import { eventually, sleep } from '@test/support/timing';
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

const GRACE_MS = 1500;
const RECONCILE_ENV = {
  RECONCILE_INTERVAL_MS: '500',
  RECONCILE_UNKNOWN_GRACE_MS: String(GRACE_MS),
};

/** order/add at TruBit under an injected fault: returns the id it got (if any) and the submission time. */
async function placeUnderFault(
  stack: RunningStack,
  client: TrubitClient,
  seller: Seller,
  quantity: string,
  mode: 'error500' | 'error500AfterCommit',
): Promise<{ submittedAt: Date; trubitOrderId: string | null }> {
  const before = new Set((await simOrders(stack)).map((o) => o.orderId));
  await stack.simControl('POST', '/faults', { route: 'order/add', mode });
  const submittedAt = new Date();
  await assert.rejects(client.addOrder(sellRequest(seller, quantity)), TrubitUnknownOutcomeError);
  const created = (await simOrders(stack)).filter((o) => !before.has(o.orderId));
  assert.equal(created.length, mode === 'error500' ? 0 : 1);
  return { submittedAt, trubitOrderId: created[0]?.orderId ?? null };
}

function submissionQueue(stack: RunningStack): Queue {
  return new Queue(QUEUES.orderSubmission, {
    connection: bullConnection(stack.config.redis.url),
    prefix: `${stack.config.redis.prefix}bull`,
  });
}

/** Submission jobs of one order (any state), by id. */
async function submissionJobs(queue: Queue, orderId: string): Promise<string[]> {
  const jobs = await queue.getJobs(
    ['waiting', 'active', 'delayed', 'completed', 'failed', 'prioritized', 'waiting-children'],
    0,
    -1,
  );
  return jobs.filter((j) => j?.data?.orderId === orderId).map((j) => j.id!);
}

const statusIs = (orderId: string, status: string, timeoutMs = 10_000) =>
  eventually(async () => (await readOrder(orderId)).status === status, timeoutMs, 50);

describe('reconciliation: missed callbacks and unknown submissions', () => {
  let stack: RunningStack;
  let client: TrubitClient;
  let seller: Seller;
  let partnerId: string;
  let queue: Queue;

  before(async () => {
    await closeLeftoverOrders();
    stack = await startStack({ env: RECONCILE_ENV });
    client = simClient(stack);
    seller = await createSeller(stack, client);
    partnerId = (await stack.admin.createPartner({ name: 'Reconcile e2e' })).partner.id;
    queue = submissionQueue(stack);
    // Resubmissions go through the real submission processor, on the account's default merchant.
    await new TradingFixture(stack).approvedDefaultMerchant(partnerId);
  });
  after(async () => {
    await queue.close();
    await client.close();
    await stack.close();
  });

  test('callbacks all dropped: reconciliation walks the order to its true final state, every event in order', async () => {
    await stack.simControl('POST', '/callbacks', { mode: 'drop' });
    try {
      const { orderId: trubitOrderId } = await client.addOrder(sellRequest(seller, '11.5'));
      const orderId = await insertOrder({
        partnerId,
        seller,
        quantity: '11.5',
        submission: 'SUBMITTED',
        trubitOrderId,
      });
      assert.ok(await statusIs(orderId, 'ACTIVE'), 'TruBit 10 → ACTIVE');

      await stack.simControl('POST', `/orders/${trubitOrderId}/advance`, { status: 40 });
      assert.ok(await statusIs(orderId, 'LOCKED'), 'TruBit 40 → LOCKED');

      // 50 and 60 in one go, between two passes: the order leaves the pending list, order/detail tells.
      await stack.simControl('POST', `/orders/${trubitOrderId}/advance`, { status: 60 });
      assert.ok(await statusIs(orderId, 'COMPLETED'), 'TruBit 60 → COMPLETED');

      const order = await readOrder(orderId);
      const truth = await stack.simControl('GET', `/orders/${trubitOrderId}`);
      assert.equal(order.trubitStatus, 60);
      assert.equal(order.cepTrackingKey, truth.traclingNumber);
      assert.ok(order.cepTrackingKey);

      const { timeline, outbox } = await orderEvents(orderId);
      const expected = [
        'order.created',
        'order.active',
        'order.locked',
        'order.payment_verified',
        'order.completed',
      ];
      assert.deepEqual(
        timeline.map((e) => e.event),
        expected,
      );
      assert.deepEqual(
        timeline.map((e) => e.sequence),
        [1, 2, 3, 4, 5],
      );
      assert.deepEqual(outbox, timeline, 'one outbox row per timeline entry, same sequence');

      // Nothing reached the gateway's callback endpoint: it was all reconciliation.
      const stored = await withDb((db) =>
        db.query(`SELECT count(*)::int AS n FROM trubit_callbacks WHERE "trubitOrderId" = $1`, [
          trubitOrderId,
        ]),
      );
      assert.equal(stored.rows[0].n, 0);
    } finally {
      await stack.simControl('POST', '/callbacks', { mode: 'normal' });
    }
  });

  test('a cancelled-with-refund order that left the pending list is caught through order/detail', async () => {
    await stack.simControl('POST', '/callbacks', { mode: 'drop' });
    try {
      const { orderId: trubitOrderId } = await client.addOrder(sellRequest(seller, '3.25'));
      const orderId = await insertOrder({
        partnerId,
        seller,
        quantity: '3.25',
        submission: 'SUBMITTED',
        trubitOrderId,
      });
      assert.ok(await statusIs(orderId, 'ACTIVE'));
      await stack.simControl('POST', `/orders/${trubitOrderId}/advance`, { status: 70, hasRefund: 1 });
      assert.ok(await statusIs(orderId, 'REFUNDED'));
      const { timeline } = await orderEvents(orderId);
      assert.deepEqual(
        timeline.map((e) => e.event),
        ['order.created', 'order.active', 'order.refunded'],
      );
    } finally {
      await stack.simControl('POST', '/callbacks', { mode: 'normal' });
    }
  });

  test('UNKNOWN whose TruBit order exists (500 after commit): linked, walked forward, never resubmitted', async () => {
    const { submittedAt, trubitOrderId } = await placeUnderFault(
      stack,
      client,
      seller,
      '7.1234',
      'error500AfterCommit',
    );
    const orderId = await insertOrder({
      partnerId,
      seller,
      quantity: '7.1234',
      submission: 'UNKNOWN',
      submittedAt,
      submitAttempts: 1,
    });
    assert.ok(
      await eventually(async () => (await readOrder(orderId)).submission === 'SUBMITTED', 10_000, 50),
    );
    assert.ok(await statusIs(orderId, 'ACTIVE'), 'its TruBit status applied');
    const order = await readOrder(orderId);
    assert.equal(order.trubitOrderId, trubitOrderId);
    assert.equal(Number(order.reservedQuantity), 0);

    // Well past the grace period: still exactly one TruBit order for it, and no submission job.
    await sleep(GRACE_MS + 1000);
    const matching = (await simOrders(stack)).filter((o) => o.quantity === '7.1234');
    assert.deepEqual(
      matching.map((o) => o.orderId),
      [trubitOrderId],
    );
    assert.deepEqual(await submissionJobs(queue, orderId), []);
    assert.equal((await readOrder(orderId)).submitAttempts, 1);

    // Its later progress arrives by callback or reconciliation alike.
    await stack.simControl('POST', `/orders/${trubitOrderId}/advance`, { status: 60 });
    assert.ok(await statusIs(orderId, 'COMPLETED'));
    const { timeline } = await orderEvents(orderId);
    assert.deepEqual(
      timeline.map((e) => e.event),
      ['order.created', 'order.active', 'order.locked', 'order.payment_verified', 'order.completed'],
    );
  });

  test('UNKNOWN whose TruBit order does not exist (500 before commit): requeued exactly once, after the grace period', async () => {
    const { submittedAt } = await placeUnderFault(stack, client, seller, '5.4321', 'error500');
    const orderId = await insertOrder({
      partnerId,
      seller,
      quantity: '5.4321',
      submission: 'UNKNOWN',
      submittedAt,
      submitAttempts: 1,
    });
    assert.ok(
      await eventually(async () => (await submissionJobs(queue, orderId)).length > 0, 10_000, 50),
      'a submission job appears',
    );
    const jobs = await submissionJobs(queue, orderId);
    assert.deepEqual(jobs, [jobIds.orderSubmission(orderId, 1)]);
    const job = await queue.getJob(jobs[0]);
    assert.ok(job!.timestamp - submittedAt.getTime() >= GRACE_MS, 'not before the grace period');

    // The submission processor sends it again: exactly one TruBit order in the end, attempt 2.
    assert.ok(
      await eventually(async () => (await readOrder(orderId)).submission === 'SUBMITTED', 15_000, 50),
      'resubmitted',
    );
    const order = await readOrder(orderId);
    assert.equal(order.submitAttempts, 2);
    assert.equal(order.status, 'ACTIVE');
    await sleep(1500); // more passes change nothing
    const atTrubit = (await simOrders(stack)).filter((o) => o.quantity === '5.4321');
    assert.deepEqual(
      atTrubit.map((o) => o.orderId),
      [order.trubitOrderId],
    );
    assert.deepEqual(await submissionJobs(queue, orderId), jobs);
  });

  test('SUBMITTING left behind by a dead worker is treated as unknown and linked', async () => {
    const { submittedAt, trubitOrderId } = await placeUnderFault(
      stack,
      client,
      seller,
      '2.2222',
      'error500AfterCommit',
    );
    // SUBMITTING since 17 s ago (> 2 × TRUBIT_TIMEOUT_MS, 8 s by default): the worker that sent order/add
    // died. The TruBit order was created 17 s after that, inside the match window.
    const orderId = await insertOrder({
      partnerId,
      seller,
      quantity: '2.2222',
      submission: 'SUBMITTING',
      submittedAt: new Date(submittedAt.getTime() - 17_000),
    });
    assert.ok(
      await eventually(async () => (await readOrder(orderId)).submission === 'SUBMITTED', 10_000, 50),
    );
    assert.equal((await readOrder(orderId)).trubitOrderId, trubitOrderId);
  });
});

describe('reconciliation: two worker replicas at once', () => {
  let stack: RunningStack;
  let second: INestApplicationContext;
  let client: TrubitClient;
  let seller: Seller;
  let partnerId: string;
  let queue: Queue;

  before(async () => {
    await closeLeftoverOrders();
    stack = await startStack({ env: RECONCILE_ENV });
    second = await createWorkerApp(stack.config);
    client = simClient(stack);
    seller = await createSeller(stack, client);
    partnerId = (await stack.admin.createPartner({ name: 'Two workers' })).partner.id;
    queue = submissionQueue(stack);
    await new TradingFixture(stack).approvedDefaultMerchant(partnerId);
  });
  after(async () => {
    await queue.close();
    await client.close();
    await second.close();
    await stack.close();
  });

  test('same result as one worker: each order linked, resubmitted or synced once, no duplicate events', async () => {
    await stack.simControl('POST', '/callbacks', { mode: 'drop' });
    try {
      const linked: Array<{ orderId: string; trubitOrderId: string }> = [];
      for (const q of ['1.01', '1.02', '1.03']) {
        const r = await placeUnderFault(stack, client, seller, q, 'error500AfterCommit');
        const orderId = await insertOrder({
          partnerId,
          seller,
          quantity: q,
          submission: 'UNKNOWN',
          submittedAt: r.submittedAt,
        });
        linked.push({ orderId, trubitOrderId: r.trubitOrderId! });
      }
      const requeued: string[] = [];
      for (const q of ['2.01', '2.02']) {
        const r = await placeUnderFault(stack, client, seller, q, 'error500');
        requeued.push(
          await insertOrder({
            partnerId,
            seller,
            quantity: q,
            submission: 'UNKNOWN',
            submittedAt: r.submittedAt,
          }),
        );
      }
      const synced: Array<{ orderId: string; trubitOrderId: string }> = [];
      for (const q of ['3.01', '3.02']) {
        const { orderId: trubitOrderId } = await client.addOrder(sellRequest(seller, q));
        await stack.simControl('POST', `/orders/${trubitOrderId}/advance`, { status: 60 });
        const orderId = await insertOrder({
          partnerId,
          seller,
          quantity: q,
          submission: 'SUBMITTED',
          trubitOrderId,
        });
        synced.push({ orderId, trubitOrderId });
      }

      // Besides the scheduled passes, both replicas run the resolver and a pass at the same moment.
      const resolvers = [stack.worker!, second].map((w) =>
        w.get(UnknownSubmissionResolver, { strict: false }),
      );
      await Promise.all(resolvers.map((r) => r.resolveAll()));
      const passes = [stack.worker!, second].map((w) => w.get(ReconciliationPassService, { strict: false }));
      await Promise.all(passes.map((p) => p.run()));

      assert.ok(
        await eventually(
          async () => {
            const states = await Promise.all(
              [...linked, ...synced].map(async (o) => (await readOrder(o.orderId)).status),
            );
            const queued = await Promise.all(requeued.map((id) => submissionJobs(queue, id)));
            return (
              states.slice(0, linked.length).every((s) => s === 'ACTIVE') &&
              states.slice(linked.length).every((s) => s === 'COMPLETED') &&
              queued.every((j) => j.length > 0) &&
              (await Promise.all(requeued.map(readOrder))).every((o) => o.submission === 'SUBMITTED')
            );
          },
          15_000,
          100,
        ),
        'all orders reconciled',
      );
      await sleep(1500); // a few more concurrent passes must change nothing

      for (const o of linked) {
        const row = await readOrder(o.orderId);
        assert.equal(row.trubitOrderId, o.trubitOrderId);
        const { timeline, outbox } = await orderEvents(o.orderId);
        assert.deepEqual(
          timeline.map((e) => e.event),
          ['order.created', 'order.active'],
        );
        assert.deepEqual(outbox, timeline);
      }
      for (const o of synced) {
        const { timeline, outbox } = await orderEvents(o.orderId);
        assert.deepEqual(
          timeline.map((e) => e.event),
          ['order.created', 'order.active', 'order.locked', 'order.payment_verified', 'order.completed'],
        );
        assert.deepEqual(outbox, timeline);
      }
      for (const id of requeued) {
        assert.deepEqual(await submissionJobs(queue, id), [jobIds.orderSubmission(id, 1)]);
        const row = await readOrder(id);
        assert.equal(row.submitAttempts, 2, 'submitted again exactly once');
        const { timeline } = await orderEvents(id);
        assert.deepEqual(
          timeline.map((e) => e.event),
          ['order.created', 'order.active'],
        );
      }
      // Exactly one TruBit order per partner order, whichever way it got there.
      const truth = await simOrders(stack);
      for (const q of ['1.01', '1.02', '1.03', '2.01', '2.02', '3.01', '3.02'])
        assert.equal(truth.filter((o) => o.quantity === q).length, 1, q);
    } finally {
      await stack.simControl('POST', '/callbacks', { mode: 'normal' });
    }
  });

  test('passes are exclusive: while one replica holds the pass, the other skips it', async () => {
    const lock = stack.worker!.get(ReconciliationLock, { strict: false });
    const pass = second.get(ReconciliationPassService, { strict: false });
    let lease: HeldLock | null = null;
    // A scheduled pass may hold it right now: wait for our turn.
    assert.ok(
      await eventually(
        async () => (lease = await lock.acquire('reconcile-pass', 10_000)) !== null,
        10_000,
        20,
      ),
    );
    try {
      assert.equal(await pass.run(), null);
    } finally {
      await lease!.release();
    }
    assert.ok(await eventually(async () => (await pass.run()) !== null, 10_000, 20));
  });
});

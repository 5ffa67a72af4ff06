// Callbacks that arrive before the gateway knows their order (the status-10 callback racing the order/add
// answer; callbacks for an unknown submission that reconciliation links later) wait in the inbox without a job
// and are applied by whoever records the TruBit order id, right after that commit: no timed retries. The
// callback worker is paused here, so whatever is applied was applied by the recorder itself.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { getQueueToken } from '@nestjs/bullmq';
import type { Queue } from 'bullmq';
import { APP_CONFIG } from '@app/config/app-config';
import { Clock } from '@app/infra/clock/clock';
import { PrismaService } from '@app/infra/prisma/prisma.service';
import { jobIds, QUEUES } from '@app/infra/queue/queue.names';
import { CallbackApplier } from '@app/modules/callbacks/callback-applier.service';
import { CallbackSweeper } from '@app/modules/callbacks/callback.sweeper';
import { TrubitCallbackProcessor } from '@app/modules/callbacks/trubit-callback.processor';
import { WaitingCallbacks } from '@app/modules/callbacks/waiting-callbacks.service';
import { FundingAccounts } from '@app/modules/funding/accounts/funding-accounts';
import type { MerchantProvisioner } from '@app/modules/orders/submission/merchant.provisioner';
import { OrderSubmitter } from '@app/modules/orders/submission/order-submitter.service';
import type { PayoutMethodProvisioner } from '@app/modules/orders/submission/payout-method.provisioner';
import { SubmissionAdmission } from '@app/modules/orders/submission/submission.admission';
import { SubmissionQueue } from '@app/modules/orders/submission/submission.queue';
import { OutboxNudge } from '@app/modules/outbox/outbox.nudge';
import { SubmissionRepository } from '@app/modules/orders/submission/submission.repository';
import { OrderTransitionService } from '@app/modules/orders/transitions/order-transition.service';
import { UnknownSubmissionResolver } from '@app/modules/reconciliation/unknown/unknown-submission.resolver';
import type { TrubitClient } from '@app/modules/trubit/trubit.client';
import { TrubitUnknownOutcomeError } from '@app/modules/trubit/trubit.errors';
import type { TrubitApi } from '@app/modules/trubit/trubit-api.interface';
import { http } from '@test/support/http';
import { startStack, type RunningStack } from '@test/support/stack-harness';
import { eventually } from '@test/support/timing';
import {
  inboxRows,
  insertLinkedOrder,
  orderState,
  orderWebhookBody,
  signHex,
} from '@test/fixtures/callbacks.fixtures';
import {
  closeLeftoverOrders,
  createSeller,
  insertOrder,
  sellRequest,
  simClient,
  simOrders,
  type Seller,
} from '@test/fixtures/reconciliation.fixtures';

/** A TruBit order id nobody has used. */
let seq = 0;
const freshTrubitId = () => `6${String(Date.now()).padStart(15, '0')}${String(seq++).padStart(3, '0')}`;

describe('callbacks waiting for their order', () => {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  let stack: RunningStack;
  let client: TrubitClient;
  let seller: Seller;
  let partnerId: string;
  let queue: Queue;
  let processor: TrubitCallbackProcessor;

  const postCallback = async (trubitOrderId: string, status: string) => {
    const body = orderWebhookBody(trubitOrderId, status);
    const res = await http('POST', `${stack.api.url}/callbacks/trubit`, {
      rawBody: body,
      headers: { 'content-type': 'application/json', signature: signHex(body, privateKey) },
    });
    assert.equal(res.status, 200);
    assert.deepEqual(res.body, { callbackStatus: 'SUCCESS' });
  };
  const jobOf = (callbackId: string) => queue.getJob(jobIds.trubitCallback(callbackId));

  before(async () => {
    await closeLeftoverOrders();
    stack = await startStack({
      sim: { rsaPrivateKeyPem: privateKey.export({ type: 'pkcs1', format: 'pem' }).toString() },
      // Reconciliation runs only when a test calls it.
      env: { RECONCILE_INTERVAL_MS: '3600000' },
    });
    // The simulator's own callbacks would race the ones the tests post.
    await stack.simControl('POST', '/callbacks', { mode: 'drop' });
    client = simClient(stack);
    seller = await createSeller(stack, client);
    partnerId = (await stack.admin.createPartner({ name: 'Waiting callbacks' })).partner.id;
    queue = stack.worker!.get<Queue>(getQueueToken(QUEUES.trubitCallbacks), { strict: false });
    processor = stack.worker!.get(TrubitCallbackProcessor, { strict: false });
    await processor.worker.pause(true);
  });
  after(async () => {
    processor.worker.resume();
    await stack.simControl('POST', '/callbacks', { mode: 'normal' });
    await client.close();
    await stack.close();
  });

  test('a callback that beat the order/add answer is applied by the submitter when it records the id', async () => {
    const trubitOrderId = freshTrubitId();
    const w = stack.worker!;
    // TruBit creates the order, its callbacks 10 and 40 are delivered and stored, and only then does order/add
    // answer. The 10 repeats what the submitter records (only marked processed); the 40 moves the order.
    const trubit = {
      addOrder: async () => {
        await postCallback(trubitOrderId, '10');
        await postCallback(trubitOrderId, '40');
        return { orderId: trubitOrderId };
      },
    } as unknown as TrubitApi;
    const submitter = new OrderSubmitter(
      w.get(APP_CONFIG),
      trubit,
      w.get(PrismaService),
      w.get(SubmissionRepository, { strict: false }),
      w.get(FundingAccounts, { strict: false }),
      { merchantFor: () => Promise.resolve(seller.mcId) } as unknown as MerchantProvisioner,
      { paymentIdFor: () => Promise.resolve(String(seller.paymentId)) } as unknown as PayoutMethodProvisioner,
      w.get(OrderTransitionService, { strict: false }),
      w.get(Clock, { strict: false }),
      w.get(WaitingCallbacks, { strict: false }),
      w.get(OutboxNudge, { strict: false }),
      w.get(SubmissionAdmission, { strict: false }),
      w.get(SubmissionQueue, { strict: false }),
    );
    const orderId = await insertOrder({ partnerId, seller, quantity: '3.2100', submission: 'QUEUED' });

    assert.equal(await submitter.submit(orderId, jobIds.orderSubmission(orderId)), 'submitted');

    // Already applied when submit() returns: by the submitter, not by a (paused) job or a timer.
    const rows = await inboxRows(trubitOrderId);
    assert.equal(rows.length, 2);
    assert.ok(
      rows.every((r) => r.processedAt),
      'both waiting callbacks were applied',
    );
    const state = await orderState(orderId);
    assert.equal(state.status, 'LOCKED');
    assert.equal(state.trubitStatus, 40);
    const events = state.timeline.filter((t) => t.event !== 'order.created');
    assert.deepEqual(
      events.map((t) => [t.event, t.data.source]),
      [
        ['order.active', 'submission'],
        ['order.locked', 'callback'],
      ],
    );
  });

  test('callbacks for an unknown submission are applied by reconciliation when it links the order', async () => {
    // order/add created the order at TruBit but its answer was lost: our order is UNKNOWN, without the id.
    const quantity = '4.3210';
    const before = new Set((await simOrders(stack)).map((o) => o.orderId));
    await stack.simControl('POST', '/faults', { route: 'order/add', mode: 'error500AfterCommit' });
    const submittedAt = new Date();
    await assert.rejects(client.addOrder(sellRequest(seller, quantity)), TrubitUnknownOutcomeError);
    const [trubitOrderId] = (await simOrders(stack))
      .map((o) => o.orderId)
      .filter((id: string) => !before.has(id));
    const orderId = await insertOrder({
      partnerId,
      seller,
      quantity,
      submission: 'UNKNOWN',
      submittedAt,
      submitAttempts: 1,
    });
    // TruBit's callbacks arrive meanwhile (40: fresher than what order/detail will say): stored, no job.
    await postCallback(trubitOrderId, '10');
    await postCallback(trubitOrderId, '40');
    assert.equal((await inboxRows(trubitOrderId)).length, 2);

    const outcome = await stack.worker!.get(UnknownSubmissionResolver, { strict: false }).resolveOne(orderId);
    assert.equal(outcome, 'linked');

    const rows = await inboxRows(trubitOrderId);
    assert.ok(
      rows.every((r) => r.processedAt),
      'both waiting callbacks applied by the resolver',
    );
    const state = await orderState(orderId);
    assert.equal(state.status, 'LOCKED');
    assert.deepEqual(
      state.timeline.filter((t) => t.event !== 'order.created').map((t) => [t.event, t.data.source]),
      [
        ['order.active', 'reconcile'],
        ['order.locked', 'callback'],
      ],
    );
  });

  test('a callback for an order we do not know gets no job and no retries, and no sweep picks it up', async () => {
    const unknown = freshTrubitId();
    await postCallback(unknown, '30');
    const [row] = await inboxRows(unknown);
    assert.equal(row.processedAt, null);

    // A callback of a known order posted after it: its job appears, the unknown one's never does.
    const known = freshTrubitId();
    await insertLinkedOrder(partnerId, known, { status: 'ACTIVE' });
    await postCallback(known, '40');
    const [knownRow] = await inboxRows(known);
    assert.ok(await eventually(async () => Boolean(await jobOf(knownRow.id)), 5000));
    assert.equal(await jobOf(row.id), undefined, 'no job for the unknown order');

    // Were a job to run it anyway, it would finish without a retry and leave the row waiting.
    assert.equal(await stack.worker!.get(CallbackApplier, { strict: false }).apply(row.id), 'order-unknown');
    assert.equal((await inboxRows(unknown))[0].processedAt, null);
    // The sweeper does not consider it, however old it gets.
    const sweeper = stack.worker!.get(CallbackSweeper, { strict: false });
    await sweeper.sweep(0);
    assert.equal(await jobOf(row.id), undefined, 'the sweeper does not enqueue it');

    // Once the id is recorded (as the submitter or reconciliation do), the waiting callback is applied.
    const orderId = await insertLinkedOrder(partnerId, unknown, { status: 'PENDING_DEPOSIT' });
    assert.equal(await stack.worker!.get(WaitingCallbacks, { strict: false }).applyFor(unknown), 1);
    assert.ok((await inboxRows(unknown))[0].processedAt);
    assert.equal((await orderState(orderId)).status, 'ACTIVE');
  });
});

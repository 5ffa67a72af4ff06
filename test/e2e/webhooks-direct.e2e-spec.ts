// The relay sends a new delivery's first attempt directly (no BullMQ job); what cannot go now becomes a job,
// and a worker that dies between the relay's commit and the send loses nothing.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { getQueueToken } from '@nestjs/bullmq';
import type { Queue } from 'bullmq';
import { createWorkerApp } from '@app/bootstrap';
import { newId } from '@app/infra/crypto/ids';
import { QUEUES, jobIds } from '@app/infra/queue/queue.names';
import { OutboxRelay } from '@app/modules/outbox/outbox.relay';
import { DeliveryAttemptsRepository } from '@app/modules/webhooks/delivery/delivery-attempts.repository';
import { DeliveryExchange } from '@app/modules/webhooks/delivery/delivery.exchange';
import { DeliverySweeper } from '@app/modules/webhooks/delivery/delivery.sweeper';
import { DirectDeliveryService } from '@app/modules/webhooks/delivery/direct-delivery.service';
import {
  MIN_PARTNER_CONCURRENCY,
  PartnerDeliverySlots,
} from '@app/modules/webhooks/delivery/partner-delivery.slots';
import { withDb } from '@test/support/db';
import { http } from '@test/support/http';
import { RunningStack, startStack } from '@test/support/stack-harness';
import { eventually } from '@test/support/timing';
import { WebhookReceiver } from '@test/fixtures/webhook-receiver';
import {
  deliveriesOf,
  deliveryByEvent,
  insertOutboxEvents,
  orderEvents,
  settled,
} from '@test/fixtures/webhooks.fixtures';

describe('direct first attempts', () => {
  let stack: RunningStack;
  let queue: Queue;
  const receivers: WebhookReceiver[] = [];

  async function partnerWithReceiver() {
    const receiver = await new WebhookReceiver().start();
    receivers.push(receiver);
    const p = await stack.admin.createPartner({ webhookUrl: receiver.url });
    return { id: p.partner.id, receiver };
  }
  const kyc = (n: number) => Array.from({ length: n }, () => ({ event: 'user.kyc_approved', data: {} }));
  const jobOf = (deliveryId: string) => queue.getJob(jobIds.webhookDelivery(deliveryId, 0));
  /** First attempts handed to the job path for want of a slot, as the API's /metrics reports (shared registry). */
  async function noSlotFallbacks(): Promise<number> {
    const res = await http('GET', `${stack.api.url}/metrics`);
    return Number(/webhook_direct_fallbacks_total\{reason="no_slot"\} (\d+)/.exec(res.text)?.[1] ?? 0);
  }

  /**
   * Events 1 and 2 of one order, where event 1 settles (and its hand-off to event 2 runs) after event 2's
   * attempt has read "event 1 is pending" and before it puts itself aside: the hand-off finds event 2's job
   * running, or its delivery claimed, and wakes nothing. `insert` writes the outbox rows. Returns how long event
   * 2 took after event 1 was delivered (without a second look it waits out its fallback delay: event 1's
   * claim, more than 10 s).
   */
  async function earlierEventSettlesMidCheck(
    insert: (partnerId: string, orderId: string) => Promise<string[]>,
  ): Promise<{ raced: boolean; gapMs: number; received: number[] }> {
    const p = await partnerWithReceiver();
    const orderId = newId.order();
    // Event 1 is in flight for a moment, long enough for event 2's attempt to read it as pending.
    p.receiver.responder = (req) => (req.body?.data?.sequence === 1 ? { status: 200, delayMs: 300 } : {});
    const repo = stack.worker!.get(DeliveryAttemptsRepository);
    const exchange = stack.worker!.get(DeliveryExchange);
    const load = repo.loadForAttempt.bind(repo);
    const releaseNext = exchange.releaseNext.bind(exchange);
    let firstHandedOff!: () => void;
    const handedOff = new Promise<void>((r) => (firstHandedOff = r));
    let raced = false;
    exchange.releaseNext = async (d) => {
      await releaseNext(d);
      if (d.orderId === orderId && d.sequence === 1) firstHandedOff();
    };
    repo.loadForAttempt = async (id) => {
      const d = await load(id);
      if (!raced && d?.orderId === orderId && d.sequence === 2 && d.blocker) {
        raced = true;
        await handedOff; // event 1 settles and hands off now; this attempt goes on with its stale read
      }
      return d;
    };
    try {
      const ids = await insert(p.id, orderId);
      assert.ok(await settled(ids, ['DELIVERED'], 30_000));
    } finally {
      repo.loadForAttempt = load;
      exchange.releaseNext = releaseNext;
    }
    const at = (seq: number) => p.receiver.received.find((r) => r.body.data.sequence === seq)!.at;
    return {
      raced,
      gapMs: at(2) - at(1) - 300,
      received: p.receiver.received.map((r) => r.body.data.sequence),
    };
  }

  before(async () => {
    stack = await startStack({ env: { WEBHOOK_RETRY_SCHEDULE_MS: '0,200,200,200,200' } });
    queue = stack.worker!.get<Queue>(getQueueToken(QUEUES.webhookDelivery));
  });
  after(async () => {
    for (const r of receivers) await r.stop();
    await stack.close();
  });

  test('a first attempt is delivered and recorded without any delivery job', async () => {
    const p = await partnerWithReceiver();
    const ids = await insertOutboxEvents(p.id, kyc(20));
    assert.ok(await settled(ids, ['DELIVERED'], 15_000));
    const rows = await deliveriesOf(p.id);
    assert.equal(rows.length, 20);
    assert.ok(rows.every((d) => d.attempts === 1));
    assert.equal(p.receiver.received.length, 20);
    for (const d of rows) assert.equal(await jobOf(d.id), undefined, `${d.id} had a job`);
  });

  test('a partner with no free slot gets jobs, which run once its slots are freed', async () => {
    const p = await partnerWithReceiver();
    // Another worker holds every slot the partner has.
    const slots = stack.worker!.get(PartnerDeliverySlots);
    const held: string[] = [];
    for (let i = 0; i < MIN_PARTNER_CONCURRENCY; i++) held.push((await slots.acquire(p.id, `other-${i}`))!);
    assert.ok(held.every(Boolean));
    const noSlotBefore = await noSlotFallbacks();
    const ids = await insertOutboxEvents(p.id, kyc(3));
    // Each first attempt became a job (waiting for a slot) once its line had waited DIRECT_MAX_WAIT_MS for
    // one in vain; nothing was sent.
    assert.ok(
      await eventually(async () => {
        const rows = await deliveriesOf(p.id);
        if (rows.length !== 3) return false;
        return (await Promise.all(rows.map((d) => jobOf(d.id)))).every(Boolean);
      }, 10_000),
    );
    assert.equal(p.receiver.received.length, 0);
    assert.equal(await noSlotFallbacks(), noSlotBefore + 3, 'operators see them on /metrics');
    // The slots come back: the waiting jobs are handed them and deliver.
    for (const token of held) {
      const { waiting } = await slots.release(p.id, token, { durationMs: 1, answered: true });
      for (const jobId of waiting) await (await queue.getJob(jobId))?.promote();
    }
    assert.ok(await settled(ids, ['DELIVERED'], 15_000));
    assert.equal(p.receiver.received.length, 3);
  });

  test("replicas whose partner's slots are all held elsewhere wait for them rather than fall back to jobs", async () => {
    const BURST = 300;
    const p = await partnerWithReceiver();
    const second = await createWorkerApp(stack.config);
    const replicas = [stack.worker!, second];
    const dispatched = [0, 0];
    const restore = replicas.map((app, i) => {
      const direct = app.get(DirectDeliveryService);
      const relay = app.get(OutboxRelay);
      const dispatch = direct.dispatch.bind(direct);
      const relayBatch = relay.relayBatch.bind(relay);
      direct.dispatch = (refs) => {
        dispatched[i] += refs.length;
        return dispatch(refs);
      };
      // The relays' own polls take nothing while the test splits the burst between them.
      relay.relayBatch = async () => 0;
      return {
        relayBatch,
        undo: () => {
          direct.dispatch = dispatch;
          relay.relayBatch = relayBatch;
        },
      };
    });
    // A third replica holds every slot the partner has: neither line gets one, and neither holds one whose
    // release would wake it.
    const slots = stack.worker!.get(PartnerDeliverySlots);
    const held: string[] = [];
    for (let i = 0; i < MIN_PARTNER_CONCURRENCY; i++) held.push((await slots.acquire(p.id, `other-${i}`))!);
    assert.ok(held.every(Boolean));
    try {
      const ids = await insertOutboxEvents(p.id, kyc(BURST));
      // Each replica takes half at the same moment (SKIP LOCKED: the second skips the rows the first locked).
      await Promise.all(restore.map((r) => r.relayBatch(BURST / 2)));
      assert.deepEqual(dispatched, [BURST / 2, BURST / 2]);
      await new Promise((r) => setTimeout(r, 300));
      assert.equal(p.receiver.received.length, 0, 'nothing sent without a slot');
      // The other replica's slots come back: the waiting lines take them and send everything themselves.
      for (const token of held) await slots.release(p.id, token, { durationMs: 1, answered: true });
      assert.ok(await settled(ids, ['DELIVERED'], 60_000));
      const rows = await deliveriesOf(p.id);
      assert.equal(rows.length, BURST);
      assert.ok(rows.every((d) => d.attempts === 1));
      // A line that gets no slot for DIRECT_MAX_WAIT_MS still falls back (a CPU-starved run may see a few); before
      // lines asked again, all of them fell back at once.
      const withJob = (await Promise.all(rows.map((d) => jobOf(d.id)))).filter(Boolean).length;
      assert.ok(withJob <= BURST / 20, `${withJob} of ${BURST} deliveries fell back to a job`);
      assert.equal(p.receiver.distinctEvents().size, BURST);
    } finally {
      restore.forEach((r) => r.undo());
      await second.close();
    }
  });

  test('a crash between the relay commit and the direct send is recovered by the sweeper, once', async () => {
    const p = await partnerWithReceiver();
    const direct = stack.worker!.get(DirectDeliveryService);
    const dispatch = direct.dispatch.bind(direct);
    // The process "dies" right after the relay's commit: the claimed deliveries are never sent from here.
    direct.dispatch = async () => undefined;
    let ids: string[];
    try {
      ids = await insertOutboxEvents(p.id, kyc(5));
      assert.ok(await eventually(async () => (await deliveriesOf(p.id)).length === 5, 10_000));
    } finally {
      direct.dispatch = dispatch;
    }
    const rows = await deliveriesOf(p.id);
    // Claimed: not due (no job, hand-off or sweep runs them) until the claim lapses; no job exists.
    assert.ok(rows.every((d) => d.status === 'PENDING' && d.nextAttemptAt!.getTime() > Date.now()));
    for (const d of rows) assert.equal(await jobOf(d.id), undefined);
    const sweeper = stack.worker!.get(DeliverySweeper);
    await sweeper.sweep();
    assert.equal(p.receiver.received.length, 0);

    // The claim lapses (as if its time had passed): the sweeper re-creates the jobs and each is sent once.
    await withDb((db) =>
      db.query(
        `UPDATE webhook_deliveries SET "nextAttemptAt" = now() - interval '1 minute' WHERE "partnerId" = $1`,
        [p.id],
      ),
    );
    assert.ok(
      await eventually(
        async () => {
          await sweeper.sweep();
          return settled(ids, ['DELIVERED'], 0);
        },
        30_000,
        200,
      ),
    );
    for (let i = 0; i < 3; i++) await sweeper.sweep(0);
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(p.receiver.received.length, 5);
    assert.equal(p.receiver.distinctEvents().size, 5);
  });

  test('a direct attempt held back by an earlier event that settles meanwhile goes at once (no lost wake-up)', async () => {
    const { raced, gapMs, received } = await earlierEventSettlesMidCheck(async (partnerId, orderId) => {
      // Two relay batches: event 2 is handed to the direct sender while event 1 is in flight.
      const [first] = await insertOutboxEvents(partnerId, orderEvents(orderId, 1));
      assert.ok(await eventually(async () => Boolean(await deliveryByEvent(first)), 10_000));
      return [first, ...(await insertOutboxEvents(partnerId, orderEvents(orderId, 1, 2)))];
    });
    assert.ok(raced, 'event 2 never read event 1 as pending');
    assert.deepEqual(received, [1, 2]);
    assert.ok(gapMs < 5000, `event 2 went ${gapMs} ms after event 1`);
  });

  test('a job held back by an earlier event that settles meanwhile goes at once (no lost wake-up)', async () => {
    // One relay batch: event 1 goes directly, event 2 (behind it in the batch) gets a job.
    const { raced, gapMs, received } = await earlierEventSettlesMidCheck((partnerId, orderId) =>
      insertOutboxEvents(partnerId, orderEvents(orderId, 2)),
    );
    assert.ok(raced, 'event 2 never read event 1 as pending');
    assert.deepEqual(received, [1, 2]);
    assert.ok(gapMs < 5000, `event 2 went ${gapMs} ms after event 1`);
  });
});

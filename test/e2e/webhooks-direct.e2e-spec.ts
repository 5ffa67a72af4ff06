// The relay sends a new delivery's first attempt directly (no BullMQ job); what cannot go now becomes a job,
// and a worker that dies between the relay's commit and the send loses nothing.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { getQueueToken } from '@nestjs/bullmq';
import type { Queue } from 'bullmq';
import { QUEUES, jobIds } from '@app/infra/queue/queue.names';
import { DeliverySweeper } from '@app/modules/webhooks/delivery/delivery.sweeper';
import { DirectDeliveryService } from '@app/modules/webhooks/delivery/direct-delivery.service';
import {
  MIN_PARTNER_CONCURRENCY,
  PartnerDeliverySlots,
} from '@app/modules/webhooks/delivery/partner-delivery.slots';
import { withDb } from '@test/support/db';
import { RunningStack, startStack } from '@test/support/stack-harness';
import { eventually } from '@test/support/timing';
import { WebhookReceiver } from '@test/fixtures/webhook-receiver';
import { deliveriesOf, insertOutboxEvents, settled } from '@test/fixtures/webhooks.fixtures';

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
    const ids = await insertOutboxEvents(p.id, kyc(3));
    // Each first attempt became a job (waiting for a slot); nothing was sent.
    assert.ok(
      await eventually(async () => {
        const rows = await deliveriesOf(p.id);
        if (rows.length !== 3) return false;
        return (await Promise.all(rows.map((d) => jobOf(d.id)))).every(Boolean);
      }, 10_000),
    );
    assert.equal(p.receiver.received.length, 0);
    // The slots come back: the waiting jobs are handed them and deliver.
    for (const token of held) {
      const { waiting } = await slots.release(p.id, token, { durationMs: 1, answered: true });
      for (const jobId of waiting) await (await queue.getJob(jobId))?.promote();
    }
    assert.ok(await settled(ids, ['DELIVERED'], 15_000));
    assert.equal(p.receiver.received.length, 3);
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
});

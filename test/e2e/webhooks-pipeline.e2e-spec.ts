// The outbox → delivery pipeline under stress: two relays on the same rows, a crash between the relay's
// commit and its enqueue, per-order ordering across many orders, and per-partner isolation from a hanging
// endpoint.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { newId } from '@app/infra/crypto/ids';
import { OutboxRelay } from '@app/modules/outbox/outbox.relay';
import { DeliverySweeper } from '@app/modules/webhooks/delivery/delivery.sweeper';
import { MIN_PARTNER_CONCURRENCY } from '@app/modules/webhooks/delivery/partner-delivery.slots';
import { withDb } from '@test/support/db';
import { RunningStack, startStack } from '@test/support/stack-harness';
import { eventually } from '@test/support/timing';
import { WebhookReceiver } from '@test/fixtures/webhook-receiver';
import { deliveriesOf, insertOutboxEvents, orderEvents, settled } from '@test/fixtures/webhooks.fixtures';

describe('webhook pipeline', () => {
  let stack: RunningStack;
  const receivers: WebhookReceiver[] = [];

  async function partnerWithReceiver() {
    const receiver = await new WebhookReceiver().start();
    receivers.push(receiver);
    const p = await stack.admin.createPartner({ webhookUrl: receiver.url });
    return { id: p.partner.id, apiKey: p.apiKey, receiver };
  }

  before(async () => {
    stack = await startStack({ env: { WEBHOOK_RETRY_SCHEDULE_MS: '0,200,200,200,200' } });
  });
  after(async () => {
    for (const r of receivers) await r.stop(); // releases hanging requests so the worker can stop
    await stack.close();
  });

  test('two relays racing over the same rows create and send each event exactly once', async () => {
    const p = await partnerWithReceiver();
    const ids = await insertOutboxEvents(
      p.id,
      Array.from({ length: 300 }, () => ({ event: 'user.kyc_approved', data: {} })),
    );
    // The worker's own relay is polling too: three racers on the same batch.
    const relay = stack.worker!.get(OutboxRelay);
    await Promise.all([relay.relayBatch(50), relay.relayBatch(50), relay.relayBatch(50)]);
    assert.ok(await settled(ids, ['DELIVERED'], 30_000));
    const rows = await deliveriesOf(p.id);
    assert.equal(rows.length, 300);
    assert.equal(new Set(rows.map((r) => r.eventId)).size, 300);
    assert.equal(p.receiver.received.length, 300); // no event sent twice
    assert.equal(p.receiver.distinctEvents().size, 300);
    const unpublished = await withDb((db) =>
      db.query(
        `SELECT count(*)::int AS n FROM outbox_events WHERE "partnerId" = $1 AND "publishedAt" IS NULL`,
        [p.id],
      ),
    );
    assert.equal(unpublished.rows[0].n, 0);
  });

  test('a crash between the relay commit and the enqueue loses nothing: the sweeper sends each once', async () => {
    const p = await partnerWithReceiver();
    // What the database holds after the relay committed and died before enqueuing: published rows and
    // pending deliveries without jobs.
    const eventIds: string[] = [];
    await withDb(async (db) => {
      for (let i = 0; i < 20; i++) {
        const eventId = newId.event();
        eventIds.push(eventId);
        const body = JSON.stringify({
          id: eventId,
          event: 'user.kyc_approved',
          createdAt: new Date().toISOString(),
          data: {},
        });
        await db.query(
          `INSERT INTO outbox_events ("eventId", "partnerId", "eventType", payload, "publishedAt")
           VALUES ($1, $2, 'user.kyc_approved', $3::jsonb, now())`,
          [eventId, p.id, body],
        );
        await db.query(
          `INSERT INTO webhook_deliveries (id, "partnerId", "eventId", "eventType", url, body, "nextAttemptAt", "updatedAt")
           VALUES ($1, $2, $3, 'user.kyc_approved', $4, $5, now() - interval '1 minute', now())`,
          [newId.delivery(), p.id, eventId, p.receiver.url, body],
        );
      }
    });
    // Two sweepers at once (as two worker processes would), until they have walked the whole backlog
    // (the shared test database may hold other tests' pending deliveries too).
    const sweeper = stack.worker!.get(DeliverySweeper);
    assert.ok(
      await eventually(
        async () => {
          await Promise.all([sweeper.sweep(), sweeper.sweep()]);
          return settled(eventIds, ['DELIVERED'], 0);
        },
        30_000,
        200,
      ),
    );
    for (let i = 0; i < 3; i++) await sweeper.sweep(0);
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(p.receiver.received.length, 20);
    assert.equal(p.receiver.distinctEvents().size, 20);
  });

  test('per order, event n+1 waits for n to be delivered or FAILED; other orders are not held back', async () => {
    const p = await partnerWithReceiver();
    const stuck = newId.order();
    const orders = Array.from({ length: 20 }, () => newId.order());
    p.receiver.responder = (req) =>
      req.body?.data?.orderId === stuck && req.body.data.sequence === 1 ? { status: 500 } : { status: 200 };
    const stuckIds = await insertOutboxEvents(p.id, orderEvents(stuck, 3));
    const ids = await insertOutboxEvents(
      p.id,
      orders.flatMap((o) => orderEvents(o, 5)),
    );
    assert.ok(await settled(ids, ['DELIVERED'], 30_000));
    assert.ok(await settled(stuckIds.slice(1), ['DELIVERED'], 30_000));
    assert.equal((await deliveriesOf(p.id)).find((d) => d.eventId === stuckIds[0])!.status, 'FAILED');

    for (const o of [...orders, stuck]) {
      const seqs = p.receiver.received
        .filter((r) => r.body.data.orderId === o)
        .map((r) => r.body.data.sequence);
      const sorted = [...seqs].sort((x, y) => x - y);
      assert.deepEqual(seqs, sorted, `order ${o} received ${seqs.join(',')}`);
    }
    const stuckSeqs = p.receiver.received
      .filter((r) => r.body.data.orderId === stuck)
      .map((r) => r.body.data.sequence);
    assert.deepEqual(stuckSeqs, [1, 1, 1, 1, 1, 2, 3]);
  });

  test('a partner whose endpoint hangs holds a bounded number of slots and never delays another partner', async () => {
    const slow = await partnerWithReceiver();
    const fast = await partnerWithReceiver();
    slow.receiver.responder = () => ({ hang: true });
    await insertOutboxEvents(
      slow.id,
      Array.from({ length: 40 }, () => ({ event: 'user.kyc_approved', data: {} })),
    );
    assert.ok(await eventually(async () => slow.receiver.open === MIN_PARTNER_CONCURRENCY, 10_000));
    const ids = await insertOutboxEvents(
      fast.id,
      Array.from({ length: 30 }, () => ({ event: 'user.kyc_approved', data: {} })),
    );
    assert.ok(await settled(ids, ['DELIVERED'], 10_000));
    // The other partner finished while every one of the slow partner's first attempts was still hanging, and
    // the slow partner never had more than its share of requests in flight.
    assert.equal(slow.receiver.open, MIN_PARTNER_CONCURRENCY);
    assert.equal(slow.receiver.received.length, MIN_PARTNER_CONCURRENCY);
    const slowRows = await deliveriesOf(slow.id);
    assert.equal(slowRows.length, 40);
    assert.ok(slowRows.every((d) => d.attempts === 0 && d.status === 'PENDING'));
  });
});

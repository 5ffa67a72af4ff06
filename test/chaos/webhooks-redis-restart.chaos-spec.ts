// Redis restarted under load, with total data loss (a private redis-server without persistence; the shared
// Redis on 6379 is never touched): webhook events keep being written and TruBit callbacks keep arriving
// while it is down. API and worker heal by themselves, and every event and callback still takes effect:
// Postgres is the source of truth and the sweepers re-create the jobs Redis forgot.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { newId } from '@app/infra/crypto/ids';
import { mapTrubitStatus } from '@app/modules/trubit/trubit-status.mapper';
import { withDb } from '@test/support/db';
import { http } from '@test/support/http';
import { RunningStack, startStack } from '@test/support/stack-harness';
import { eventually, sleep } from '@test/support/timing';
import {
  SimSeller,
  insertLinkedOrder,
  orderState,
  placeSimOrder,
  simSeller,
} from '@test/fixtures/callbacks.fixtures';
import { PrivateRedis } from '@test/fixtures/redis-server';
import { WebhookReceiver } from '@test/fixtures/webhook-receiver';
import { insertOutboxEvents, orderEvents } from '@test/fixtures/webhooks.fixtures';

describe('chaos: Redis restarted (and emptied) under load', () => {
  let redis: PrivateRedis;
  let stack: RunningStack;
  let receiver: WebhookReceiver;
  let seller: SimSeller;
  let partner: { id: string; apiKey: string };

  before(async () => {
    redis = await PrivateRedis.start();
    receiver = await new WebhookReceiver().start();
    receiver.responder = () => ({ status: 200, delayMs: 2 });
    stack = await startStack({
      env: { REDIS_URL: redis.url, WEBHOOK_RETRY_SCHEDULE_MS: '0,250,500,1000,2000,4000,8000' },
    });
    seller = await simSeller(stack);
    const p = await stack.admin.createPartner({
      webhookUrl: receiver.url,
      limits: { requestsPerMinute: 10_000 },
    });
    partner = { id: p.partner.id, apiKey: p.apiKey };
  });
  after(async () => {
    try {
      await stack.close();
      await receiver.stop();
    } finally {
      await redis.down(); // never leave our redis-server behind
    }
  });

  test('nothing is lost and both processes recover without help', async () => {
    // Orders at TruBit, linked, before the outage (placing one needs the Redis-backed outbound limiter).
    const orders: Array<{ orderId: string; trubitOrderId: string }> = [];
    for (let i = 0; i < 6; i++) {
      const trubitOrderId = await placeSimOrder(stack, seller);
      orders.push({
        trubitOrderId,
        orderId: await insertLinkedOrder(partner.id, trubitOrderId, { status: 'ACTIVE' }),
      });
    }

    const eventIds: string[] = [];
    let writing = true;
    const writer = (async () => {
      for (let round = 0; writing || round < 10; round++) {
        const o = newId.order();
        eventIds.push(
          ...(await insertOutboxEvents(partner.id, [
            ...orderEvents(o, 5),
            ...Array.from({ length: 15 }, () => ({ event: 'user.kyc_approved', data: {} })),
          ])),
        );
        await sleep(100);
      }
    })();

    await sleep(800);
    await redis.down();
    const downAt = Date.now();
    // TruBit moves the orders while Redis is away: its callbacks must still be stored and answered.
    await Promise.all(
      orders.map((o, i) =>
        stack.simControl(
          'POST',
          `/orders/${o.trubitOrderId}/advance`,
          i % 2 ? { status: 60 } : { status: 70 },
        ),
      ),
    );
    await sleep(2000);
    const during = await http('GET', `${stack.api.url}/readyz`);
    assert.equal(during.status, 503);
    assert.equal(during.body.checks.redis, 'unreachable');
    await redis.up();
    console.log(`# Redis was down for ${Date.now() - downAt} ms and came back empty`);
    await sleep(1000);
    writing = false;
    await writer;

    // Callbacks sent while Redis was down were answered SUCCESS: stored in Postgres before any Redis work.
    const simLog = async () =>
      (
        await Promise.all(
          orders.map(
            async (o) =>
              (await stack.simControl('GET', `/callbacks/log?orderId=${o.trubitOrderId}`)).callbacks,
          ),
        )
      ).flat() as Array<{ state: string; attempts: unknown[] }>;
    assert.ok(await eventually(async () => (await simLog()).every((d) => d.state === 'delivered'), 10_000));
    assert.ok(
      (await simLog()).every((d) => d.attempts.length === 1),
      'no callback needed a retry',
    );

    // The API serves partners again by itself (auth, rate limits and pub/sub are Redis-backed).
    assert.ok(
      await eventually(
        async () =>
          (
            await http('GET', `${stack.api.url}/api/v1/webhooks?limit=1`, {
              headers: { 'x-api-key': partner.apiKey },
            })
          ).status === 200,
        20_000,
        250,
      ),
    );
    assert.ok(
      await eventually(async () => (await http('GET', `${stack.api.url}/readyz`)).status === 200, 10_000),
    );

    // Every event delivered, every callback applied.
    const delivered = async () =>
      withDb(async (db) => {
        const { rows } = await db.query(
          `SELECT count(*)::int AS n FROM webhook_deliveries WHERE "eventId" = ANY($1) AND status = 'DELIVERED'`,
          [eventIds],
        );
        return rows[0].n as number;
      });
    assert.ok(
      await eventually(async () => (await delivered()) === eventIds.length, 90_000, 500),
      'all delivered',
    );
    assert.equal(receiver.distinctEvents().size >= eventIds.length, true);
    for (const id of eventIds) assert.ok(receiver.forEvent(id).length >= 1, id);
    console.log(
      `# ${eventIds.length} events delivered with ${receiver.received.length - receiver.distinctEvents().size} duplicate request(s)`,
    );

    const truth = new Map<string, any>(
      (await stack.simControl('GET', '/orders')).orders.map((o: any) => [o.orderId, o]),
    );
    assert.ok(
      await eventually(
        async () => {
          for (const o of orders) {
            const t = truth.get(o.trubitOrderId);
            if ((await orderState(o.orderId)).status !== mapTrubitStatus(t.orderStatus, t.hasRefund))
              return false;
          }
          return true;
        },
        60_000,
        500,
      ),
      'every callback applied',
    );
  });
});

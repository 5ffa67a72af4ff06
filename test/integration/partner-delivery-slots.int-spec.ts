// Per-partner delivery slots against the real Redis: acquires and releases issued together travel as one script
// call per partner, and each still means what it means alone (a new partner gets MIN slots across instances,
// fast answers earn more, a slow one drops back, a release hands its slot to the longest-waiting jobs).
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { RedisService } from '@app/infra/redis/redis.service';
import {
  MAX_PARTNER_CONCURRENCY,
  MIN_PARTNER_CONCURRENCY,
  PartnerDeliverySlots,
} from '@app/modules/webhooks/delivery/partner-delivery.slots';
import { testConfig } from '@test/support/test-config';

describe('partner delivery slots', () => {
  const config = testConfig({ WEBHOOK_TIMEOUT_MS: '10000' });
  const redisA = new RedisService(config);
  const redisB = new RedisService(config);
  const a = new PartnerDeliverySlots(redisA, config);
  const b = new PartnerDeliverySlots(redisB, config);
  after(async () => {
    await redisA.onModuleDestroy();
    await redisB.onModuleDestroy();
  });
  const partner = () => `ptn_s${randomBytes(6).toString('hex')}`;
  const fast = { durationMs: 5, answered: true };
  const slow = { durationMs: 5000, answered: true };

  test('a new partner gets MIN slots, however many acquires arrive together from two instances', async () => {
    const p = partner();
    const tokens = await Promise.all(
      Array.from({ length: 20 }, (_, i) => (i % 2 ? a : b).acquire(p, `job-${i}`)),
    );
    const granted = tokens.filter((t): t is string => t !== null);
    assert.equal(granted.length, MIN_PARTNER_CONCURRENCY);
    assert.equal(new Set(granted).size, granted.length);
    assert.equal(await a.free(p), 0);
  });

  test('fast answers earn one slot each (up to MAX), a slow answer drops back to MIN', async () => {
    const p = partner();
    const first = (await Promise.all([1, 2, 3, 4].map((i) => a.acquire(p, `j${i}`)))) as string[];
    // Four fast releases in one batch: 4 more slots earned, all 8 free.
    const released = await Promise.all(first.map((t) => a.release(p, t, fast)));
    assert.deepEqual(
      released.map((r) => r.free),
      [2, 4, 6, 8],
    );
    const more = await Promise.all(Array.from({ length: 10 }, (_, i) => b.acquire(p, `k${i}`)));
    assert.equal(more.filter(Boolean).length, 8);
    const held = more.filter((t): t is string => t !== null);
    const afterSlow = await a.release(p, held[0], slow);
    // Back to MIN with 7 still held: nothing free.
    assert.equal(afterSlow.free, 0);
    for (const t of held.slice(1)) await b.release(p, t);
    assert.equal(await a.free(p), MIN_PARTNER_CONCURRENCY);
    assert.ok(MAX_PARTNER_CONCURRENCY >= 8);
  });

  test('a release hands its freed slots to the longest-waiting jobs, taking them off the waiting set', async () => {
    const p = partner();
    const held = (await Promise.all([1, 2, 3, 4].map((i) => a.acquire(p, `h${i}`)))) as string[];
    assert.equal(await a.acquire(p, 'w1'), null);
    await a.wait(p, 'w1');
    await new Promise((r) => setTimeout(r, 5));
    assert.equal(await b.acquire(p, 'w2'), null);
    await b.wait(p, 'w2');
    // Nothing sent (no credit change): one slot free, the oldest waiter gets it.
    const r1 = await a.release(p, held[0]);
    assert.deepEqual(r1, { free: 1, waiting: ['w1'] });
    const r2 = await a.release(p, held[1]);
    assert.deepEqual(r2, { free: 2, waiting: ['w2'] });
    assert.equal(await a.nextWaiting(p), null);
    // A job that gets its slot leaves the waiting set, so no later hand-off can wake it.
    await b.wait(p, 'w3');
    assert.ok(await b.acquire(p, 'w3'));
    assert.equal(await a.nextWaiting(p), null);
  });
});

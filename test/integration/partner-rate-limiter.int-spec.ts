import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { RedisService } from '@app/infra/redis/redis.service';
import { RedisRateLimiter } from '@app/modules/partners/limits/redis-rate.limiter';
import { testConfig } from '@test/support/test-config';

describe('partner rate limiter: leased budgets across instances', () => {
  const config = testConfig();
  const redisA = new RedisService(config);
  const redisB = new RedisService(config);
  const a = new RedisRateLimiter(redisA);
  const b = new RedisRateLimiter(redisB);
  after(async () => {
    await redisA.onModuleDestroy();
    await redisB.onModuleDestroy();
  });

  // Mid-window instant, so the test never straddles a minute boundary.
  const now = Math.floor(Date.now() / 60_000) * 60_000 + 30_000;

  test('two instances spending concurrently never exceed the shared limit and lose at most a chunk each', async () => {
    const limit = 1000; // chunk of 10
    const calls = Array.from({ length: 1500 }, (_, i) =>
      (i % 2 ? a : b).consumeLeased('lease-test', limit, now),
    );
    const decisions = await Promise.all(calls);
    const allowed = decisions.filter((d) => d.allowed).length;
    assert.ok(allowed <= limit, `allowed ${allowed}`);
    assert.ok(allowed >= limit - 2 * 10, `allowed ${allowed}`);
    const denied = decisions.find((d) => !d.allowed)!;
    assert.equal(denied.remaining, 0);
    assert.ok(denied.retryAfterSeconds >= 1);
  });

  test('small budgets stay exact (one unit per round trip)', async () => {
    const decisions = await Promise.all(
      Array.from({ length: 9 }, (_, i) => (i % 2 ? a : b).consumeLeased('small', 6, now)),
    );
    assert.equal(decisions.filter((d) => d.allowed).length, 6);
  });

  test('remaining counts down with each request served from a lease', async () => {
    const first = await a.consumeLeased('countdown', 5000, now);
    const second = await a.consumeLeased('countdown', 5000, now);
    assert.equal(first.remaining, 4999);
    assert.equal(second.remaining, 4998);
  });
});

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { InMemoryTrubitRateLimiter } from './trubit-memory-rate.limiter';
import { slidingWait } from './trubit-rate-limiter.base';
import { TRUBIT_DEFAULT_LIMITER } from './trubit.options';
import { TrubitRateLimitError } from './trubit.errors';

const opts = (o: Partial<typeof TRUBIT_DEFAULT_LIMITER> = {}) => ({ ...TRUBIT_DEFAULT_LIMITER, ...o });
const req = (weight = 1, isOrder = false) => ({ apiKey: 'k', weight, isOrder, endpoint: 'test' });

describe('sliding-window math', () => {
  test('fits now, never fits, next window, partial decay', () => {
    assert.equal(slidingWait(1, 10, 5, 0, 0, 1000), 0);
    assert.equal(slidingWait(11, 10, 0, 0, 0, 1000), -1);
    assert.equal(slidingWait(1, 10, 10, 0, 300, 1000), 700);
    // prev 10 at elapsed 0 weighs 10; one slot frees when prev*(1000-e)/1000 <= 9 → e >= 100.
    assert.equal(slidingWait(1, 10, 0, 10, 0, 1000), 100);
    assert.equal(slidingWait(1, 10, 0, 10, 100, 1000), 0);
  });
});

describe('InMemoryTrubitRateLimiter', () => {
  test('weight budget per key; exhausted → TrubitRateLimitError when the wait exceeds maxWaitMs', async () => {
    let now = 1_700_000_000_000;
    const l = new InMemoryTrubitRateLimiter(opts({ weightPerMinute: 12, maxWaitMs: 0 }), () => now);
    await l.acquire(req(5));
    await l.acquire(req(5));
    const err = await l.acquire(req(5)).catch((e: unknown) => e);
    assert.ok(err instanceof TrubitRateLimitError);
    assert.equal(err.source, 'limiter');
    assert.ok(err.retryAfterMs > 0);
    await l.acquire(req(1)); // 11 ≤ 12 still fits
    await l.acquire({ ...req(5), apiKey: 'other' }); // separate key, separate budget
    const b = await l.getBudget('k');
    assert.equal(b.weight.used, 11);
    assert.equal(b.weight.limit, 12);
    assert.equal(b.backend, 'memory');
    now += 120_000;
    assert.equal((await l.getBudget('k')).weight.used, 0);
  });

  test('orders per second: waits (bounded) for the next slot', async () => {
    const l = new InMemoryTrubitRateLimiter(opts({ ordersPerSecond: 2, maxWaitMs: 3000 }));
    const t0 = Date.now();
    await l.acquire(req(1, true));
    await l.acquire(req(1, true));
    await l.acquire(req(1, true));
    // Next window, then until the previous window's 2 orders weigh ≤ 1: at least half a second.
    assert.ok(Date.now() - t0 >= 400, `the third order waited ${Date.now() - t0}ms`);
    const b = await l.getBudget('k');
    assert.ok(b.orders.used <= 2 + 1e-9);
  });

  test('a recorded backoff pauses the key; it is waited out when short enough', async () => {
    const l = new InMemoryTrubitRateLimiter(opts({ maxWaitMs: 300 }));
    await l.recordBackoff('k', 5000);
    await assert.rejects(
      l.acquire(req()),
      (e: unknown) => e instanceof TrubitRateLimitError && e.retryAfterMs > 4000,
    );
    assert.ok((await l.getBudget('k')).backoffRemainingMs > 4000);
    const l2 = new InMemoryTrubitRateLimiter(opts({ maxWaitMs: 1000 }));
    await l2.recordBackoff('k', 150);
    const t0 = Date.now();
    await l2.acquire(req());
    assert.ok(Date.now() - t0 >= 140, 'waited for the backoff');
  });
});

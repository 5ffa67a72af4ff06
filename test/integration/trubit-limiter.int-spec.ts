import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { Registry } from 'prom-client';
import { TrubitClient } from '@app/modules/trubit/trubit.client';
import { RedisTrubitRateLimiter } from '@app/modules/trubit/trubit-rate.limiter';
import {
  TRUBIT_DEFAULT_LIMITER,
  type TrubitClientOptions,
  type TrubitLimiterOptions,
} from '@app/modules/trubit/trubit.options';
import { TrubitRateLimitError } from '@app/modules/trubit/trubit.errors';
import { FakeTrubitUpstream, json } from '@app/modules/trubit/testing/fake-trubit-upstream';

// The outbound TruBit budget against the real local Redis: several "instances" (separate connections,
// separate limiter/client objects) must share one budget and one 429 pause per TruBit API key.

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const PREFIX = `${process.env.REDIS_PREFIX ?? `t:${Date.now().toString(36)}_${randomBytes(3).toString('hex')}:`}trubit-int:`;

const connections: Redis[] = [];
function connect(): Redis {
  const r = new Redis(REDIS_URL, { maxRetriesPerRequest: 1 });
  connections.push(r);
  return r;
}

let seq = 0;
/** A key prefix of its own per test, so tests never see each other's counters. */
function limiterOptions(o: Partial<TrubitLimiterOptions> = {}): TrubitLimiterOptions {
  return { ...TRUBIT_DEFAULT_LIMITER, keyPrefix: `${PREFIX}${++seq}:`, ...o };
}

function client(
  up: FakeTrubitUpstream,
  redis: Redis,
  limiter: Partial<TrubitLimiterOptions>,
  extra: Partial<TrubitClientOptions> = {},
): TrubitClient {
  return new TrubitClient(
    {
      baseUrl: up.url,
      credentials: { apiKey: 'shared-key', apiSecret: 'secret' },
      metricsRegistry: new Registry(),
      breaker: { volumeThreshold: 1000 },
      limiter,
      ...extra,
    },
    redis,
  );
}

describe('TruBit outbound limiter on Redis', () => {
  let up: FakeTrubitUpstream;
  before(async () => {
    up = await FakeTrubitUpstream.start(json(200, { balances: [] }));
    await connect().ping();
  });
  after(async () => {
    await up.close();
    const r = connections[0];
    let cursor = '0';
    do {
      const [next, keys] = await r.scan(cursor, 'MATCH', `${PREFIX}*`, 'COUNT', 1000);
      if (keys.length) await r.unlink(...keys);
      cursor = next;
    } while (cursor !== '0');
    await Promise.all(connections.map((c) => c.quit()));
  });

  test('two limiter instances share one weight budget per API key', async () => {
    const opts = limiterOptions({ weightPerMinute: 10, maxWaitMs: 0 });
    const a = new RedisTrubitRateLimiter(connect(), opts);
    const b = new RedisTrubitRateLimiter(connect(), opts);
    const call = { apiKey: 'k', weight: 1, isOrder: false, endpoint: 'test' };
    for (let i = 0; i < 6; i++) await a.acquire(call);
    for (let i = 0; i < 4; i++) await b.acquire(call);
    await assert.rejects(
      b.acquire(call),
      (e: unknown) => e instanceof TrubitRateLimitError && e.source === 'limiter',
    );
    await assert.rejects(a.acquire(call), TrubitRateLimitError);
    const budget = await a.getBudget('k');
    assert.equal(budget.backend, 'redis');
    assert.equal(budget.weight.used, 10);
    assert.equal(budget.weight.limit, 10);
    assert.equal(budget.degraded, false);
    // Another TruBit key has its own budget.
    await b.acquire({ ...call, apiKey: 'other' });
    assert.equal((await b.getBudget('other')).weight.used, 1);
  });

  test('the script is atomic: 60 concurrent calls from two instances, exactly the budget passes', async () => {
    const opts = limiterOptions({ weightPerMinute: 25, maxWaitMs: 0 });
    const limiters = [
      new RedisTrubitRateLimiter(connect(), opts),
      new RedisTrubitRateLimiter(connect(), opts),
    ];
    const results = await Promise.allSettled(
      Array.from({ length: 60 }, (_, i) =>
        limiters[i % 2].acquire({ apiKey: 'k', weight: 1, isOrder: false, endpoint: 't' }),
      ),
    );
    assert.equal(results.filter((r) => r.status === 'fulfilled').length, 25);
    assert.ok(
      results.filter((r) => r.status === 'rejected').every((r) => r.reason instanceof TrubitRateLimitError),
    );
  });

  test('orders per second are shared too, and a short wait is absorbed', async () => {
    const opts = limiterOptions({ ordersPerSecond: 3, maxWaitMs: 0 });
    const a = new RedisTrubitRateLimiter(connect(), opts);
    const b = new RedisTrubitRateLimiter(connect(), opts);
    const order = { apiKey: 'k', weight: 1, isOrder: true, endpoint: 'order/add' };
    await a.acquire(order);
    await a.acquire(order);
    await b.acquire(order);
    await assert.rejects(
      b.acquire(order),
      (e: unknown) => e instanceof TrubitRateLimitError && /orders/.test(e.msg),
    );
    // Reads are not orders: still allowed.
    await b.acquire({ ...order, isOrder: false });
    // With room to wait, the order goes through once the window slides.
    const patient = new RedisTrubitRateLimiter(connect(), { ...opts, maxWaitMs: 3000 });
    const t0 = Date.now();
    await patient.acquire(order);
    assert.ok(Date.now() - t0 >= 50, 'it had to wait');
  });

  test('two clients share the budget: the third call is refused locally, never sent', async () => {
    const limiter = limiterOptions({ weightPerMinute: 10, maxWaitMs: 0 });
    const a = client(up, connect(), limiter);
    const b = client(up, connect(), limiter);
    try {
      const before = up.count;
      await a.getAccount(); // weight 5
      await b.getAccount(); // weight 5
      await assert.rejects(
        a.getOrder({ orderId: '1' }),
        (e: unknown) => e instanceof TrubitRateLimitError && e.source === 'limiter',
      );
      assert.equal(up.count, before + 2);
      assert.equal((await b.getBudget()).weight.used, 10);
    } finally {
      await a.close();
      await b.close();
    }
  });

  test('a 429 seen by one instance pauses the key on the others', async () => {
    const limiter = limiterOptions({ maxWaitMs: 0 });
    const a = client(up, connect(), limiter);
    const b = client(up, connect(), limiter);
    const patient = client(up, connect(), { ...limiter, maxWaitMs: 5000 });
    try {
      up.handler = json(429, { code: -1003, msg: 'Too many requests' }, { 'retry-after': '1' });
      const err = await a.getAccount().catch((e: unknown) => e);
      assert.ok(
        err instanceof TrubitRateLimitError && err.source === 'upstream' && err.retryAfterMs === 1000,
      );

      up.handler = json(200, { balances: [] });
      const before = up.count;
      const budget = await b.getBudget();
      assert.ok(
        budget.backoffRemainingMs > 0 && budget.backoffRemainingMs <= 1000,
        String(budget.backoffRemainingMs),
      );
      // b never saw the 429 itself, yet it does not send.
      await assert.rejects(
        b.getAccount(),
        (e: unknown) => e instanceof TrubitRateLimitError && e.source === 'limiter' && e.retryAfterMs > 0,
      );
      assert.equal(up.count, before);
      // Another API key is not paused.
      await b.getAccount({ apiKey: 'another-key', apiSecret: 's' });
      assert.equal(up.count, before + 1);
      // An instance allowed to wait sits the pause out, then sends.
      const t0 = Date.now();
      await patient.getAccount();
      assert.ok(Date.now() - t0 >= 500, `waited ${Date.now() - t0}ms`);
      assert.equal(up.count, before + 2);
    } finally {
      up.handler = json(200, { balances: [] });
      await Promise.all([a.close(), b.close(), patient.close()]);
    }
  });

  test('a 418 ban pause is shared and never shortened by a later, shorter 429', async () => {
    const opts = limiterOptions({ maxWaitMs: 0 });
    const a = new RedisTrubitRateLimiter(connect(), opts);
    const b = new RedisTrubitRateLimiter(connect(), opts);
    await a.recordBackoff('k', 120_000);
    await b.recordBackoff('k', 1_000);
    const budget = await b.getBudget('k');
    assert.ok(budget.backoffRemainingMs > 100_000, String(budget.backoffRemainingMs));
  });

  test('Redis down: falls back to an in-process budget instead of blocking calls', async () => {
    const dead = new Redis('redis://127.0.0.1:1', {
      maxRetriesPerRequest: 0,
      lazyConnect: true,
      retryStrategy: () => null,
      enableOfflineQueue: false,
    });
    const l = new RedisTrubitRateLimiter(dead, limiterOptions({ weightPerMinute: 2, maxWaitMs: 0 }));
    const call = { apiKey: 'k', weight: 1, isOrder: false, endpoint: 't' };
    await l.acquire(call);
    await l.acquire(call);
    await assert.rejects(l.acquire(call), TrubitRateLimitError);
    const budget = await l.getBudget('k');
    assert.equal(budget.degraded, true);
    assert.equal(budget.backend, 'memory');
    dead.disconnect();
  });
});

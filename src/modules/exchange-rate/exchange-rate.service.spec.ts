import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { AppConfig } from '@app/config/app-config';
import { ApiError } from '@app/common/errors/api.error';
import type { RedisService } from '@app/infra/redis/redis.service';
import type { TrubitApi } from '@app/modules/trubit/trubit-api.interface';
import {
  TrubitBusinessError,
  TrubitUnavailableError,
  TrubitUpstreamError,
} from '@app/modules/trubit/trubit.errors';
import type { TrubitUserQuoteResponse } from '@app/modules/trubit/trubit.types';
import { ExchangeRateService } from './exchange-rate.service';

class FakeClock {
  ms = Date.UTC(2026, 10, 22, 10);
  nowMs() {
    return this.ms;
  }
  now() {
    return new Date(this.ms);
  }
}

/** A Redis stand-in with only what the service uses (get / set with PX). */
function fakeRedis() {
  const store = new Map<string, { value: string; until: number }>();
  return {
    store,
    key: (...parts: string[]) => `t:${parts.join(':')}`,
    client: {
      get: async (k: string) => {
        const e = store.get(k);
        return e && e.until > Date.now() ? e.value : null;
      },
      set: async (k: string, value: string, _px: string, ms: number) => {
        store.set(k, { value, until: Date.now() + ms });
        return 'OK';
      },
    },
  };
}

function setup(opts: { cacheMs?: number; answer?: () => Promise<TrubitUserQuoteResponse> } = {}) {
  const calls: unknown[] = [];
  let release: () => void = () => undefined;
  const gate = new Promise<void>((r) => (release = r));
  const api = {
    getUserQuote: async (req: unknown) => {
      calls.push(req);
      await gate;
      return opts.answer
        ? opts.answer()
        : { hasOpen: 1, fiatCurrency: 'MXN', cryptoCurrency: 'USDT', buyRate: '20.07', sellRate: '19.91' };
    },
  } as unknown as TrubitApi;
  const config = {
    trubit: { country: 'Mexico', breaker: { resetTimeoutMs: 10_000 } },
    trading: { exchangeRateCacheMs: opts.cacheMs ?? 5000, quoteTtlSeconds: 300 },
  } as unknown as AppConfig;
  const clock = new FakeClock();
  const redis = fakeRedis();
  const service = new ExchangeRateService(config, api, redis as unknown as RedisService, clock);
  return { service, calls, release, clock, redis };
}

const apiError = (code: string) => (err: unknown) => err instanceof ApiError && err.code === code;

describe('ExchangeRateService', () => {
  test('N concurrent callers share one upstream call (single flight)', async () => {
    const { service, calls, release } = setup();
    const pending = Array.from({ length: 25 }, () => service.sellRate('USDT'));
    await new Promise((r) => setImmediate(r));
    release();
    const results = await Promise.all(pending);
    assert.equal(calls.length, 1);
    assert.deepEqual(calls[0], { country: 'Mexico', fiatCurrency: 'MXN', cryptoCurrency: 'USDT' });
    for (const r of results) assert.equal(r.rate.toFixed(2), '19.91');
  });

  test('answers from cache until it expires, then asks again', async () => {
    const { service, calls, release, clock, redis } = setup({ cacheMs: 5000 });
    release();
    await service.sellRate('USDT');
    clock.ms += 4999;
    await service.sellRate('USDT');
    assert.equal(calls.length, 1);
    clock.ms += 2;
    redis.store.clear(); // the shared copy expires on Redis' own clock
    await service.sellRate('USDT');
    assert.equal(calls.length, 2);
  });

  test('another instance reuses the rate a first one put in Redis', async () => {
    const a = setup();
    a.release();
    await a.service.sellRate('USDT');
    const b = setup();
    b.release();
    (b.service as unknown as { redis: unknown }).redis = a.redis;
    const r = await b.service.sellRate('USDT');
    assert.equal(b.calls.length, 0);
    assert.equal(r.rate.toFixed(2), '19.91');
  });

  test('hasOpen = 0 → UPSTREAM_UNAVAILABLE with Retry-After', async () => {
    const { service, release } = setup({
      answer: async () => ({
        hasOpen: 0,
        fiatCurrency: 'MXN',
        cryptoCurrency: 'USDT',
        buyRate: '1',
        sellRate: '1',
      }),
    });
    release();
    await assert.rejects(service.sellRate('USDT'), (err: unknown) => {
      assert.ok(apiError('UPSTREAM_UNAVAILABLE')(err));
      assert.ok(Number((err as ApiError).headers?.['Retry-After']) >= 1);
      return true;
    });
  });

  test('unsupported tokens are refused without an upstream call', async () => {
    const { service, calls, release } = setup();
    release();
    await assert.rejects(service.sellRate('BTC'), apiError('UNSUPPORTED_TOKEN'));
    await assert.rejects(service.sellRate('usdt'), apiError('UNSUPPORTED_TOKEN'));
    assert.equal(calls.length, 0);
  });

  test('TruBit failures map to 503 / 502 and are not cached', async () => {
    let fail: Error | null = new TrubitUpstreamError({
      endpoint: 'rate/user_quote/find',
      reason: 'http_5xx',
    });
    const { service, calls, release } = setup({
      answer: async () => {
        if (fail) throw fail;
        return { hasOpen: 1, fiatCurrency: 'MXN', cryptoCurrency: 'USDT', buyRate: '20', sellRate: '19.5' };
      },
    });
    release();
    await assert.rejects(service.sellRate('USDT'), apiError('UPSTREAM_UNAVAILABLE'));
    fail = new TrubitUnavailableError({ endpoint: 'rate/user_quote/find', reason: 'breaker_open' });
    await assert.rejects(service.sellRate('USDT'), (err: unknown) => {
      assert.ok(apiError('UPSTREAM_UNAVAILABLE')(err));
      assert.equal((err as ApiError).headers?.['Retry-After'], 10);
      return true;
    });
    fail = new TrubitBusinessError({ endpoint: 'rate/user_quote/find', code: -1130, msg: 'bad country' });
    await assert.rejects(service.sellRate('USDT'), apiError('UPSTREAM_REJECTED'));
    fail = null;
    assert.equal((await service.sellRate('USDT')).rate.toFixed(1), '19.5');
    assert.equal(calls.length, 4);
  });

  test('an unusable rate from TruBit is an upstream failure, never a zero price', async () => {
    const { service, release } = setup({
      answer: async () => ({
        hasOpen: 1,
        fiatCurrency: 'MXN',
        cryptoCurrency: 'USDT',
        buyRate: '0',
        sellRate: '0',
      }),
    });
    release();
    await assert.rejects(service.sellRate('USDT'), apiError('UPSTREAM_UNAVAILABLE'));
  });
});

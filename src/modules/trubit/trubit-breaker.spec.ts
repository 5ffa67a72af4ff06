import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { Registry } from 'prom-client';
import type { TrubitClient } from './trubit.client';
import { FakeTrubitUpstream, json } from './testing/fake-trubit-upstream';
import { testClient } from './testing/client-test.helpers';
import {
  TrubitBusinessError,
  TrubitRateLimitError,
  TrubitUnavailableError,
  TrubitUnknownOutcomeError,
  TrubitUpstreamError,
} from './trubit.errors';

const BREAKER = {
  volumeThreshold: 3,
  errorThresholdPercentage: 50,
  resetTimeoutMs: 200,
  rollingCountTimeoutMs: 10_000,
};

describe('TrubitClient circuit breaker', () => {
  let up: FakeTrubitUpstream;
  before(async () => {
    up = await FakeTrubitUpstream.start();
  });
  after(() => up.close());

  const getOrder = (c: TrubitClient) => c.getOrder({ orderId: '1' });

  test('opens after failures, then fails fast without touching the network', async () => {
    up.handler = json(500, { code: -1000, msg: 'boom' });
    const registry = new Registry();
    const c = testClient(up.url, { breaker: BREAKER, metricsRegistry: registry, name: 'brk' });
    try {
      for (let i = 0; i < 3; i++) await assert.rejects(getOrder(c), TrubitUpstreamError);
      assert.equal(c.getBreakerState().state, 'OPEN');
      assert.equal(c.getBreakerState().stats.failures, 3);

      const before = up.count;
      const t0 = performance.now();
      const err = await c
        .addOrder({
          country: 'Mexico',
          mcId: 1,
          cryptoCurrency: 'USDT',
          fiatCurrency: 'MXN',
          orderAmount: '1',
          orderType: 'BUY',
          paymentId: 58,
        })
        .catch((e: unknown) => e);
      assert.ok(err instanceof TrubitUnavailableError, String(err));
      assert.equal(err.reason, 'breaker_open');
      // Breaker-open on a write is "not sent", never "unknown outcome".
      assert.ok(!(err instanceof TrubitUnknownOutcomeError));
      await assert.rejects(getOrder(c), TrubitUnavailableError);
      assert.equal(up.count, before, 'no request reached the upstream while open');
      assert.ok(performance.now() - t0 < 50, 'failed fast');

      const text = await registry.metrics();
      assert.match(text, /trubit_circuit_breaker_state\{client="brk"\} 2/);
      assert.match(
        text,
        /trubit_upstream_requests_total\{client="brk",endpoint="order\/add",outcome="unavailable"\} 1/,
      );
    } finally {
      await c.close();
    }
  });

  test('half-opens after resetTimeout and closes on a successful trial call', async () => {
    up.handler = json(500, {});
    const c = testClient(up.url, { breaker: BREAKER });
    try {
      for (let i = 0; i < 3; i++) await assert.rejects(getOrder(c), TrubitUpstreamError);
      assert.equal(c.getBreakerState().state, 'OPEN');
      await sleep(260);
      assert.equal(c.getBreakerState().state, 'HALF_OPEN');
      up.handler = json(200, { orderId: '1', orderStatus: 40 });
      const before = up.count;
      const res = await getOrder(c);
      assert.equal(res.orderStatus, 40);
      assert.equal(up.count, before + 1);
      assert.equal(c.getBreakerState().state, 'CLOSED');
    } finally {
      await c.close();
    }
  });

  test('a failed trial call in HALF_OPEN re-opens it', async () => {
    up.handler = json(503, {});
    const c = testClient(up.url, { breaker: BREAKER });
    try {
      for (let i = 0; i < 3; i++) await assert.rejects(getOrder(c), TrubitUpstreamError);
      await sleep(260);
      assert.equal(c.getBreakerState().state, 'HALF_OPEN');
      await assert.rejects(getOrder(c), TrubitUpstreamError);
      assert.equal(c.getBreakerState().state, 'OPEN');
      await assert.rejects(getOrder(c), TrubitUnavailableError);
    } finally {
      await c.close();
    }
  });

  test('4xx business errors and 429s do not open it', async () => {
    const c = testClient(up.url, { breaker: BREAKER });
    try {
      up.handler = json(400, { code: -1130, msg: 'Invalid data' });
      for (let i = 0; i < 10; i++) await assert.rejects(getOrder(c), TrubitBusinessError);
      assert.equal(c.getBreakerState().state, 'CLOSED');
      up.handler = json(429, { code: -1003, msg: 'Too many requests' });
      for (let i = 0; i < 5; i++) {
        // A fresh key each time: the 429 pauses the key, and we want each call to reach the upstream.
        await assert.rejects(
          c.getOrder({ orderId: '1' }, { apiKey: `k${i}`, apiSecret: 's' }),
          TrubitRateLimitError,
        );
      }
      assert.equal(c.getBreakerState().state, 'CLOSED');
      up.handler = json(200, { orderId: '1', orderStatus: 60 });
      const before = up.count;
      await getOrder(c);
      assert.equal(up.count, before + 1);
    } finally {
      await c.close();
    }
  });

  test('connection refused counts as a failure (upstream unhealthy)', async () => {
    const dead = await FakeTrubitUpstream.start();
    const url = dead.url;
    await dead.close();
    const c = testClient(url, { breaker: BREAKER });
    try {
      for (let i = 0; i < 3; i++) {
        const e = await getOrder(c).catch((err: unknown) => err);
        assert.ok(e instanceof TrubitUnavailableError);
        assert.equal(e.reason, 'ECONNREFUSED');
      }
      assert.equal(c.getBreakerState().state, 'OPEN');
      await assert.rejects(
        getOrder(c),
        (e: unknown) => e instanceof TrubitUnavailableError && e.reason === 'breaker_open',
      );
    } finally {
      await c.close();
    }
  });
});

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { TrubitClient } from '@app/modules/trubit/trubit.client';
import { http } from '@test/support/http';
import { RunningStack, startStack } from '@test/support/stack-harness';
import { eventually } from '@test/support/timing';

const ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;

/** Counts real upstream calls: wraps the API process's TruBit client (the requests still go to the simulator). */
function countQuoteCalls(stack: RunningStack): { count: () => number } {
  const client = stack.api.app.get(TrubitClient);
  const original = client.getUserQuote.bind(client);
  let calls = 0;
  client.getUserQuote = (...args: Parameters<TrubitClient['getUserQuote']>) => {
    calls++;
    return original(...args);
  };
  return { count: () => calls };
}

describe('GET /api/v1/exchange-rate (cached, single flight)', () => {
  let stack: RunningStack;
  let keys: string[];

  before(async () => {
    // A long cache so that the only upstream calls are the ones the test causes.
    stack = await startStack({ worker: false, env: { EXCHANGE_RATE_CACHE_MS: '60000' } });
    keys = await Promise.all(
      Array.from({ length: 5 }, async () => (await stack.admin.createPartner({ tier: 'ENTERPRISE' })).apiKey),
    );
  });
  after(() => stack.close());

  const get = (key: string, query = '?token=USDT') =>
    http('GET', `${stack.api.url}/api/v1/exchange-rate${query}`, { headers: { 'x-api-key': key } });

  test('N concurrent calls from several partners cost one TruBit call; later calls hit the cache', async () => {
    const upstream = countQuoteCalls(stack);
    const results = await Promise.all(Array.from({ length: 40 }, (_, i) => get(keys[i % keys.length])));
    for (const res of results) {
      assert.equal(res.status, 200, res.text);
      assert.deepEqual(Object.keys(res.body).sort(), ['source', 'timestamp', 'token', 'usdMxn', 'validFor']);
      assert.equal(res.body.usdMxn, 19.91); // the simulator's sellRate, not its buyRate (20.07)
      assert.equal(res.body.token, 'USDT');
      assert.equal(res.body.source, 'trubit');
      assert.equal(res.body.validFor, 300);
      assert.match(res.body.timestamp, ISO);
    }
    assert.equal(upstream.count(), 1);
    assert.equal(new Set(results.map((r) => r.body.timestamp)).size, 1);

    // TruBit moves, but within the cache window partners keep the cached rate and TruBit is not asked.
    await stack.simControl('POST', '/config', { sellRate: '18.40' });
    const cached = await get(keys[0], '');
    assert.equal(cached.body.usdMxn, 19.91);
    assert.equal(upstream.count(), 1);
  });

  test('unknown or malformed tokens', async () => {
    for (const token of ['BTC', 'usdt', 'USDC']) {
      const res = await get(keys[0], `?token=${token}`);
      assert.equal(res.status, 400, token);
      assert.equal(res.body.error, 'UNSUPPORTED_TOKEN');
    }
    for (const query of [
      '?token=',
      '?token=US%20DT',
      `?token=${'A'.repeat(17)}`,
      '?token=%C3%BCsdt',
      '?other=1',
    ]) {
      const res = await get(keys[0], query);
      assert.equal(res.status, 400, query);
      assert.equal(res.body.error, 'VALIDATION_ERROR');
    }
  });

  test('needs an API key', async () => {
    const res = await http('GET', `${stack.api.url}/api/v1/exchange-rate`);
    assert.equal(res.status, 401);
    assert.equal(res.body.error, 'MISSING_API_KEY');
  });
});

describe('GET /api/v1/exchange-rate when TruBit cannot quote', () => {
  let stack: RunningStack;
  let key: string;

  before(async () => {
    stack = await startStack({
      worker: false,
      env: { EXCHANGE_RATE_CACHE_MS: '0', TRUBIT_BREAKER_VOLUME: '3', TRUBIT_BREAKER_RESET_MS: '30000' },
    });
    key = (await stack.admin.createPartner({ tier: 'ENTERPRISE' })).apiKey;
  });
  after(() => stack.close());

  const get = () =>
    http('GET', `${stack.api.url}/api/v1/exchange-rate?token=USDT`, { headers: { 'x-api-key': key } });

  test('hasOpen = 0 → 503 UPSTREAM_UNAVAILABLE with Retry-After; reopening heals it', async () => {
    await stack.simControl('POST', '/config', { hasOpen: false });
    const closed = await get();
    assert.equal(closed.status, 503, closed.text);
    assert.equal(closed.body.error, 'UPSTREAM_UNAVAILABLE');
    assert.ok(Number(closed.headers.get('retry-after')) >= 1);
    await stack.simControl('POST', '/config', { hasOpen: true });
    const open = await get();
    assert.equal(open.status, 200);
    assert.equal(open.body.usdMxn, 19.91);
  });

  test('TruBit failing → 503 with Retry-After; once the breaker opens, TruBit is not even called', async () => {
    await stack.simControl('POST', '/faults', {
      route: 'rate/user_quote/find',
      mode: 'error500',
      persistent: true,
    });
    const failing = await get();
    assert.equal(failing.status, 503, failing.text);
    assert.equal(failing.body.error, 'UPSTREAM_UNAVAILABLE');
    assert.ok(Number(failing.headers.get('retry-after')) >= 1);
    const client = stack.api.app.get(TrubitClient);
    assert.ok(
      await eventually(async () => {
        await get();
        return client.getBreakerState().state === 'OPEN';
      }, 5000),
      'breaker opened',
    );
    await stack.simControl('DELETE', '/faults');
    const open = await get();
    assert.equal(open.status, 503);
    assert.equal(open.body.error, 'UPSTREAM_UNAVAILABLE');
    assert.equal(open.headers.get('retry-after'), '30'); // the breaker's reset time
  });
});

import { after, before, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { PartnerClient, type PartnerClientOptions, type RetryInfo } from './client';
import { PartnerApiError, PartnerConnectionError, PartnerTimeoutError } from './errors';
import { dropConnection, json, startTestServer, type Handler, type TestServer } from './testing/test-server';

const API_KEY = `mp2p_${'0f'.repeat(32)}`;
const ORDER = { quoteId: 'qt_1', partnerUserRef: 'user-1', sellerClabe: '012345678901234568' };
const rateLimited = (retryAfter?: string): Handler =>
  json(
    429,
    { error: 'RATE_LIMITED', message: 'Too many requests' },
    retryAfter ? { 'retry-after': retryAfter } : {},
  );
const unavailable = (retryAfter?: string): Handler =>
  json(
    503,
    { error: 'UPSTREAM_UNAVAILABLE', message: 'TruBit unavailable' },
    retryAfter ? { 'retry-after': retryAfter } : {},
  );

describe('PartnerClient: retries', () => {
  let server: TestServer;
  let retries: RetryInfo[];
  let sleeps: number[];

  /** A client whose waits are recorded instead of slept, so tests check the policy, not the clock. */
  const makeClient = (overrides: Partial<PartnerClientOptions> = {}) =>
    new PartnerClient({
      apiKey: API_KEY,
      baseUrl: server.baseUrl,
      onRetry: (info) => retries.push(info),
      sleep: async (ms) => {
        sleeps.push(ms);
      },
      ...overrides,
    });

  before(async () => {
    server = await startTestServer();
  });
  after(() => server.close());
  beforeEach(() => {
    server.reset();
    server.setDefault(json(200, { ok: true }));
    retries = [];
    sleeps = [];
  });

  test('429 with Retry-After: 1 then 200 → succeeds after one retry that waited the header value', async () => {
    server.enqueue(rateLimited('1'), json(200, { status: 'ok' }));
    const result = await makeClient().health();
    assert.deepEqual(result, { status: 'ok' });
    assert.equal(server.requests.length, 2);
    assert.equal(retries.length, 1);
    assert.equal(retries[0].reason, 'rate_limited');
    assert.equal(retries[0].status, 429);
    assert.equal(retries[0].retryAfterSeconds, 1);
    assert.equal(retries[0].delayMs, 1000);
    assert.deepEqual(sleeps, [1000]);
  });

  test('429 on a non-idempotent POST is retried too (the request was refused, not processed)', async () => {
    server.enqueue(rateLimited('2'), json(201, { id: 'u1' }));
    await makeClient().createUser({ partnerUserRef: 'user-1' });
    assert.equal(server.requests.length, 2);
    assert.deepEqual(sleeps, [2000]);
  });

  test('a Retry-After beyond the cap waits only the cap', async () => {
    server.enqueue(rateLimited('120'), json(200, {}));
    await makeClient({ maxRetryAfterSeconds: 30 }).health();
    assert.equal(retries[0].retryAfterSeconds, 120);
    assert.deepEqual(sleeps, [30_000]);
  });

  test('503 is retried; without Retry-After the wait is a jittered exponential backoff', async () => {
    server.enqueue(unavailable(), unavailable(), unavailable(), json(200, { ok: 1 }));
    const result = await makeClient({ retryBaseDelayMs: 100, retryMaxDelayMs: 250 }).getBalances();
    assert.deepEqual(result, { ok: 1 });
    assert.equal(server.requests.length, 4);
    assert.deepEqual(
      retries.map((r) => [r.retry, r.reason, r.status, r.retryAfterSeconds]),
      [
        [1, 'unavailable', 503, undefined],
        [2, 'unavailable', 503, undefined],
        [3, 'unavailable', 503, undefined],
      ],
    );
    const bounds = [
      [50, 100],
      [100, 200],
      [125, 250],
    ];
    sleeps.forEach((ms, i) => {
      assert.ok(ms >= bounds[i][0] && ms <= bounds[i][1], `retry ${i + 1} waited ${ms} ms`);
    });
  });

  test('503 with Retry-After honours it', async () => {
    server.enqueue(unavailable('3'), json(200, {}));
    await makeClient().getExchangeRate('USDT');
    assert.deepEqual(sleeps, [3000]);
  });

  test('gives up after maxRetries and throws the last error with its Retry-After', async () => {
    server.setDefault(rateLimited('1'));
    const err = await makeClient({ maxRetries: 2 })
      .health()
      .catch((e: unknown) => e);
    assert.ok(err instanceof PartnerApiError);
    assert.equal(err.code, 'RATE_LIMITED');
    assert.equal(err.status, 429);
    assert.equal(err.retryAfterSeconds, 1);
    assert.equal(server.requests.length, 3, '1 attempt + 2 retries');
    assert.equal(retries.length, 2);
  });

  test('maxRetries: 0 disables retrying', async () => {
    server.enqueue(unavailable('1'));
    await assert.rejects(makeClient({ maxRetries: 0 }).health(), PartnerApiError);
    assert.equal(server.requests.length, 1);
  });

  test('400 is never retried', async () => {
    server.enqueue(json(400, { error: 'INVALID_CLABE', message: 'bad CLABE' }));
    const err = await makeClient()
      .createOrder(ORDER)
      .catch((e: unknown) => e);
    assert.ok(err instanceof PartnerApiError);
    assert.equal(err.code, 'INVALID_CLABE');
    assert.equal(server.requests.length, 1);
    assert.equal(retries.length, 0);
  });

  test('other 4xx/5xx answers are final, even on GET', async () => {
    for (const [status, code] of [
      [404, 'NOT_FOUND'],
      [409, 'QUOTE_USED'],
      [500, 'INTERNAL_ERROR'],
      [502, 'UPSTREAM_REJECTED'],
    ] as const) {
      server.requests.length = 0;
      server.enqueue(json(status, { error: code, message: 'no' }));
      await assert.rejects(
        makeClient().getOrder('ord_1'),
        (e: unknown) => e instanceof PartnerApiError && e.code === code,
      );
      assert.equal(server.requests.length, 1, `${status} must not be retried`);
    }
    assert.equal(retries.length, 0);
  });

  test('createOrder keeps the same Idempotency-Key across 429, 503 and network-error retries', async () => {
    server.enqueue(rateLimited('1'), unavailable('1'), dropConnection, json(201, { id: 'ord_1' }));
    const order = await makeClient().createOrder(ORDER);
    assert.deepEqual(order, { id: 'ord_1' });
    assert.equal(server.requests.length, 4);
    const keys = new Set(server.requests.map((r) => r.headers['idempotency-key']));
    assert.equal(keys.size, 1, 'one key for every attempt');
    const [key] = keys;
    assert.match(String(key), /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    assert.deepEqual(
      retries.map((r) => [r.reason, r.idempotencyKey]),
      [
        ['rate_limited', key],
        ['unavailable', key],
        ['network', key],
      ],
    );
    for (const r of server.requests) assert.deepEqual(r.json, ORDER);
  });

  test('createOrder with a caller key reuses that key on retries', async () => {
    server.enqueue(dropConnection, json(201, { id: 'ord_2' }));
    await makeClient().createOrder(ORDER, { idempotencyKey: 'payout-77' });
    assert.deepEqual(
      server.requests.map((r) => r.headers['idempotency-key']),
      ['payout-77', 'payout-77'],
    );
  });

  test('createOrder retries IDEMPOTENCY_IN_PROGRESS (409 + Retry-After) with the same key', async () => {
    server.enqueue(
      json(409, { error: 'IDEMPOTENCY_IN_PROGRESS', message: 'in progress' }, { 'retry-after': '1' }),
      json(201, { id: 'ord_3' }, { 'idempotent-replayed': 'true' }),
    );
    const client = makeClient();
    await client.createOrder(ORDER);
    assert.equal(server.requests.length, 2);
    assert.equal(
      server.requests[0].headers['idempotency-key'],
      server.requests[1].headers['idempotency-key'],
    );
    assert.equal(retries[0].reason, 'idempotency_in_progress');
    assert.deepEqual(sleeps, [1000]);
    assert.equal(client.lastResponse?.idempotentReplayed, true);
    assert.equal(client.lastResponse?.attempts, 2);
  });

  test('a network error on GET is retried', async () => {
    server.enqueue(dropConnection, json(200, { orders: [], total: 0, limit: 20, offset: 0, hasMore: false }));
    const list = await makeClient().listOrders({ status: 'ACTIVE' });
    assert.equal(list.total, 0);
    assert.equal(server.requests.length, 2);
    assert.equal(retries.length, 1);
    assert.equal(retries[0].reason, 'network');
    assert.ok(retries[0].error instanceof PartnerConnectionError);
    assert.equal(server.requests[1].query.get('status'), 'ACTIVE');
  });

  test('a network error on a non-idempotent POST is not retried', async () => {
    server.enqueue(dropConnection);
    const err = await makeClient()
      .createUser({ partnerUserRef: 'user-1' })
      .catch((e: unknown) => e);
    assert.ok(err instanceof PartnerConnectionError);
    assert.ok(!(err instanceof PartnerApiError));
    assert.equal(err.method, 'POST');
    assert.equal(err.path, '/users');
    assert.equal(server.requests.length, 1);
    assert.equal(retries.length, 0);

    server.requests.length = 0;
    server.enqueue(dropConnection);
    await assert.rejects(makeClient().cancelOrder('ord_1'), PartnerConnectionError);
    assert.equal(server.requests.length, 1);
  });

  test('network errors exhaust maxRetries on GET', async () => {
    server.setDefault(dropConnection);
    await assert.rejects(makeClient({ maxRetries: 2 }).health(), PartnerConnectionError);
    assert.equal(server.requests.length, 3);
  });

  test('a timeout is retried on GET and reported as PartnerTimeoutError when it persists', async () => {
    const slow: Handler = (_req, res) => {
      setTimeout(() => {
        if (!res.destroyed) json(200, { late: true })(_req, res);
      }, 500).unref();
    };
    server.enqueue(slow, json(200, { fast: true }));
    assert.deepEqual(await makeClient({ timeoutMs: 100 }).health(), { fast: true });
    assert.equal(retries[0].reason, 'timeout');

    server.requests.length = 0;
    server.setDefault(slow);
    const err = await makeClient({ timeoutMs: 100, maxRetries: 1 })
      .health()
      .catch((e: unknown) => e);
    assert.ok(err instanceof PartnerTimeoutError);
    assert.equal(server.requests.length, 2);
  });

  test("the caller's AbortSignal stops the wait between retries", async () => {
    server.setDefault(rateLimited('30'));
    const client = new PartnerClient({ apiKey: API_KEY, baseUrl: server.baseUrl }); // real sleep
    const controller = new AbortController();
    const reason = new Error('caller gave up');
    setTimeout(() => controller.abort(reason), 100).unref();
    const started = Date.now();
    await assert.rejects(client.health({ signal: controller.signal }), (e: unknown) => e === reason);
    assert.ok(Date.now() - started < 5_000, 'did not sit out the 30 s Retry-After');
    assert.equal(server.requests.length, 1);
  });
});

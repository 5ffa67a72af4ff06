import { after, before, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { PartnerClient } from './client';
import { PartnerApiError } from './errors';
import { json, startTestServer, type TestServer } from './testing/test-server';

const API_KEY = `mp2p_${'ab12'.repeat(16)}`;

describe('PartnerClient: requests', () => {
  let server: TestServer;
  let client: PartnerClient;

  before(async () => {
    server = await startTestServer();
  });
  after(() => server.close());
  beforeEach(() => {
    server.reset();
    server.setDefault(json(200, { ok: true }));
    client = new PartnerClient({ apiKey: API_KEY, baseUrl: server.baseUrl, userAgent: 'sdk-test/1' });
  });

  const kyc = {
    type: 'PERSONAL' as const,
    level: 'BASIC' as const,
    name: 'Ana',
    fatherSurname: 'López',
    motherSurname: 'Ruiz',
    birthday: '1990-01-31',
    curp: 'LORA900131MDFPZN09',
    email: 'ana@example.com',
    phone: '+525512345678',
    address: 'Av. Reforma 1',
    city: 'CDMX',
    state: 'CMX',
    zipCode: '06600',
  };

  // [call, method, path, query, body]
  const cases: Array<
    [string, (c: PartnerClient) => Promise<unknown>, string, string, Record<string, string>, unknown]
  > = [
    ['health', (c) => c.health(), 'GET', '/api/v1/health', {}, undefined],
    ['getExchangeRate()', (c) => c.getExchangeRate(), 'GET', '/api/v1/exchange-rate', {}, undefined],
    [
      'getExchangeRate(USDC)',
      (c) => c.getExchangeRate('USDC'),
      'GET',
      '/api/v1/exchange-rate',
      { token: 'USDC' },
      undefined,
    ],
    [
      'createUser',
      (c) => c.createUser({ partnerUserRef: 'user-1' }),
      'POST',
      '/api/v1/users',
      {},
      { partnerUserRef: 'user-1' },
    ],
    [
      'listUsers',
      (c) => c.listUsers({ limit: 5, offset: 10 }),
      'GET',
      '/api/v1/users',
      { limit: '5', offset: '10' },
      undefined,
    ],
    ['getUser', (c) => c.getUser('user/1 ü'), 'GET', '/api/v1/users/user%2F1%20%C3%BC', {}, undefined],
    ['startKyc', (c) => c.startKyc('user-1', kyc), 'POST', '/api/v1/users/user-1/kyc', {}, kyc],
    [
      'createQuote',
      (c) =>
        c.createQuote({
          type: 'SELL',
          amount: 100,
          partnerUserRef: 'user-1',
          feePercent: 1.5,
          feeRecipient: 'PARTNER',
        }),
      'POST',
      '/api/v1/quotes',
      {},
      { type: 'SELL', amount: 100, partnerUserRef: 'user-1', feePercent: 1.5, feeRecipient: 'PARTNER' },
    ],
    [
      'createOrder',
      (c) => c.createOrder({ quoteId: 'qt_1', partnerUserRef: 'user-1', sellerClabe: '012345678901234568' }),
      'POST',
      '/api/v1/orders',
      {},
      { quoteId: 'qt_1', partnerUserRef: 'user-1', sellerClabe: '012345678901234568' },
    ],
    [
      'listOrders',
      (c) => c.listOrders({ status: 'COMPLETED', partnerUserRef: 'user-1', limit: 50, offset: 0 }),
      'GET',
      '/api/v1/orders',
      { status: 'COMPLETED', partnerUserRef: 'user-1', limit: '50', offset: '0' },
      undefined,
    ],
    ['listOrders()', (c) => c.listOrders(), 'GET', '/api/v1/orders', {}, undefined],
    ['getOrder', (c) => c.getOrder('ord_abc'), 'GET', '/api/v1/orders/ord_abc', {}, undefined],
    ['cancelOrder', (c) => c.cancelOrder('ord_abc'), 'POST', '/api/v1/orders/ord_abc/cancel', {}, undefined],
    ['getBalances', (c) => c.getBalances(), 'GET', '/api/v1/balances', {}, undefined],
    [
      'getDepositAddress',
      (c) => c.getDepositAddress('USDT', 'TRC20'),
      'GET',
      '/api/v1/deposit-address',
      { token: 'USDT', chain: 'TRC20' },
      undefined,
    ],
    [
      'listWebhooks',
      (c) =>
        c.listWebhooks({
          status: 'FAILED',
          orderId: 'ord_1',
          eventType: 'order.completed',
          limit: 10,
          offset: 20,
        }),
      'GET',
      '/api/v1/webhooks',
      { status: 'FAILED', orderId: 'ord_1', eventType: 'order.completed', limit: '10', offset: '20' },
      undefined,
    ],
    ['retryWebhook', (c) => c.retryWebhook('del_9'), 'POST', '/api/v1/webhooks/del_9/retry', {}, undefined],
    [
      'recoverWebhooks(Date)',
      (c) => c.recoverWebhooks({ since: new Date('2026-11-20T00:00:00.000Z') }),
      'POST',
      '/api/v1/webhooks/recover',
      {},
      { since: '2026-11-20T00:00:00.000Z' },
    ],
    [
      'recoverWebhooks(since, until)',
      (c) => c.recoverWebhooks({ since: '2026-11-20T00:00:00.000Z', until: '2026-11-21T00:00:00.000Z' }),
      'POST',
      '/api/v1/webhooks/recover',
      {},
      { since: '2026-11-20T00:00:00.000Z', until: '2026-11-21T00:00:00.000Z' },
    ],
    ['getWebhookEndpoint', (c) => c.getWebhookEndpoint(), 'GET', '/api/v1/webhook-endpoint', {}, undefined],
    [
      'setWebhookEndpoint',
      (c) => c.setWebhookEndpoint('https://hooks.partner.example/mp2p'),
      'PUT',
      '/api/v1/webhook-endpoint',
      {},
      { url: 'https://hooks.partner.example/mp2p' },
    ],
    [
      'rotateWebhookSecret',
      (c) => c.rotateWebhookSecret(),
      'POST',
      '/api/v1/webhook-endpoint/rotate-secret',
      {},
      undefined,
    ],
  ];

  for (const [name, call, method, path, query, body] of cases) {
    test(`${name} → ${method} ${path}`, async () => {
      const result = await call(client);
      assert.deepEqual(result, { ok: true }, 'returns the parsed body');
      assert.equal(server.requests.length, 1);
      const req = server.requests[0];
      assert.equal(req.method, method);
      assert.equal(req.path, path);
      assert.deepEqual(Object.fromEntries(req.query), query);
      assert.equal(req.headers['x-api-key'], API_KEY);
      assert.equal(req.headers['user-agent'], 'sdk-test/1');
      assert.equal(req.headers.accept, 'application/json');
      if (body === undefined) {
        assert.equal(req.body, '');
        assert.equal(req.headers['content-type'], undefined, 'no JSON content-type without a body');
      } else {
        assert.deepEqual(req.json, body);
        assert.equal(req.headers['content-type'], 'application/json');
      }
      if (name === 'createOrder') {
        assert.match(String(req.headers['idempotency-key']), /^[0-9a-f-]{36}$/);
      } else {
        assert.equal(
          req.headers['idempotency-key'],
          undefined,
          'only POST /orders carries an Idempotency-Key',
        );
      }
    });
  }

  test('createOrder sends the caller-supplied Idempotency-Key and a fresh one per call otherwise', async () => {
    const body = { quoteId: 'qt_1', partnerUserRef: 'u', sellerClabe: '012345678901234568' };
    await client.createOrder(body, { idempotencyKey: 'withdrawal-42' });
    await client.createOrder(body);
    await client.createOrder(body);
    const keys = server.requests.map((r) => r.headers['idempotency-key']);
    assert.equal(keys[0], 'withdrawal-42');
    assert.notEqual(keys[1], keys[2]);
    assert.equal(client.lastResponse?.idempotencyKey, keys[2]);
    assert.throws(() => client.createOrder(body, { idempotencyKey: 'x'.repeat(256) }), TypeError);
    assert.throws(() => client.createOrder(body, { idempotencyKey: 'has space' }), TypeError);
  });

  test('a baseUrl with a trailing slash does not double the slash', async () => {
    const c = new PartnerClient({ apiKey: API_KEY, baseUrl: `${server.baseUrl}/` });
    await c.health();
    assert.equal(server.requests[0].path, '/api/v1/health');
  });

  test('rate-limit headers and response facts are exposed on the client', async () => {
    server.enqueue(
      json(
        201,
        { id: 'ord_1' },
        {
          'x-ratelimit-limit': 200,
          'x-ratelimit-remaining': 199,
          'x-ratelimit-reset': 1_795_000_000,
          'x-request-id': 'req-1',
          'idempotent-replayed': 'true',
        },
      ),
    );
    await client.createOrder({ quoteId: 'qt_1', partnerUserRef: 'u', sellerClabe: '012345678901234568' });
    assert.deepEqual(client.lastRateLimit, { limit: 200, remaining: 199, reset: 1_795_000_000 });
    assert.equal(client.lastResponse?.status, 201);
    assert.equal(client.lastResponse?.requestId, 'req-1');
    assert.equal(client.lastResponse?.idempotentReplayed, true);
    assert.equal(client.lastResponse?.attempts, 1);
  });

  test('an error body becomes a PartnerApiError with every field', async () => {
    server.enqueue(
      json(
        400,
        {
          error: 'VALIDATION_ERROR',
          message: 'Request validation failed',
          details: [{ field: 'sellerClabe', problem: 'must be 18 digits' }],
          requestId: 'req-body',
        },
        {
          'x-request-id': 'req-header',
          'x-ratelimit-limit': 50,
          'x-ratelimit-remaining': 3,
          'x-ratelimit-reset': 1_795_000_060,
        },
      ),
    );
    const err = await client.createUser({ partnerUserRef: '' }).catch((e: unknown) => e);
    assert.ok(err instanceof PartnerApiError);
    assert.equal(err.status, 400);
    assert.equal(err.code, 'VALIDATION_ERROR');
    assert.equal(err.rawCode, 'VALIDATION_ERROR');
    assert.equal(err.message, 'Request validation failed');
    assert.deepEqual(err.details, [{ field: 'sellerClabe', problem: 'must be 18 digits' }]);
    assert.deepEqual(err.validationProblems, [{ field: 'sellerClabe', problem: 'must be 18 digits' }]);
    assert.equal(err.requestId, 'req-body');
    assert.equal(err.retryAfterSeconds, undefined);
    assert.deepEqual(err.rateLimit, { limit: 50, remaining: 3, reset: 1_795_000_060 });
    assert.deepEqual(client.lastRateLimit, { limit: 50, remaining: 3, reset: 1_795_000_060 });
    assert.equal(err.method, 'POST');
    assert.equal(err.path, '/users');
    assert.equal(err.name, 'PartnerApiError');
  });

  test('documented codes are kept; the request id falls back to X-Request-Id', async () => {
    server.enqueue(
      json(410, { error: 'QUOTE_EXPIRED', message: 'Quote expired' }, { 'x-request-id': 'r-9' }),
    );
    const err = await client
      .createOrder({ quoteId: 'qt_1', partnerUserRef: 'u', sellerClabe: '012345678901234568' })
      .catch((e: unknown) => e);
    assert.ok(err instanceof PartnerApiError);
    assert.equal(err.code, 'QUOTE_EXPIRED');
    assert.equal(err.status, 410);
    assert.equal(err.requestId, 'r-9');
    assert.deepEqual(err.validationProblems, []);
  });

  test('an undocumented code or a non-JSON body maps to the status code, keeping the raw one', async () => {
    server.enqueue(json(403, { error: 'SOMETHING_NEW', message: 'new' }));
    const a = await client.health().catch((e: unknown) => e);
    assert.ok(a instanceof PartnerApiError);
    assert.equal(a.code, 'VALIDATION_ERROR');
    assert.equal(a.rawCode, 'SOMETHING_NEW');

    server.enqueue((_req, res) => {
      res.writeHead(500, { 'content-type': 'text/html' });
      res.end('<html>oops</html>');
    });
    const b = await client.health().catch((e: unknown) => e);
    assert.ok(b instanceof PartnerApiError);
    assert.equal(b.status, 500);
    assert.equal(b.code, 'INTERNAL_ERROR');
    assert.equal(b.rawCode, '');
    assert.equal(b.body, '<html>oops</html>');
    assert.equal(server.requests.length, 2, '500 is not retried');
  });

  test('redirects are not followed (the API key must not travel elsewhere)', async () => {
    server.enqueue((_req, res) => {
      res.writeHead(301, { location: 'https://elsewhere.example/api/v1/health' });
      res.end();
    });
    const err = await client.health().catch((e: unknown) => e);
    assert.ok(err instanceof PartnerApiError);
    assert.equal(err.status, 301);
    assert.match(err.message, /redirected to https:\/\/elsewhere\.example/);
    assert.equal(server.requests.length, 1);
  });

  test('constructor validates its options', () => {
    assert.throws(() => new PartnerClient({ apiKey: '', baseUrl: server.baseUrl }), TypeError);
    assert.throws(() => new PartnerClient({ apiKey: API_KEY, baseUrl: 'not a url' }), TypeError);
    assert.throws(() => new PartnerClient({ apiKey: API_KEY, baseUrl: 'ftp://x.example' }), TypeError);
    assert.throws(
      () => new PartnerClient({ apiKey: API_KEY, baseUrl: server.baseUrl, maxRetries: -1 }),
      TypeError,
    );
  });
});

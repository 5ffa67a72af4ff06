import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Registry } from 'prom-client';
import { TrubitClient } from './trubit.client';
import { FakeTrubitUpstream, hang, json, refusedUrl, resetSocket } from './testing/fake-trubit-upstream';
import { SAMPLE_SECRET, signatureValid, testClient } from './testing/client-test.helpers';
import {
  isRetryable,
  isUnknownOutcome,
  TrubitAuthError,
  TrubitBusinessError,
  TrubitRateLimitError,
  TrubitUnavailableError,
  TrubitUnknownOutcomeError,
  TrubitUpstreamError,
} from './trubit.errors';

const FIXED_NOW = () => 1700000000000;

describe('TrubitClient: what is signed is what is sent', () => {
  let up: FakeTrubitUpstream;
  before(async () => {
    up = await FakeTrubitUpstream.start();
  });
  after(() => up.close());

  test('order/add reproduces vector E byte for byte and returns the big orderId exactly', async () => {
    up.handler = json(200, '{"orderId":433592805818896384}');
    const client = testClient(up.url, {
      now: FIXED_NOW,
      recvWindowMs: null,
      credentials: { apiKey: 'k1', apiSecret: SAMPLE_SECRET },
    });
    try {
      const res = await client.addOrder({
        country: 'Mexico',
        mcId: 3,
        cryptoCurrency: 'USDT',
        fiatCurrency: 'MXN',
        orderAmount: '1000.00',
        orderType: 'BUY',
        paymentId: 58,
      });
      assert.deepEqual(res, { orderId: '433592805818896384' });
      const req = up.requests.at(-1)!;
      assert.equal(req.method, 'POST');
      assert.equal(req.path, '/openapi/v1/otc/order/add');
      assert.equal(
        req.query,
        'timestamp=1700000000000&signature=e54561154fdf9af35587fab68fd5559fcc08ccabc9dc8b7a6ea65dc52a2ce960',
      );
      assert.equal(
        req.body,
        '{"country":"Mexico","mcId":3,"cryptoCurrency":"USDT","fiatCurrency":"MXN","orderAmount":"1000.00","orderType":"BUY","paymentId":58}',
      );
      assert.equal(req.headers['x-bh-apikey'], 'k1');
      assert.equal(req.headers['content-type'], 'application/json');
    } finally {
      await client.close();
    }
  });

  test('order/add truncates amounts (fiat 2 dp, crypto 4 dp) before signing', async () => {
    up.handler = json(200, { orderId: '1' });
    const client = testClient(up.url);
    try {
      await client.addOrder({
        country: 'Mexico',
        mcId: 3,
        cryptoCurrency: 'USDT',
        fiatCurrency: 'MXN',
        quantity: '0.49829',
        orderAmount: '1000.999',
        orderType: 'SELL',
        paymentId: '221',
      });
      const req = up.requests.at(-1)!;
      assert.match(
        req.body,
        /"quantity":"0\.4982","orderAmount":"1000\.99","orderType":"SELL","paymentId":"221"/,
      );
      assert.ok(signatureValid(req, SAMPLE_SECRET));
      await assert.rejects(
        client.addOrder({
          country: 'Mexico',
          mcId: 3,
          cryptoCurrency: 'USDT',
          fiatCurrency: 'MXN',
          orderType: 'BUY',
          paymentId: 1,
        }),
        RangeError,
      );
    } finally {
      await client.close();
    }
  });

  test('order/list reproduces vector D in the URL; ids in the answer stay exact', async () => {
    up.handler = json(
      200,
      '{"currentPage":1,"size":10,"total":1,"pendingOrders":1,"record":[{"orderId":433592805818896385,"userId":"9007199254740993","orderStatus":"30","fiatAmount":"700.00","orderPrice":"20.07","quantity":"34.8779","orderType":"SELL","cryptoCurrency":"USDT","fiatCurrency":"MXN"}]}',
    );
    const client = testClient(up.url, { now: FIXED_NOW, recvWindowMs: null });
    try {
      const res = await client.listOrders({ currentPage: 1, pageSize: 10 });
      const req = up.requests.at(-1)!;
      assert.equal(req.method, 'GET');
      assert.equal(
        req.url,
        '/openapi/v1/otc/order/list?currentPage=1&pageSize=10&timestamp=1700000000000&signature=ca2ad773f3daa80184c5e1019b4bc4e74b6543bd771942a1a5ad7f1549c13533',
      );
      assert.equal(req.body, '');
      assert.equal(res.total, 1);
      assert.equal(res.record[0].orderId, '433592805818896385');
      assert.equal(res.record[0].userId, '9007199254740993');
      assert.equal(res.record[0].fiatAmount, '700.00');
    } finally {
      await client.close();
    }
  });

  test('order/finish writes orderId as a bare number (vector F with recvWindow)', async () => {
    up.handler = json(200, { result: true, msg: '' });
    const client = testClient(up.url, { now: FIXED_NOW, recvWindowMs: 5000 });
    try {
      const res = await client.finishOrder({ orderId: '433592805818896384' });
      assert.deepEqual(res, { result: true, msg: '' });
      const req = up.requests.at(-1)!;
      assert.equal(req.body, '{"orderId":433592805818896384}');
      assert.equal(
        req.query,
        'timestamp=1700000000000&recvWindow=5000&signature=244a0d579e7c136775e945ea4d9bc274b89b15b9d9dcc196d401e2a00b1900f4',
      );
      await assert.rejects(client.finishOrder({ orderId: '4335928058188963.84' }), RangeError);
    } finally {
      await client.close();
    }
  });

  test('per-partner credentials override the default account; the default is the fallback', async () => {
    up.handler = json(200, []);
    const client = testClient(up.url);
    try {
      await client.listMerchants({ apiKey: 'partner-key', apiSecret: 'partner-secret' });
      const partnerReq = up.requests.at(-1)!;
      assert.equal(partnerReq.headers['x-bh-apikey'], 'partner-key');
      assert.ok(signatureValid(partnerReq, 'partner-secret'));
      assert.ok(!signatureValid(partnerReq, SAMPLE_SECRET));

      await client.listMerchants();
      const defaultReq = up.requests.at(-1)!;
      assert.equal(defaultReq.headers['x-bh-apikey'], 'default-key');
      assert.ok(signatureValid(defaultReq, SAMPLE_SECRET));
      // Default recvWindow is 5000, right after the timestamp.
      assert.match(defaultReq.query, /^timestamp=\d{13}&recvWindow=5000&signature=[0-9a-f]{64}$/);
    } finally {
      await client.close();
    }
  });

  test('unsigned endpoints carry the key header but no timestamp/signature', async () => {
    up.handler = json(200, { countryList: [{ country: 'Mexico', abbr: 'MX', buySwitch: 1, sellSwitch: 1 }] });
    const client = testClient(up.url);
    try {
      const res = await client.listCountries({ hasValid: 1 });
      assert.equal(res.countryList[0].abbr, 'MX');
      const req = up.requests.at(-1)!;
      assert.equal(req.url, '/openapi/v1/otc/base/symbol_rate/country/list?hasValid=1');
      assert.equal(req.headers['x-bh-apikey'], 'default-key');
    } finally {
      await client.close();
    }
  });

  test('every endpoint goes to its documented path and method', async () => {
    up.handler = (req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(
        req.path.endsWith('/order/add')
          ? '{"orderId":"5"}'
          : req.path.endsWith('/mc/list')
            ? '[]'
            : '{"result":true,"msg":""}',
      );
    };
    const client = testClient(up.url);
    try {
      const seen: string[] = [];
      const last = () => {
        const r = up.requests.at(-1)!;
        seen.push(`${r.method} ${r.path.replace('/openapi/v1/otc/', '')}`);
        if (r.query.includes('signature=')) assert.ok(signatureValid(r, SAMPLE_SECRET), r.url);
      };
      await client.listCountries();
      last();
      await client.listSymbols({ country: 'Mexico' });
      last();
      await client.getUserQuote({ country: 'Mexico', fiatCurrency: 'MXN', cryptoCurrency: 'USDT' });
      last();
      assert.equal(
        up.requests.at(-1)!.body,
        '{"country":"Mexico","fiatCurrency":"MXN","cryptoCurrency":"USDT"}',
      );
      await client.listPaymentConfigs({ country: 'Mexico' });
      last();
      await client.addPayment({
        mcId: 1,
        country: 'Mexico',
        fiatCurrency: 'MXN',
        paymentConfigId: 58,
        paymentMethodName: 'Automated SPEI - Arcus',
        realName: 'Ana',
        fieldJson: [
          { index: 0, textType: 1, title: 'Cuenta CLABE', text: '002010077777777771', isAccount: true },
        ],
      });
      last();
      await client.listMerchants();
      last();
      await client.addMerchant({
        trench: 'CVU',
        merchantName: 'm',
        email: 'e@x',
        merchantType: 'PERSONAL',
        cuit: '20315085801',
        name: 'N',
      });
      last();
      await client.listOrders({ isPending: true });
      last();
      await client.getOrder({ orderId: '433592805818896384' });
      last();
      assert.match(up.requests.at(-1)!.query, /^orderId=433592805818896384&timestamp=/);
      await client.addOrder({
        country: 'Mexico',
        mcId: 1,
        cryptoCurrency: 'USDT',
        fiatCurrency: 'MXN',
        orderAmount: '10',
        orderType: 'BUY',
        paymentId: 58,
      });
      last();
      await client.finishOrder({ orderId: '5' });
      last();
      await client.getDepositAddress({ tokenId: 'USDT', chainType: 'TRC20' });
      last();
      await client.getAccount();
      last();
      assert.deepEqual(seen, [
        'GET base/symbol_rate/country/list',
        'GET base/symbol/self/list_data',
        'POST rate/user_quote/find',
        'GET payment/list',
        'POST payment/add',
        'GET mc/list',
        'POST mc/add',
        'GET order/list',
        'GET order/detail',
        'POST order/add',
        'POST order/finish',
        'GET depositAddress',
        'GET account',
      ]);
    } finally {
      await client.close();
    }
  });
});

describe('TrubitClient: envelope handling', () => {
  let up: FakeTrubitUpstream;
  let client: TrubitClient;
  before(async () => {
    up = await FakeTrubitUpstream.start();
    client = testClient(up.url);
  });
  after(async () => {
    await client.close();
    await up.close();
  });

  test('{code:200,msg,data} is unwrapped', async () => {
    up.handler = json(
      200,
      '{"code":200,"msg":"SUCCESS","data":{"merchantId":1,"country":"Mexico","merchantName":"m","status":1,"merchantType":1}}',
    );
    const res = await client.addMerchant({
      trench: 'CVU',
      merchantName: 'm',
      email: 'e@x',
      merchantType: 'PERSONAL',
      cuit: '1',
      name: 'N',
    });
    assert.deepEqual(res, {
      merchantId: 1,
      country: 'Mexico',
      merchantName: 'm',
      status: 1,
      merchantType: 1,
    });
  });

  test('{code:0,data} is unwrapped, big ids inside stay exact', async () => {
    up.handler = json(200, '{"code":0,"msg":"","data":{"orderId":433592805818896384}}');
    assert.deepEqual(
      await client.addOrder({
        country: 'Mexico',
        mcId: 1,
        cryptoCurrency: 'USDT',
        fiatCurrency: 'MXN',
        orderAmount: '10',
        orderType: 'BUY',
        paymentId: 58,
      }),
      {
        orderId: '433592805818896384',
      },
    );
  });

  test('bare payloads (object or array) pass through', async () => {
    up.handler = json(
      200,
      '[{"id":1,"country":"Mexico","merchantName":"TestMc","fiat":"MXN","buyLimit":"10000.00","buyUsed":"2000.00","sellLimit":"10000.00","sellUsed":"2000.00"}]',
    );
    const list = await client.listMerchants();
    assert.equal(list.length, 1);
    assert.equal(list[0].buyLimit, '10000.00');
  });

  test('a 200 carrying {code:-1130} is an error, not a payload', async () => {
    up.handler = json(200, { code: -1130, msg: 'Invalid data' });
    await assert.rejects(
      client.getAccount(),
      (e: unknown) => e instanceof TrubitBusinessError && e.code === -1130 && e.httpStatus === 200,
    );
  });

  test('result:false is a business refusal', async () => {
    up.handler = json(200, { result: false, msg: 'order state does not allow finish' });
    await assert.rejects(
      client.finishOrder({ orderId: '7' }),
      (e: unknown) => e instanceof TrubitBusinessError && /does not allow/.test(e.msg),
    );
  });

  test('order/add 2xx without an orderId is an unknown outcome', async () => {
    up.handler = json(200, { ok: true });
    await assert.rejects(
      client.addOrder({
        country: 'Mexico',
        mcId: 1,
        cryptoCurrency: 'USDT',
        fiatCurrency: 'MXN',
        orderAmount: '10',
        orderType: 'BUY',
        paymentId: 58,
      }),
      TrubitUnknownOutcomeError,
    );
  });
});

describe('TrubitClient: error classification against a fake upstream', () => {
  let up: FakeTrubitUpstream;
  before(async () => {
    up = await FakeTrubitUpstream.start();
  });
  after(() => up.close());

  const addOrder = (c: TrubitClient) =>
    c.addOrder({
      country: 'Mexico',
      mcId: 3,
      cryptoCurrency: 'USDT',
      fiatCurrency: 'MXN',
      orderAmount: '100',
      orderType: 'SELL',
      paymentId: 221,
    });
  const getOrder = (c: TrubitClient) => c.getOrder({ orderId: '433592805818896384' });

  async function withClient<T>(fn: (c: TrubitClient) => Promise<T>, overrides = {}): Promise<T> {
    const c = testClient(up.url, overrides);
    try {
      return await fn(c);
    } finally {
      await c.close();
    }
  }

  test('400 {code:-1130} → TrubitBusinessError (final) on reads and writes', async () => {
    up.handler = json(400, { code: -1130, msg: 'Invalid data sent for a parameter.' });
    await withClient(async (c) => {
      for (const call of [addOrder, getOrder]) {
        const err = await call(c).then(
          () => assert.fail('expected an error'),
          (e: unknown) => e,
        );
        assert.ok(err instanceof TrubitBusinessError);
        assert.equal(err.code, -1130);
        assert.equal(err.httpStatus, 400);
        assert.equal(err.msg, 'Invalid data sent for a parameter.');
        assert.equal(isRetryable(err), false);
        assert.equal(isUnknownOutcome(err), false);
      }
    });
  });

  test('401 {code:-1022} → TrubitAuthError; -1021 is the retryable auth error', async () => {
    await withClient(async (c) => {
      up.handler = json(401, { code: -1022, msg: 'Signature for this request is not valid.' });
      await assert.rejects(
        addOrder(c),
        (e: unknown) =>
          e instanceof TrubitAuthError && e.code === -1022 && e.httpStatus === 401 && !isRetryable(e),
      );
      up.handler = json(400, {
        code: -1021,
        msg: 'Timestamp for this request is outside of the recvWindow.',
      });
      await assert.rejects(
        getOrder(c),
        (e: unknown) => e instanceof TrubitAuthError && e.code === -1021 && isRetryable(e),
      );
      up.handler = json(400, { code: -2015, msg: 'Invalid API-key, IP, or permissions for action.' });
      await assert.rejects(getOrder(c), TrubitAuthError);
    });
  });

  test('429 → TrubitRateLimitError with Retry-After, and the key is paused', async () => {
    up.handler = json(429, { code: -1003, msg: 'Too many requests' }, { 'retry-after': '3' });
    await withClient(async (c) => {
      const before = up.count;
      const err = await addOrder(c).catch((e: unknown) => e);
      assert.ok(err instanceof TrubitRateLimitError);
      assert.equal(err.httpStatus, 429);
      assert.equal(err.source, 'upstream');
      assert.equal(err.retryAfterMs, 3000);
      assert.equal(isUnknownOutcome(err), false, 'a 429 was not executed');
      assert.equal(isRetryable(err), true);
      const budget = await c.getBudget();
      assert.ok(
        budget.backoffRemainingMs > 2000 && budget.backoffRemainingMs <= 3000,
        String(budget.backoffRemainingMs),
      );
      // The next call with the same key does not reach TruBit (maxWaitMs 0 < 3 s pause).
      await assert.rejects(
        getOrder(c),
        (e: unknown) => e instanceof TrubitRateLimitError && e.source === 'limiter',
      );
      assert.equal(up.count, before + 1);
    });
  });

  test('418 → banned TrubitRateLimitError, pause taken from "banned until"', async () => {
    await withClient(
      async (c) => {
        up.handler = json(418, { code: -1003, msg: `IP banned until ${1700000000000 + 120_000}` });
        const err = await getOrder(c).catch((e: unknown) => e);
        assert.ok(err instanceof TrubitRateLimitError);
        assert.equal(err.banned, true);
        assert.equal(err.httpStatus, 418);
        assert.equal(err.retryAfterMs, 120_000);
      },
      { now: FIXED_NOW },
    );
  });

  test('500 → unknown outcome on a write, retryable upstream error on a read', async () => {
    up.handler = json(500, { code: -1000, msg: 'An unknown error occured while processing the request.' });
    await withClient(async (c) => {
      const w = await addOrder(c).catch((e: unknown) => e);
      assert.ok(w instanceof TrubitUnknownOutcomeError);
      assert.equal(w.httpStatus, 500);
      assert.equal(w.reason, 'http_5xx');
      assert.equal(isUnknownOutcome(w), true);
      assert.equal(isRetryable(w), false, 'never blindly retry a maybe-executed write');
      const r = await getOrder(c).catch((e: unknown) => e);
      assert.ok(r instanceof TrubitUpstreamError);
      assert.equal(isRetryable(r), true);
      assert.equal(isUnknownOutcome(r), false);
    });
  });

  test('502 with an HTML body: same classification, no JSON needed', async () => {
    up.handler = (_req, res) => {
      res.writeHead(502, { 'content-type': 'text/html' });
      res.end('<html>Bad Gateway</html>');
    };
    await withClient(async (c) => {
      await assert.rejects(addOrder(c), TrubitUnknownOutcomeError);
      await assert.rejects(getOrder(c), TrubitUpstreamError);
    });
  });

  test('4xx carrying -1007 (backend timeout, status unknown) → unknown outcome on a write', async () => {
    up.handler = json(400, { code: -1007, msg: 'Timeout waiting for response from backend server.' });
    await withClient(async (c) => {
      await assert.rejects(
        addOrder(c),
        (e: unknown) => e instanceof TrubitUnknownOutcomeError && e.code === -1007,
      );
      await assert.rejects(getOrder(c), TrubitUpstreamError);
    });
  });

  test('a hung response past the timeout → unknown outcome (write) / retryable (read)', async () => {
    up.handler = hang;
    await withClient(
      async (c) => {
        const t0 = Date.now();
        const w = await addOrder(c).catch((e: unknown) => e);
        assert.ok(w instanceof TrubitUnknownOutcomeError, String(w));
        assert.equal(w.reason, 'timeout');
        assert.ok(Date.now() - t0 < 1500, 'gave up at the request timeout');
        const r = await getOrder(c).catch((e: unknown) => e);
        assert.ok(r instanceof TrubitUpstreamError);
        assert.equal(r.reason, 'timeout');
        assert.equal(isRetryable(r), true);
      },
      { requestTimeoutMs: 200 },
    );
  });

  test('opossum timing out first is classified the same way', async () => {
    up.handler = hang;
    await withClient(
      async (c) => {
        const w = await addOrder(c).catch((e: unknown) => e);
        assert.ok(w instanceof TrubitUnknownOutcomeError, String(w));
        assert.equal(w.reason, 'timeout');
      },
      { requestTimeoutMs: 5000, breaker: { timeoutMs: 150 } },
    );
  });

  test('a socket reset after sending → unknown outcome (write) / retryable (read)', async () => {
    up.handler = resetSocket;
    await withClient(async (c) => {
      const w = await addOrder(c).catch((e: unknown) => e);
      assert.ok(w instanceof TrubitUnknownOutcomeError, String(w));
      assert.equal(w.reason, 'connection_lost');
      const r = await getOrder(c).catch((e: unknown) => e);
      assert.ok(r instanceof TrubitUpstreamError);
      assert.equal(isRetryable(r), true);
    });
  });

  test('2xx with an unreadable body on a write → unknown outcome', async () => {
    up.handler = (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.end('OK');
    };
    await withClient(async (c) => {
      await assert.rejects(
        addOrder(c),
        (e: unknown) => e instanceof TrubitUnknownOutcomeError && e.reason === 'bad_response',
      );
    });
  });

  test('connection refused → TrubitUnavailableError (nothing was sent), even for writes', async () => {
    const c = testClient(await refusedUrl());
    try {
      const w = await addOrder(c).catch((e: unknown) => e);
      assert.ok(w instanceof TrubitUnavailableError, String(w));
      assert.equal(w.reason, 'ECONNREFUSED');
      assert.equal(isUnknownOutcome(w), false);
      assert.equal(isRetryable(w), true);
    } finally {
      await c.close();
    }
  });

  test('a closed client refuses calls without network', async () => {
    const c = testClient(up.url);
    await c.close();
    const before = up.count;
    await assert.rejects(
      getOrder(c),
      (e: unknown) => e instanceof TrubitUnavailableError && e.reason === 'client_closed',
    );
    assert.equal(up.count, before);
  });
});

describe('TrubitClient: metrics', () => {
  test('two clients share one registry without double registration; outcomes are counted', async () => {
    const up = await FakeTrubitUpstream.start(json(400, { code: -1130, msg: 'x' }));
    const registry = new Registry();
    const a = new TrubitClient(
      { baseUrl: up.url, credentials: { apiKey: 'a', apiSecret: 's' }, metricsRegistry: registry, name: 'a' },
      null,
    );
    const b = new TrubitClient(
      { baseUrl: up.url, credentials: { apiKey: 'b', apiSecret: 's' }, metricsRegistry: registry, name: 'b' },
      null,
    );
    try {
      await assert.rejects(a.getAccount(), TrubitBusinessError);
      up.handler = json(200, { balances: [] });
      await b.getAccount();
      const text = await registry.metrics();
      assert.match(
        text,
        /trubit_upstream_requests_total\{client="a",endpoint="account",outcome="business_error"\} 1/,
      );
      assert.match(
        text,
        /trubit_upstream_requests_total\{client="b",endpoint="account",outcome="success"\} 1/,
      );
      assert.match(
        text,
        /trubit_upstream_request_duration_seconds_count\{client="b",endpoint="account",outcome="success"\} 1/,
      );
      assert.match(text, /trubit_circuit_breaker_state\{client="a"\} 0/);
    } finally {
      await a.close();
      await b.close();
      await up.close();
    }
  });
});

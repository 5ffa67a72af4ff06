// Authentication of the TruBit simulator over real HTTP: the §2.4 vectors reach the server byte for byte and
// pass its verifier, and every way of getting a request wrong is refused with TruBit's code.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createSimulator, type Simulator } from '@sim/simulator';
import { OtcTestClient, hmacHex, send } from '@sim/testing/otc-test.client';

const DOC_SECRET = 'lH3ELTNiFxCQTmi9pPcWWikhsjO04Yoqw3euoHUuOLC3GYBW64ZqzQsiOEHXQS76';
const DOC_KEY = 'tAQfOrPIZAhym0qHISRt8EFvxPemdBm5j5WMlkm3Ke9aFp0EGWC2CGM8GHV4kCYW';

describe('simulator auth: §2.4 vectors through HTTP (fixed clock)', () => {
  let sim: Simulator;
  let url: string;
  let now = 1_700_000_000_100;

  before(async () => {
    sim = await createSimulator({
      auto: false,
      clock: () => now,
      accounts: [{ apiKey: DOC_KEY, apiSecret: DOC_SECRET }],
    });
    url = (await sim.listen(0)).url;
  });
  after(() => sim.close());

  const headers = { 'X-BH-APIKEY': DOC_KEY };

  test('A: query-only BHEX sample is accepted (extra params ignored)', async () => {
    now = 1_538_323_200_100;
    const qs =
      'symbol=ETHBTC&side=BUY&type=LIMIT&timeInForce=GTC&quantity=1&price=0.1&recvWindow=5000&timestamp=1538323200000';
    const res = await send(
      'GET',
      `${url}/openapi/v1/otc/account?${qs}&signature=5f2750ad7589d1d40757a55342e621a44037dad23b5128cc70e18ec1d1c3f4c6`,
      headers,
    );
    assert.equal(res.status, 200, res.text);
    assert.ok(Array.isArray(res.body.balances));
  });

  test('B: mixed query + form body, timestamp in the body, no & at the junction', async () => {
    now = 1_538_323_200_100;
    const res = await send(
      'POST',
      `${url}/openapi/v1/otc/rate/user_quote/find?symbol=ETHBTC&side=BUY&type=LIMIT&timeInForce=GTC&signature=885c9e3dd89ccd13408b25e6d54c2330703759d7494bea6dd5a3d1fd16ba3afa`,
      { ...headers, 'content-type': 'application/x-www-form-urlencoded' },
      'quantity=1&price=0.1&recvWindow=5000&timestamp=1538323200000',
    );
    // Authentication passed; the quote then misses its own fields.
    assert.equal(res.status, 400);
    assert.equal(res.body.code, -1102, res.text);
    assert.match(res.body.msg, /country/);
  });

  test('C: TruBit sample signs the literal bytes (488d9dde…); the doc’s printed 5fafd… is refused', async () => {
    now = 1_538_323_200_100;
    const base = `${url}/openapi/v1/otc/rate/user_quote/find?timestamp=1538323200000&signature=`;
    const json = { ...headers, 'content-type': 'application/json' };
    const good = await send(
      'POST',
      `${base}488d9dde72afed28e11390e8064baab34386cda62f9fb884bd7cacac98182ba5`,
      json,
      '{"id":0}',
    );
    assert.equal(good.body.code, -1102, good.text);
    const doc = await send(
      'POST',
      `${base}5fafd5098eca1e135037f335fe6a9ec6884271cb6933bd7f5ed6a3582f1f0eea`,
      json,
      '{"id":0}',
    );
    assert.equal(doc.body.code, -1022, doc.text);
  });

  test('D: GET order/list with the documented signature', async () => {
    now = 1_700_000_000_100;
    const res = await send(
      'GET',
      `${url}/openapi/v1/otc/order/list?currentPage=1&pageSize=10&timestamp=1700000000000&signature=ca2ad773f3daa80184c5e1019b4bc4e74b6543bd771942a1a5ad7f1549c13533`,
      headers,
    );
    assert.equal(res.status, 200, res.text);
    assert.deepEqual(res.body, { currentPage: 1, size: 10, total: 0, pendingOrders: 0, record: [] });
  });

  test('E: POST order/add with the documented body and signature passes auth (then: no merchant 3)', async () => {
    now = 1_700_000_000_100;
    const body =
      '{"country":"Mexico","mcId":3,"cryptoCurrency":"USDT","fiatCurrency":"MXN","orderAmount":"1000.00","orderType":"BUY","paymentId":58}';
    const res = await send(
      'POST',
      `${url}/openapi/v1/otc/order/add?timestamp=1700000000000&signature=e54561154fdf9af35587fab68fd5559fcc08ccabc9dc8b7a6ea65dc52a2ce960`,
      { ...headers, 'content-type': 'application/json' },
      body,
    );
    assert.equal(res.body.code, -1130, res.text);
    assert.match(res.body.msg, /mcId/);
  });

  test('F: recvWindow + bare big-number orderId passes auth (then: no such order)', async () => {
    now = 1_700_000_000_100;
    const res = await send(
      'POST',
      `${url}/openapi/v1/otc/order/finish?timestamp=1700000000000&recvWindow=5000&signature=244a0d579e7c136775e945ea4d9bc274b89b15b9d9dcc196d401e2a00b1900f4`,
      { ...headers, 'content-type': 'application/json' },
      '{"orderId":433592805818896384}',
    );
    assert.equal(res.body.code, -2013, res.text);
  });
});

describe('simulator auth: rejections', () => {
  let sim: Simulator;
  let client: OtcTestClient;

  before(async () => {
    sim = await createSimulator({ auto: false, accounts: [{ apiKey: 'key-1', apiSecret: 'secret-1' }] });
    client = new OtcTestClient((await sim.listen(0)).url, 'key-1', 'secret-1');
  });
  after(() => sim.close());

  test('a correctly signed call succeeds, and the signature compare is case-insensitive', async () => {
    assert.equal((await client.get('account')).status, 200);
    const qs = `timestamp=${Date.now()}`;
    const upper = hmacHex('secret-1', qs).toUpperCase();
    const res = await send('GET', `${client.baseUrl}/openapi/v1/otc/account?${qs}&signature=${upper}`, {
      'X-BH-APIKEY': 'key-1',
    });
    assert.equal(res.status, 200, res.text);
  });

  test('wrong secret -> 400 -1022', async () => {
    const res = await new OtcTestClient(client.baseUrl, 'key-1', 'not-the-secret').get('account');
    assert.equal(res.status, 400);
    assert.equal(res.body.code, -1022);
  });

  test('a body re-serialised after signing (spaces, key order) -> -1022', async () => {
    const body = { country: 'Mexico', fiatCurrency: 'MXN', cryptoCurrency: 'USDT' };
    const ok = await client.post('rate/user_quote/find', body);
    assert.equal(ok.status, 200, ok.text);
    const spaced = await client.post('rate/user_quote/find', body, {
      tamperBody: (s) => JSON.stringify(JSON.parse(s), null, 2),
    });
    assert.equal(spaced.body.code, -1022);
    const reordered = await client.post('rate/user_quote/find', body, {
      tamperBody: () => JSON.stringify({ cryptoCurrency: 'USDT', fiatCurrency: 'MXN', country: 'Mexico' }),
    });
    assert.equal(reordered.body.code, -1022);
  });

  test('a tampered query parameter -> -1022', async () => {
    const qs = `currentPage=1&timestamp=${Date.now()}`;
    const sig = hmacHex('secret-1', qs);
    const res = await send(
      'GET',
      `${client.baseUrl}/openapi/v1/otc/order/list?${qs.replace('currentPage=1', 'currentPage=2')}&signature=${sig}`,
      {
        'X-BH-APIKEY': 'key-1',
      },
    );
    assert.equal(res.body.code, -1022);
  });

  test('missing X-BH-APIKEY -> 400 -1002; unknown key -> -1002', async () => {
    const missing = await client.get('account', {}, { apiKey: null });
    assert.equal(missing.status, 400);
    assert.equal(missing.body.code, -1002);
    const unknown = await client.get('account', {}, { apiKey: 'who-is-this' });
    assert.equal(unknown.body.code, -1002);
  });

  test('missing timestamp -> -1102; missing signature -> -1102', async () => {
    const noTs = await client.get('account', {}, { timestamp: null });
    assert.equal(noTs.body.code, -1102);
    assert.match(noTs.body.msg, /timestamp/);
    const noSig = await client.get('account', {}, { signature: null });
    assert.equal(noSig.body.code, -1102);
    assert.match(noSig.body.msg, /signature/);
  });

  test('timestamp older than recvWindow (default 5000) or >1000 ms ahead -> -1021', async () => {
    const stale = await client.get('account', {}, { timestamp: Date.now() - 6000 });
    assert.equal(stale.body.code, -1021);
    assert.match(stale.body.msg, /recvWindow/);
    const widened = await client.get('account', {}, { timestamp: Date.now() - 6000, recvWindow: 10_000 });
    assert.equal(widened.status, 200, widened.text);
    const ahead = await client.get('account', {}, { timestamp: Date.now() + 3000 });
    assert.equal(ahead.body.code, -1021);
    assert.match(ahead.body.msg, /ahead/);
    const slightlyAhead = await client.get('account', {}, { timestamp: Date.now() + 500 });
    assert.equal(slightlyAhead.status, 200);
  });

  test('unsigned endpoints need neither key nor signature', async () => {
    for (const path of [
      'base/symbol_rate/country/list',
      'base/symbol/self/list_data',
      'payment/list',
      '/openapi/v1/ping',
      '/openapi/v1/time',
    ]) {
      const res = await send(
        'GET',
        `${client.baseUrl}${path.startsWith('/') ? path : `/openapi/v1/otc/${path}`}`,
      );
      assert.equal(res.status, 200, `${path}: ${res.text}`);
    }
  });

  test('form bodies may carry the signature themselves', async () => {
    const form = `country=Mexico&fiatCurrency=MXN&cryptoCurrency=USDT&timestamp=${Date.now()}`;
    const res = await send(
      'POST',
      `${client.baseUrl}/openapi/v1/otc/rate/user_quote/find`,
      { 'X-BH-APIKEY': 'key-1', 'content-type': 'application/x-www-form-urlencoded' },
      `${form}&signature=${hmacHex('secret-1', form)}`,
    );
    assert.equal(res.status, 200, res.text);
    assert.equal(res.body.cryptoCurrency, 'USDT');
  });

  test('with enforceRecvWindowOnReads=false a stale read passes but a stale write does not', async () => {
    sim.control.configure({ enforceRecvWindowOnReads: false });
    try {
      const read = await client.get('account', {}, { timestamp: Date.now() - 60_000 });
      assert.equal(read.status, 200, read.text);
      const write = await client.post(
        'rate/user_quote/find',
        { country: 'Mexico', fiatCurrency: 'MXN', cryptoCurrency: 'USDT' },
        { timestamp: Date.now() - 60_000 },
      );
      assert.equal(write.body.code, -1021);
    } finally {
      sim.control.configure({ enforceRecvWindowOnReads: true });
    }
  });
});

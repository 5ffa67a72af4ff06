import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { withDb } from '@test/support/db';
import { http } from '@test/support/http';
import { RunningStack, startStack } from '@test/support/stack-harness';

const ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;

describe('POST /api/v1/quotes', () => {
  let stack: RunningStack;
  let key: string;
  let partnerId: string;

  before(async () => {
    // TruBit quotes 17.25 so the contract's worked example can be checked end to end; no rate cache.
    stack = await startStack({
      worker: false,
      sim: { sellRate: '17.25' },
      env: { EXCHANGE_RATE_CACHE_MS: '0' },
    });
    const created = await stack.admin.createPartner({
      tier: 'GROWTH',
      limits: { requestsPerMinute: 10_000 },
    });
    key = created.apiKey;
    partnerId = created.partner.id;
    for (const ref of ['alice', 'bob']) {
      const res = await call(key, { partnerUserRef: ref }, '/users');
      assert.equal(res.status, 201);
    }
  });
  after(() => stack.close());

  function call(apiKey: string, body: unknown, path = '/quotes') {
    return http('POST', `${stack.api.url}/api/v1${path}`, { headers: { 'x-api-key': apiKey }, body });
  }
  const quoteCount = () =>
    withDb(async (db) =>
      Number(
        (await db.query('SELECT count(*) FROM quotes WHERE "partnerId" = $1', [partnerId])).rows[0].count,
      ),
    );

  test('the worked example: 100 USDT at 17.25 with a 1.5% fee → 1725.00 / 25.88 / 1699.12', async () => {
    const before = Date.now();
    const res = await call(key, {
      type: 'SELL',
      amount: 100,
      partnerUserRef: 'alice',
      feePercent: 1.5,
      feeRecipient: 'PARTNER',
    });
    assert.equal(res.status, 201, res.text);
    const q = res.body;
    assert.match(q.id, /^qt_[0-9a-z]+$/);
    assert.equal(q.type, 'SELL');
    assert.equal(q.token, 'USDT');
    assert.equal(q.amount, 100);
    assert.equal(q.amountUsdc, 100);
    assert.equal(q.exchangeRate, 17.25);
    assert.equal(q.grossAmountMxn, 1725);
    assert.equal(q.feePercent, 1.5);
    assert.equal(q.feeAmountMxn, 25.88);
    assert.equal(q.feeRecipient, 'PARTNER');
    assert.equal(q.netAmountMxn, 1699.12);
    assert.match(q.expiresAt, ISO);
    const ttl = Date.parse(q.expiresAt) - before;
    assert.ok(ttl > 295_000 && ttl <= 301_000, `ttl ${ttl}`);

    // What the orders module will read: exact decimals, the user, the tier's revenue share (GROWTH 20%).
    const row = await withDb(
      async (db) =>
        (
          await db.query(
            `SELECT q.amount::text, q."exchangeRate"::text AS rate, q."grossAmountMxn"::text AS gross,
                  q."feeAmountMxn"::text AS fee, q."netAmountMxn"::text AS net, q."feePercent"::text AS pct,
                  q."revenueSharePercent"::text AS share, q."feeRecipient"::text AS recipient, q."usedAt",
                  q.type, u."partnerUserRef"
             FROM quotes q JOIN end_users u ON u.id = q."userId" WHERE q.id = $1 AND q."partnerId" = $2`,
            [q.id, partnerId],
          )
        ).rows[0],
    );
    assert.deepEqual(
      { ...row },
      {
        amount: '100.000000',
        rate: '17.25000000',
        gross: '1725.00',
        fee: '25.88',
        net: '1699.12',
        pct: '1.500',
        share: '20.000',
        recipient: 'PARTNER',
        usedAt: null,
        type: 'SELL',
        partnerUserRef: 'alice',
      },
    );
  });

  test('amountUsdc is accepted as the amount; defaults: token USDT, feePercent 0, feeRecipient NONE', async () => {
    const res = await call(key, { type: 'SELL', amountUsdc: 10.123456, partnerUserRef: 'bob' });
    assert.equal(res.status, 201, res.text);
    assert.equal(res.body.amount, 10.123456);
    assert.equal(res.body.amountUsdc, 10.123456);
    assert.equal(res.body.grossAmountMxn, 174.62); // floor2(10.123456 × 17.25 = 174.629616)
    assert.equal(res.body.feePercent, 0);
    assert.equal(res.body.feeAmountMxn, 0);
    assert.equal(res.body.netAmountMxn, 174.62);
    assert.equal(res.body.feeRecipient, 'NONE');
    assert.equal(res.body.token, 'USDT');
  });

  test('the rate is TruBit’s at quote time', async () => {
    await stack.simControl('POST', '/config', { sellRate: '18.00' });
    const res = await call(key, { type: 'SELL', amount: 2, partnerUserRef: 'bob', token: 'USDT' });
    assert.equal(res.body.exchangeRate, 18);
    assert.equal(res.body.grossAmountMxn, 36);
    await stack.simControl('POST', '/config', { sellRate: '17.25' });
  });

  test('bad input → VALIDATION_ERROR (or the specific code) and no quote stored', async () => {
    const base = { type: 'SELL', amount: 100, partnerUserRef: 'alice' };
    const without = (k: string) => Object.fromEntries(Object.entries(base).filter(([x]) => x !== k));
    const cases: Array<[unknown, number, string]> = [
      [{}, 400, 'VALIDATION_ERROR'],
      [without('type'), 400, 'VALIDATION_ERROR'],
      [{ ...base, type: 'BUY' }, 400, 'VALIDATION_ERROR'],
      [{ ...base, type: 'sell' }, 400, 'VALIDATION_ERROR'],
      [without('amount'), 400, 'VALIDATION_ERROR'],
      [{ ...base, amountUsdc: 100 }, 400, 'VALIDATION_ERROR'],
      [{ ...base, amount: 0 }, 400, 'VALIDATION_ERROR'],
      [{ ...base, amount: -5 }, 400, 'VALIDATION_ERROR'],
      [{ ...base, amount: 1.1234567 }, 400, 'VALIDATION_ERROR'],
      [{ ...base, amount: 1e-7 }, 400, 'VALIDATION_ERROR'],
      [{ ...base, amount: 1e21 }, 400, 'VALIDATION_ERROR'],
      [{ ...base, amount: 1_000_001 }, 400, 'VALIDATION_ERROR'],
      [{ ...base, amount: '100' }, 400, 'VALIDATION_ERROR'],
      [{ ...base, amount: null }, 400, 'VALIDATION_ERROR'],
      [{ ...base, amount: 0.000001 }, 400, 'VALIDATION_ERROR'], // nets 0.00 MXN: too small to sell
      [{ ...base, feePercent: 10.01 }, 400, 'VALIDATION_ERROR'],
      [{ ...base, feePercent: -1 }, 400, 'VALIDATION_ERROR'],
      [{ ...base, feePercent: 1.255 }, 400, 'VALIDATION_ERROR'],
      [{ ...base, feePercent: '1' }, 400, 'VALIDATION_ERROR'],
      [{ ...base, feeRecipient: 'ME' }, 400, 'VALIDATION_ERROR'],
      [{ ...base, token: 'BTC' }, 400, 'UNSUPPORTED_TOKEN'],
      [{ ...base, token: 'ÜSDT' }, 400, 'VALIDATION_ERROR'],
      [{ ...base, token: 'X'.repeat(5000) }, 400, 'VALIDATION_ERROR'],
      [{ ...base, partnerUserRef: 'no such user' }, 400, 'VALIDATION_ERROR'],
      [{ ...base, partnerUserRef: 'ghost' }, 404, 'NOT_FOUND'],
      [{ ...base, extra: true }, 400, 'VALIDATION_ERROR'],
      [[base], 400, 'VALIDATION_ERROR'],
    ];
    const count = await quoteCount();
    for (const [body, status, code] of cases) {
      const res = await call(key, body);
      assert.equal(res.status, status, `${JSON.stringify(body).slice(0, 100)} → ${res.text}`);
      assert.equal(res.body.error, code, JSON.stringify(body).slice(0, 100));
    }
    const raw = await http('POST', `${stack.api.url}/api/v1/quotes`, {
      headers: { 'x-api-key': key, 'content-type': 'application/json' },
      rawBody: '{"type":"SELL","amount":',
    });
    assert.equal(raw.body.error, 'VALIDATION_ERROR');
    assert.equal(await quoteCount(), count);
  });

  test('fee bounds: 0 and 10 are allowed, 2 decimals kept exactly', async () => {
    const ten = await call(key, { type: 'SELL', amount: 1, partnerUserRef: 'alice', feePercent: 10 });
    assert.equal(ten.status, 201);
    assert.equal(ten.body.grossAmountMxn, 17.25);
    assert.equal(ten.body.feeAmountMxn, 1.73); // 1.725 half-up
    assert.equal(ten.body.netAmountMxn, 15.52);
    const small = await call(key, { type: 'SELL', amount: 3, partnerUserRef: 'alice', feePercent: 0.01 });
    assert.equal(small.body.feePercent, 0.01);
    assert.equal(small.body.feeAmountMxn, 0.01); // 51.75 × 0.01% = 0.005175 → 0.01
  });

  test('tenant isolation: another partner cannot quote for our user', async () => {
    const other = await stack.admin.createPartner({ tier: 'GROWTH' });
    const res = await call(other.apiKey, { type: 'SELL', amount: 1, partnerUserRef: 'alice' });
    assert.equal(res.status, 404);
    assert.equal(res.body.error, 'NOT_FOUND');
  });

  test('TruBit not quoting (hasOpen = 0) → 503 UPSTREAM_UNAVAILABLE and no quote', async () => {
    const count = await quoteCount();
    await stack.simControl('POST', '/config', { hasOpen: false });
    try {
      const res = await call(key, { type: 'SELL', amount: 1, partnerUserRef: 'alice' });
      assert.equal(res.status, 503);
      assert.equal(res.body.error, 'UPSTREAM_UNAVAILABLE');
      assert.ok(res.headers.get('retry-after'));
    } finally {
      await stack.simControl('POST', '/config', { hasOpen: true });
    }
    assert.equal(await quoteCount(), count);
  });

  test('revenue share follows the partner’s limits, including operator overrides', async () => {
    const ent = await stack.admin.createPartner({
      tier: 'ENTERPRISE',
      limits: { revenueSharePercent: 12.5 },
    });
    assert.equal((await call(ent.apiKey, { partnerUserRef: 'carol' }, '/users')).status, 201);
    const res = await call(ent.apiKey, { type: 'SELL', amount: 1, partnerUserRef: 'carol' });
    assert.equal(res.status, 201);
    const share = await withDb(
      async (db) =>
        (await db.query('SELECT "revenueSharePercent"::text AS s FROM quotes WHERE id = $1', [res.body.id]))
          .rows[0].s,
    );
    assert.equal(share, '12.500');
  });
});

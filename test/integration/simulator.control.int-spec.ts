// The /__sim control API as pinned in architecture.md: accounts, deposits, ground truth, merchant status,
// config and reset; unsigned, and strict about bad input.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createSimulator, type Simulator } from '@sim/simulator';
import { OtcTestClient, simControl } from '@sim/testing/otc-test.client';
import { balanceOf, onboardSeller, sellBody } from '@sim/testing/otc.fixtures';

describe('control API', () => {
  let sim: Simulator;
  let url: string;

  before(async () => {
    sim = await createSimulator({
      auto: false,
      accounts: [{ apiKey: 'seeded', apiSecret: 'seeded-secret', balances: { USDT: '7' } }],
    });
    url = (await sim.listen(0)).url;
  });
  after(() => sim.close());

  test('POST /__sim/accounts is idempotent for the same key and never re-credits', async () => {
    const first = await simControl(url, 'POST', '/accounts', {
      apiKey: 'c1',
      apiSecret: 's1',
      balances: { USDT: '10', MMXN: 5 },
    });
    assert.equal(first.status, 201);
    assert.equal(first.body.created, true);
    assert.match(first.body.accountId, /^\d{18,19}$/);
    const again = await simControl(url, 'POST', '/accounts', {
      apiKey: 'c1',
      apiSecret: 's1',
      balances: { USDT: '10' },
    });
    assert.equal(again.status, 200);
    assert.equal(again.body.created, false);
    assert.equal(again.body.accountId, first.body.accountId);
    const client = new OtcTestClient(url, 'c1', 's1');
    assert.deepEqual(await balanceOf(client), { free: '10', locked: '0', total: '10' });
    assert.deepEqual(await balanceOf(client, 'MMXN'), { free: '5', locked: '0', total: '5' });
  });

  test('array-form balances with locked amounts are accepted', async () => {
    await simControl(url, 'POST', '/accounts', {
      apiKey: 'c2',
      apiSecret: 's2',
      balances: [{ asset: 'USDT', free: '1.5', locked: '2' }],
    });
    assert.deepEqual(await balanceOf(new OtcTestClient(url, 'c2', 's2')), {
      free: '1.5',
      locked: '2',
      total: '3.5',
    });
  });

  test('deposit credits free balance exactly; unknown account 404; bad amount 400', async () => {
    const res = await simControl(url, 'POST', '/accounts/c1/deposit', {
      asset: 'USDT',
      amount: '0.123456789',
    });
    assert.equal(res.status, 200, res.text);
    assert.equal(res.body.balances.find((b: { asset: string }) => b.asset === 'USDT').free, '10.123456789');
    assert.equal(
      (await simControl(url, 'POST', '/accounts/nobody/deposit', { asset: 'USDT', amount: '1' })).status,
      404,
    );
    assert.equal(
      (await simControl(url, 'POST', '/accounts/c1/deposit', { asset: 'USDT', amount: '-1' })).status,
      400,
    );
    assert.equal((await simControl(url, 'POST', '/accounts', { apiKey: 'x' })).status, 400);
  });

  test('accounts seeded from options exist from the start', async () => {
    assert.deepEqual(await balanceOf(new OtcTestClient(url, 'seeded', 'seeded-secret')), {
      free: '7',
      locked: '0',
      total: '7',
    });
  });

  test('merchant status: 404 unknown, 400 invalid, 200 with the mc/list row', async () => {
    const client = new OtcTestClient(url, 'c1', 's1');
    const { mcId } = await onboardSeller(client, { approve: false });
    assert.equal((await simControl(url, 'POST', '/merchants/9999/status', { status: 2 })).status, 404);
    assert.equal((await simControl(url, 'POST', `/merchants/${mcId}/status`, { status: 7 })).status, 400);
    const ok = await simControl(url, 'POST', `/merchants/${mcId}/status`, { status: 3 });
    assert.equal(ok.body.status, 3);
    assert.equal((await client.get('mc/list')).body.find((m: { id: number }) => m.id === mcId).status, 3);
    const all = await simControl(url, 'GET', '/merchants');
    assert.ok(
      all.body.merchants.some((m: { id: number; apiKey: string }) => m.id === mcId && m.apiKey === 'c1'),
    );
  });

  test('GET /__sim/orders is ground truth across accounts; advance errors are 404 / 400 / 409', async () => {
    const a = new OtcTestClient(url, 'c1', 's1');
    const b = new OtcTestClient(url, 'seeded', 'seeded-secret');
    const sa = await onboardSeller(a);
    const sb = await onboardSeller(b);
    const idA = (await a.post('order/add', sellBody(sa.mcId, sa.paymentId, '1'))).body.orderId;
    const idB = (await b.post('order/add', sellBody(sb.mcId, sb.paymentId, '1'))).body.orderId;
    const truth = (await simControl(url, 'GET', '/orders')).body.orders;
    assert.deepEqual(
      truth
        .filter((o: { orderId: string }) => [idA, idB].includes(o.orderId))
        .map((o: { apiKey: string; orderStatus: string }) => [o.apiKey, o.orderStatus]),
      [
        ['c1', '10'],
        ['seeded', '10'],
      ],
    );
    const onlyB = (await simControl(url, 'GET', '/orders?apiKey=seeded')).body.orders;
    assert.ok(onlyB.every((o: { apiKey: string }) => o.apiKey === 'seeded'));
    assert.equal((await simControl(url, 'GET', `/orders/${idA}`)).body.orderId, idA);
    assert.equal((await simControl(url, 'POST', '/orders/123/advance', { status: 30 })).status, 404);
    assert.equal((await simControl(url, 'POST', `/orders/${idA}/advance`, { status: 35 })).status, 400);
    await simControl(url, 'POST', `/orders/${idA}/advance`, { status: 40 });
    assert.equal((await simControl(url, 'POST', `/orders/${idA}/advance`, { status: 30 })).status, 409);
  });

  test('POST /__sim/config validates and applies; rates change quotes immediately', async () => {
    assert.equal((await simControl(url, 'POST', '/config', { auto: 'sometimes' })).status, 400);
    assert.equal((await simControl(url, 'POST', '/config', { nonsense: 1 })).status, 400);
    const res = await simControl(url, 'POST', '/config', { sellRate: '17.25', buyRate: '17.80' });
    assert.equal(res.status, 200, res.text);
    assert.deepEqual(res.body.rates['USDT/MXN'], { buy: '17.80', sell: '17.25' });
    const quote = await new OtcTestClient(url, 'c1', 's1').post('rate/user_quote/find', {
      country: 'Mexico',
      fiatCurrency: 'MXN',
      cryptoCurrency: 'USDT',
    });
    assert.match(quote.text, /"buyRate":17.80,"sellRate":17.25/);
  });

  test('POST /__sim/reset forgets everything but the seeded accounts and restores the config', async () => {
    await simControl(url, 'POST', '/faults', { route: '*', mode: 'error500', count: 0 });
    const res = await simControl(url, 'POST', '/reset');
    assert.deepEqual(res.body, { ok: true });
    assert.equal((await simControl(url, 'GET', '/orders')).body.orders.length, 0);
    assert.deepEqual((await simControl(url, 'GET', '/faults')).body.faults, []);
    assert.equal((await simControl(url, 'GET', '/accounts/c1')).status, 404);
    assert.deepEqual(await balanceOf(new OtcTestClient(url, 'seeded', 'seeded-secret')), {
      free: '7',
      locked: '0',
      total: '7',
    });
    assert.equal((await simControl(url, 'GET', '/config')).body.rates['USDT/MXN'].sell, '19.91');
    assert.equal(sim.config.auto, false);
  });
});

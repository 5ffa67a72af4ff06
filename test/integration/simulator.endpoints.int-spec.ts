// Every TruBit OTC endpoint of the simulator answered over HTTP with the documented shape (trubit-otc.md §3).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createSimulator, type Simulator } from '@sim/simulator';
import { OtcTestClient, send, simControl } from '@sim/testing/otc-test.client';
import { CLABE, merchantBody, onboardSeller, payoutBody } from '@sim/testing/otc.fixtures';

describe('simulator endpoints', () => {
  let sim: Simulator;
  let client: OtcTestClient;
  let url: string;

  before(async () => {
    sim = await createSimulator({ auto: false, delays: { merchantApproveMs: null } });
    url = (await sim.listen(0)).url;
    const created = await simControl(url, 'POST', '/accounts', {
      apiKey: 'ep-key',
      apiSecret: 'ep-secret',
      balances: { USDT: '250.5' },
    });
    assert.equal(created.status, 201);
    client = new OtcTestClient(url, 'ep-key', 'ep-secret');
  });
  after(() => sim.close());

  test('GET /openapi/v1/ping and /time', async () => {
    assert.deepEqual((await send('GET', `${url}/openapi/v1/ping`)).body, {});
    const before = Date.now();
    const time = await send('GET', `${url}/openapi/v1/time`);
    assert.ok(time.body.serverTime >= before && time.body.serverTime <= Date.now());
  });

  test('base/symbol_rate/country/list (hasValid filters closed countries)', async () => {
    const all = await send('GET', `${url}/openapi/v1/otc/base/symbol_rate/country/list`);
    const mx = all.body.countryList.find((c: { abbr: string }) => c.abbr === 'MX');
    assert.deepEqual(Object.keys(mx).sort(), ['abbr', 'buySwitch', 'country', 'flagUrl', 'sellSwitch']);
    assert.equal(mx.country, 'Mexico');
    const abbrs = all.body.countryList.map((c: { abbr: string }) => c.abbr);
    assert.deepEqual(abbrs, ['MX', 'AR', 'BR', 'CO', 'HK']);
    const valid = await send('GET', `${url}/openapi/v1/otc/base/symbol_rate/country/list?hasValid=1`);
    assert.ok(!valid.body.countryList.some((c: { abbr: string }) => c.abbr === 'HK'));
  });

  test('base/symbol/self/list_data with autoApiFiatPaymentList', async () => {
    const res = await send('GET', `${url}/openapi/v1/otc/base/symbol/self/list_data`);
    assert.deepEqual(res.body.fiatList[0], { name: 'MXN', symbolList: ['USDT', 'MMXN'] });
    assert.ok(res.body.tokenList.some((t: { name: string }) => t.name === 'USDT'));
    const spei = res.body.autoApiFiatPaymentList.find((p: { id: number }) => p.id === 58);
    assert.equal(spei.paymentName, 'Automated SPEI - Arcus');
    assert.equal(spei.paymentType, 1);
  });

  test('rate/user_quote/find: numeric rates, buy >= sell; unknown pair -1121', async () => {
    const res = await client.post('rate/user_quote/find', {
      country: 'Mexico',
      fiatCurrency: 'MXN',
      cryptoCurrency: 'USDT',
    });
    assert.equal(res.status, 200, res.text);
    assert.equal(
      res.text,
      '{"hasOpen":1,"fiatCurrency":"MXN","cryptoCurrency":"USDT","buyRate":20.07,"sellRate":19.91}',
    );
    const bad = await client.post('rate/user_quote/find', {
      country: 'Mexico',
      fiatCurrency: 'MXN',
      cryptoCurrency: 'DOGE',
    });
    assert.equal(bad.body.code, -1121);
  });

  test('payment/list for Mexico: currencys + config 58 with its fields', async () => {
    const res = await send('GET', `${url}/openapi/v1/otc/payment/list?country=Mexico`);
    assert.deepEqual(res.body.currencys, [{ id: 1, fiatCurrency: 'MXN' }]);
    const spei = res.body.payments.find((p: { id: number }) => p.id === 58);
    assert.equal(spei.fieldNum, 2);
    assert.equal(spei.fieldList[0].title, 'Cuenta CLABE');
    assert.equal(spei.fieldList[0].isAccount, true);
    assert.equal(spei.fieldList[1].title, 'Banco');
  });

  test('mc/add creates status 1 with a numeric id; merchantName and email are unique', async () => {
    const body = merchantBody();
    const res = await client.post('mc/add', body);
    assert.equal(res.status, 200, res.text);
    assert.equal(typeof res.body.merchantId, 'number');
    assert.equal(res.body.status, 1);
    assert.equal(res.body.country, 'Mexico');
    assert.equal(res.body.merchantType, 1);
    const sameName = await client.post('mc/add', { ...merchantBody(), merchantName: body.merchantName });
    assert.equal(sameName.body.code, -1130);
    assert.match(sameName.body.msg, /merchantName/);
    const sameEmail = await client.post('mc/add', { ...merchantBody(), email: body.email });
    assert.match(sameEmail.body.msg, /email/);
    const missing = await client.post('mc/add', { ...merchantBody(), fatherSurname: undefined });
    assert.equal(missing.body.code, -1102);
  });

  test('payment/add answers {result:true}; the new id is readable from mc/list', async () => {
    const mc = await client.post('mc/add', merchantBody());
    const mcId = mc.body.merchantId as number;
    const add = await client.post('payment/add', payoutBody(mcId));
    assert.deepEqual(add.body, { result: true, msg: '' });
    const add2 = await client.post('payment/add', payoutBody(mcId, '002010077777777771'));
    assert.equal(add2.status, 200);
    const list = await client.get('mc/list');
    const row = list.body.find((m: { id: number }) => m.id === mcId);
    assert.equal(row.payments.length, 2);
    assert.deepEqual(
      row.payments.map((p: { accountNo: string }) => p.accountNo),
      [CLABE, '002010077777777771'],
    );
    assert.equal(row.paymentId, row.payments[1].id); // the latest one
    assert.equal(row.payments[1].id, row.payments[0].id + 1); // sequential numeric ids
    assert.equal(row.status, 1);
    assert.equal(row.sellLimit, '1000000.00');
    assert.equal(row.sellUsed, '0.00');
    const badClabe = await client.post('payment/add', payoutBody(mcId, '12345'));
    assert.equal(badClabe.body.code, -1130);
    const otherMerchant = await client.post('payment/add', payoutBody(999));
    assert.equal(otherMerchant.body.code, -1130);
  });

  test('depositAddress: TRC20 T… and ERC20 0x…, stable per account', async () => {
    const trc = await client.get('depositAddress', { tokenId: 'USDT', chainType: 'TRC20' });
    assert.match(trc.body.address, /^T[1-9A-HJ-NP-Za-km-z]{33}$/);
    assert.equal(trc.body.tokenType, 'TRC20_TOKEN');
    assert.equal(trc.body.allowDeposit, true);
    const again = await client.get('depositAddress', { tokenId: 'USDT', chainType: 'TRC20' });
    assert.equal(again.body.address, trc.body.address);
    const erc = await client.get('depositAddress', { tokenId: 'USDT' });
    assert.match(erc.body.address, /^0x[0-9a-f]{40}$/);
    assert.equal(erc.body.tokenType, 'ERC20_TOKEN');
    assert.equal(erc.body.requiredConfirmNum, 64);
    assert.equal((await client.get('depositAddress', { tokenId: 'NOPE' })).body.code, -1121);
  });

  test('account: balances with total = free + locked, ids as strings', async () => {
    const res = await client.get('account');
    assert.equal(typeof res.body.accountId, 'string');
    assert.deepEqual(res.body.balances, [
      { asset: 'USDT', assetId: 'USDT', assetName: 'USDT', total: '250.5', free: '250.5', locked: '0' },
    ]);
  });

  test('order/add, order/list, order/detail, order/finish round-trip', async () => {
    const { mcId, paymentId } = await onboardSeller(client);
    const add = await client.post('order/add', {
      country: 'Mexico',
      mcId,
      cryptoCurrency: 'USDT',
      fiatCurrency: 'MXN',
      quantity: '0.2',
      orderType: 'SELL',
      paymentId,
    });
    assert.equal(add.status, 200, add.text);
    const orderId = add.body.orderId as string;
    assert.match(add.text, /^\{"orderId":"\d{18,19}"\}$/);

    const list = await client.get('order/list', { currentPage: '1', pageSize: '10' });
    assert.equal(list.body.total, 1);
    assert.equal(list.body.pendingOrders, 1);
    const row = list.body.record[0];
    assert.equal(row.orderId, orderId);
    assert.equal(row.orderStatus, '10');
    assert.equal(row.fiatAmount, '3.98'); // 0.2 x 19.91, floored
    assert.equal(row.quantity, '0.2');
    assert.equal(row.orderPrice, '19.91');

    const detail = await client.get('order/detail', { orderId });
    assert.equal(detail.body.orderStatus, 10);
    assert.equal(detail.body.mcId, mcId);
    assert.equal(detail.body.userPaymentInfo.id, String(paymentId));
    assert.equal(detail.body.userPaymentInfo.paymentFieldList[0].text, CLABE);
    assert.ok('traclingNumber' in detail.body);
    assert.equal(detail.body.orderConfirmTimestamp, Math.floor(detail.body.createTime / 1000));

    await simControl(url, 'POST', `/orders/${orderId}/advance`, { status: 50 });
    const finish = await client.post('order/finish', { orderId });
    assert.deepEqual(finish.body, { result: true, msg: '' });
    assert.equal((await client.get('order/detail', { orderId })).body.orderStatus, 60);
  });

  test('envelope flag wraps successes as {code:200,msg:"SUCCESS",data} but not errors', async () => {
    sim.control.configure({ envelope: true });
    try {
      const ok = await client.get('account');
      assert.equal(ok.body.code, 200);
      assert.equal(ok.body.msg, 'SUCCESS');
      assert.ok(Array.isArray(ok.body.data.balances));
      const err = await client.get('order/detail', { orderId: '1' });
      assert.deepEqual(err.body, { code: -2013, msg: 'Order does not exist.' });
    } finally {
      sim.control.configure({ envelope: false });
    }
  });

  test('unknown paths answer 404 with a TruBit-style body', async () => {
    const res = await send('GET', `${url}/openapi/v1/otc/order/cancel`);
    assert.equal(res.status, 404);
    assert.equal(res.body.code, -1020);
  });
});

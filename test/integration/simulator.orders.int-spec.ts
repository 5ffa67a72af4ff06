// The order state machine over HTTP: SELL and BUY lifecycles with their balance effects, driven by the
// control API (auto off) and by automatic progression; validation; big ids that survive JSON.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import Decimal from 'decimal.js';
import { createSimulator, type Simulator } from '@sim/simulator';
import { OtcTestClient, hmacHex, send, simControl } from '@sim/testing/otc-test.client';
import { eventually } from '@sim/testing/callback.receiver';
import { balanceOf, onboardSeller, sellBody } from '@sim/testing/otc.fixtures';

const TWO_POW_53 = 2n ** 53n;

describe('orders driven through /__sim (auto off)', () => {
  let sim: Simulator;
  let client: OtcTestClient;
  let url: string;
  let seller: { mcId: number; paymentId: number };

  before(async () => {
    // The real 10 orders/s limit would trip the validation loop below; it has its own test.
    sim = await createSimulator({ auto: false, limits: { ordersPerSecond: 1000 } });
    url = (await sim.listen(0)).url;
    await simControl(url, 'POST', '/accounts', {
      apiKey: 'o-key',
      apiSecret: 'o-secret',
      balances: { USDT: '100' },
    });
    client = new OtcTestClient(url, 'o-key', 'o-secret');
    seller = await onboardSeller(client);
  });
  after(() => sim.close());

  async function statusOf(orderId: string): Promise<number> {
    return (await client.get('order/detail', { orderId })).body.orderStatus as number;
  }

  test('SELL 10→30→40→50→60: free→locked on add, locked burned at 60, fields filled on the way', async () => {
    const add = await client.post('order/add', sellBody(seller.mcId, seller.paymentId, '10.12345'));
    assert.equal(add.status, 200, add.text);
    const orderId = add.body.orderId as string;
    assert.deepEqual(await balanceOf(client), { free: '89.8766', locked: '10.1234', total: '100' });

    const d10 = (await client.get('order/detail', { orderId })).body;
    assert.equal(d10.quantity, '10.1234'); // 4 dp, truncated
    assert.equal(d10.fiatAmount, '201.55'); // floor2(10.1234 x 19.91 = 201.556894)
    assert.equal(d10.orderApprovedTime, null);

    await simControl(url, 'POST', `/orders/${orderId}/advance`, { status: 30 });
    const d30 = (await client.get('order/detail', { orderId })).body;
    assert.equal(d30.orderStatus, 30);
    assert.match(d30.orderApprovedTime, /^\d{13}$/);

    await simControl(url, 'POST', `/orders/${orderId}/advance`, { status: 40 });
    const d40 = (await client.get('order/detail', { orderId })).body;
    assert.equal(d40.orderExpireTimestamp, Math.floor(Number(d40.orderApprovedTime) / 1000) + 240 * 60);
    assert.equal(d40.traclingNumber, null);

    await simControl(url, 'POST', `/orders/${orderId}/advance`, { status: 50 });
    const d50 = (await client.get('order/detail', { orderId })).body;
    assert.match(d50.traclingNumber, /^\d{8}90706[A-Z0-9]{16}$/);
    assert.deepEqual(await balanceOf(client), { free: '89.8766', locked: '10.1234', total: '100' });

    const done = await simControl(url, 'POST', `/orders/${orderId}/advance`, { status: 60 });
    assert.equal(done.status, 200, done.text);
    assert.equal(done.body.orderStatus, '60');
    assert.deepEqual(await balanceOf(client), { free: '89.8766', locked: '0', total: '89.8766' });
    const d60 = (await client.get('order/detail', { orderId })).body;
    assert.ok(d60.completedTime >= d60.createTime);
    const list = await client.get('order/list');
    assert.equal(list.body.record.find((r: { orderId: string }) => r.orderId === orderId).orderStatus, '60');
    const mc = (await client.get('mc/list')).body.find((m: { id: number }) => m.id === seller.mcId);
    assert.equal(mc.sellUsed, '201.55');
    const truth = (await simControl(url, 'GET', '/orders')).body.orders.find(
      (o: { orderId: string }) => o.orderId === orderId,
    );
    assert.deepEqual(
      truth.history.map((h: { status: string }) => h.status),
      ['10', '30', '40', '50', '60'],
    );
  });

  test('cancel (70, hasRefund) and reject (80) give the locked crypto back', async () => {
    const before = await balanceOf(client);
    const a = (await client.post('order/add', sellBody(seller.mcId, seller.paymentId, '5'))).body
      .orderId as string;
    const b = (await client.post('order/add', sellBody(seller.mcId, seller.paymentId, '3'))).body
      .orderId as string;
    assert.equal((await balanceOf(client)).locked, '8');
    await simControl(url, 'POST', `/orders/${a}/advance`, { status: 40 });
    const cancelled = await simControl(url, 'POST', `/orders/${a}/advance`, { status: 70, hasRefund: 1 });
    assert.equal(cancelled.body.hasRefund, 1);
    await simControl(url, 'POST', `/orders/${b}/advance`, { status: 80 });
    assert.deepEqual(await balanceOf(client), before);
    const detail = (await client.get('order/detail', { orderId: a })).body;
    assert.equal(detail.orderStatus, 70);
    assert.equal(detail.hasRefund, 1);
    const illegal = await simControl(url, 'POST', `/orders/${b}/advance`, { status: 60 });
    assert.equal(illegal.status, 409);
  });

  test('BUY: driven by orderAmount, collection CLABE in deptPaymentInfo, finish at 40 = "paid", crypto credited at 60', async () => {
    const before = await balanceOf(client);
    const add = await client.post('order/add', {
      country: 'Mexico',
      mcId: seller.mcId,
      cryptoCurrency: 'USDT',
      fiatCurrency: 'MXN',
      orderAmount: '1000.009',
      orderType: 'BUY',
      paymentId: 58,
    });
    assert.equal(add.status, 200, add.text);
    const orderId = add.body.orderId as string;
    assert.deepEqual(await balanceOf(client), before); // a BUY locks nothing
    const d = (await client.get('order/detail', { orderId })).body;
    assert.equal(d.fiatAmount, '1000.00');
    assert.equal(d.quantity, '49.8256'); // floor4(1000 / 20.07)
    assert.equal(d.orderPrice, '20.07');
    assert.equal(d.orderTimeFrameMinute, 15);
    assert.match(d.deptPaymentInfo.paymentFieldList[0].text, /^706180\d{12}$/);
    assert.equal(d.userPaymentInfo, undefined);

    const early = await client.post('order/finish', { orderId });
    assert.equal(early.body.code, -1130); // not at 40 yet
    await simControl(url, 'POST', `/orders/${orderId}/advance`, { status: 40 });
    assert.deepEqual((await client.post('order/finish', { orderId })).body, { result: true, msg: '' });
    assert.equal(await statusOf(orderId), 50);
    await simControl(url, 'POST', `/orders/${orderId}/advance`, { status: 60 });
    const after = await balanceOf(client);
    assert.equal(new Decimal(after.free).minus(before.free).toString(), '49.8256');
    assert.equal((await client.post('order/finish', { orderId })).body.code, -1139);
  });

  test('finish refusals: SELL before 50, canceled order, unknown id, another account’s order', async () => {
    const id = (await client.post('order/add', sellBody(seller.mcId, seller.paymentId, '1'))).body
      .orderId as string;
    await simControl(url, 'POST', `/orders/${id}/advance`, { status: 40 });
    assert.equal((await client.post('order/finish', { orderId: id })).body.code, -1130);
    await simControl(url, 'POST', `/orders/${id}/advance`, { status: 70 });
    assert.equal((await client.post('order/finish', { orderId: id })).body.code, -1142);
    assert.equal((await client.post('order/finish', { orderId: '123456789012345678' })).body.code, -2013);
    await simControl(url, 'POST', '/accounts', { apiKey: 'other', apiSecret: 'other-secret' });
    const other = new OtcTestClient(url, 'other', 'other-secret');
    assert.equal((await other.get('order/detail', { orderId: id })).body.code, -2013);
    assert.equal((await other.get('order/list')).body.total, 0);
  });

  test('big ids: > 2^53 as strings; bare JSON numbers in finish and detail bodies keep every digit', async () => {
    const add = await client.post('order/add', sellBody(seller.mcId, seller.paymentId, '1'));
    const orderId = add.body.orderId as string;
    assert.match(orderId, /^\d{18,19}$/);
    assert.ok(BigInt(orderId) > TWO_POW_53);
    // Above 2^53 a double cannot hold two consecutive integers: a float round trip would lose one of them.
    const next = (BigInt(orderId) + 1n).toString();
    assert.ok(String(Number(orderId)) !== orderId || String(Number(next)) !== next);

    // GET order/detail with {"orderId":<bare number>} as the (signed) body.
    const qs = `timestamp=${Date.now()}`;
    const body = `{"orderId":${orderId}}`;
    const detail = await send(
      'GET',
      `${url}/openapi/v1/otc/order/detail?${qs}&signature=${hmacHex('o-secret', qs + body)}`,
      {
        'X-BH-APIKEY': 'o-key',
        'content-type': 'application/json',
      },
      body,
    );
    assert.equal(detail.status, 200, detail.text);
    assert.ok(detail.text.includes(`"orderId":"${orderId}"`));

    await simControl(url, 'POST', `/orders/${orderId}/advance`, { status: 50 });
    const finish = await client.post('order/finish', `{"orderId":${orderId}}`);
    assert.deepEqual(finish.body, { result: true, msg: '' });
    assert.equal(await statusOf(orderId), 60);
    // One digit off is a different order.
    const neighbour = (BigInt(orderId) + 1n).toString();
    assert.equal((await client.post('order/finish', `{"orderId":${neighbour}}`)).body.code, -2013);
  });

  test('order/add validation: type, pair, merchant state, payment method, balance, amount, quote closed', async () => {
    const before = await balanceOf(client);
    const ordersBefore = sim.state.orders.all().length;
    const base = sellBody(seller.mcId, seller.paymentId, '1');
    const cases: Array<[Record<string, unknown>, number]> = [
      [{ ...base, orderType: 'HOLD' }, -1116],
      [{ ...base, cryptoCurrency: 'DOGE' }, -1121],
      [{ ...base, mcId: 999 }, -1130],
      [{ ...base, paymentId: 58 }, -1130], // SELL needs the user's own payout id
      [{ ...base, quantity: '1000' }, -2010], // more than the free balance
      [{ ...base, quantity: '100000' }, -2010], // 1.99M MXN, over the merchant's 1M sell limit
      [{ ...base, quantity: '0.00001' }, -1140],
      [{ ...base, quantity: undefined }, -1102],
      [{ ...base, country: undefined }, -1102],
      [{ ...base, quantity: '-1' }, -1102],
    ];
    for (const [body, code] of cases) {
      const res = await client.post('order/add', body);
      assert.equal(res.status, 400, res.text);
      assert.equal(res.body.code, code, `${JSON.stringify(body)} -> ${res.text}`);
    }
    const insufficient = await client.post('order/add', { ...base, quantity: '1000' });
    assert.equal(insufficient.body.msg, 'Account has insufficient balance for requested action.');
    assert.equal(
      (await client.post('order/add', { ...base, quantity: '100000' })).body.msg,
      'Merchant sell limit exceeded.',
    );

    const pending = await client.post('mc/add', (await import('@sim/testing/otc.fixtures')).merchantBody());
    const notApproved = await client.post('order/add', { ...base, mcId: pending.body.merchantId });
    assert.equal(notApproved.body.code, -2010);
    await simControl(url, 'POST', `/merchants/${pending.body.merchantId}/status`, { status: 3 });
    assert.match(
      (await client.post('order/add', { ...base, mcId: pending.body.merchantId })).body.msg,
      /failed/,
    );

    sim.control.configure({ hasOpen: false });
    const closed = await client.post('order/add', base);
    assert.equal(closed.body.code, -2010);
    const quote = await client.post('rate/user_quote/find', {
      country: 'Mexico',
      fiatCurrency: 'MXN',
      cryptoCurrency: 'USDT',
    });
    assert.equal(quote.body.hasOpen, 0);
    sim.control.configure({ hasOpen: true });

    assert.deepEqual(await balanceOf(client), before);
    assert.equal(sim.state.orders.all().length, ordersBefore);
  });

  test('order/list paginates oldest first and filters isPending', async () => {
    const all = (await client.get('order/list', { pageSize: '100' })).body;
    const ids: string[] = all.record.map((r: { orderId: string }) => r.orderId);
    assert.deepEqual(
      [...ids].sort((a, b) => (BigInt(a) < BigInt(b) ? -1 : 1)),
      ids,
    );
    const page2 = (await client.get('order/list', { currentPage: '2', pageSize: '2' })).body;
    assert.deepEqual(
      page2.record.map((r: { orderId: string }) => r.orderId),
      ids.slice(2, 4),
    );
    assert.equal(page2.total, ids.length);
    const open = (await client.post('order/add', sellBody(seller.mcId, seller.paymentId, '1'))).body.orderId;
    const pending = (await client.get('order/list', { isPending: 'true' })).body;
    assert.ok(
      pending.record.every((r: { orderStatus: string }) => ['10', '30', '40', '50'].includes(r.orderStatus)),
    );
    assert.ok(pending.record.some((r: { orderId: string }) => r.orderId === open));
    assert.equal(pending.pendingOrders, pending.total);
    const finished = (await client.get('order/list', { isPending: 'false', pageSize: '100' })).body;
    assert.ok(
      finished.record.every((r: { orderStatus: string }) => ['60', '70', '80'].includes(r.orderStatus)),
    );
  });
});

describe('orders with automatic progression', () => {
  let sim: Simulator;
  let client: OtcTestClient;
  let seller: { mcId: number; paymentId: number };

  before(async () => {
    sim = await createSimulator({
      auto: true,
      delays: { approveMs: 0, lockMs: 0, payMs: 0, releaseMs: 0, merchantApproveMs: 0 },
      accounts: [{ apiKey: 'auto-key', apiSecret: 'auto-secret', balances: { USDT: '50' } }],
    });
    client = new OtcTestClient((await sim.listen(0)).url, 'auto-key', 'auto-secret');
    seller = await onboardSeller(client, { approve: false });
  });
  after(() => sim.close());

  test('merchants are approved automatically (merchantApproveMs)', async () => {
    await eventually(async () => (await client.get('mc/list')).body[0].status === 2);
  });

  test('with 0 delays a SELL runs 10→30→40→50→60 on its own and the locked crypto is burned', async () => {
    await eventually(async () => (await client.get('mc/list')).body[0].status === 2);
    const orderId = (await client.post('order/add', sellBody(seller.mcId, seller.paymentId, '20'))).body
      .orderId as string;
    await eventually(async () => (await client.get('order/detail', { orderId })).body.orderStatus === 60);
    assert.deepEqual(await balanceOf(client), { free: '30', locked: '0', total: '30' });
    const truth = sim.state.orders.get(orderId)!;
    assert.deepEqual(
      truth.history.map((h) => h.status),
      [10, 30, 40, 50, 60],
    );
    assert.ok(truth.history.slice(1).every((h) => h.source === 'auto'));
  });

  test('with small delays each step waits its turn; finish at 50 releases early', async () => {
    sim.control.configure({ delays: { approveMs: 40, lockMs: 0, payMs: 40, releaseMs: 5000 } });
    const orderId = (await client.post('order/add', sellBody(seller.mcId, seller.paymentId, '5'))).body
      .orderId as string;
    assert.equal((await client.get('order/detail', { orderId })).body.orderStatus, 10);
    await eventually(async () => (await client.get('order/detail', { orderId })).body.orderStatus === 50);
    const h = sim.state.orders.get(orderId)!.history;
    assert.ok(h[1].at - h[0].at >= 35, `approve waited ${h[1].at - h[0].at} ms`);
    assert.ok(h[3].at - h[2].at >= 35, `pay waited ${h[3].at - h[2].at} ms`);
    assert.deepEqual((await client.post('order/finish', { orderId })).body, { result: true, msg: '' });
    assert.equal((await client.get('order/detail', { orderId })).body.orderStatus, 60);
    assert.equal(sim.state.orders.get(orderId)!.history.at(-1)!.source, 'order/finish');
  });

  test('an order at 40 past its payment window expires to 70 and unlocks', async () => {
    sim.control.configure({
      delays: { approveMs: 0, lockMs: 0, payMs: -1, releaseMs: 0 },
      orderTimeFrameMinutes: { BUY: 15, SELL: 0 },
    });
    const before = await balanceOf(client);
    const orderId = (await client.post('order/add', sellBody(seller.mcId, seller.paymentId, '1'))).body
      .orderId as string;
    await eventually(async () => (await client.get('order/detail', { orderId })).body.orderStatus === 70);
    assert.equal(sim.state.orders.get(orderId)!.history.at(-1)!.source, 'expired');
    assert.deepEqual(await balanceOf(client), before);
  });

  test('turning auto off freezes open orders; turning it back on resumes them', async () => {
    sim.control.configure({
      auto: false,
      delays: { approveMs: 0, lockMs: 0, payMs: 0, releaseMs: 0 },
      orderTimeFrameMinutes: { BUY: 15, SELL: 240 },
    });
    const orderId = (await client.post('order/add', sellBody(seller.mcId, seller.paymentId, '1'))).body
      .orderId as string;
    await new Promise((r) => setTimeout(r, 50));
    assert.equal((await client.get('order/detail', { orderId })).body.orderStatus, 10);
    sim.control.configure({ auto: true });
    await eventually(async () => (await client.get('order/detail', { orderId })).body.orderStatus === 60);
  });
});

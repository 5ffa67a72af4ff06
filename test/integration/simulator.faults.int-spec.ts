// Injected faults (/__sim/faults) and the real rate limiter: what each mode answers and, just as
// important, whether the work was done behind the failure (the gateway's "unknown outcome" cases).
import { after, before, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createSimulator, type Simulator } from '@sim/simulator';
import { OtcTestClient, simControl } from '@sim/testing/otc-test.client';
import { balanceOf, onboardSeller, sellBody } from '@sim/testing/otc.fixtures';

describe('fault injection', () => {
  let sim: Simulator;
  let client: OtcTestClient;
  let url: string;
  let seller: { mcId: number; paymentId: number };

  before(async () => {
    sim = await createSimulator({
      auto: false,
      accounts: [{ apiKey: 'f-key', apiSecret: 'f-secret', balances: { USDT: '100' } }],
    });
    url = (await sim.listen(0)).url;
    client = new OtcTestClient(url, 'f-key', 'f-secret');
    seller = await onboardSeller(client);
  });
  beforeEach(async () => {
    await simControl(url, 'DELETE', '/faults');
  });
  after(() => sim.close());

  const orderCount = async (): Promise<number> =>
    (await simControl(url, 'GET', '/orders')).body.orders.length;
  const addFault = async (body: Record<string, unknown>): Promise<void> => {
    const res = await simControl(url, 'POST', '/faults', body);
    assert.equal(res.status, 201, res.text);
  };

  test('error500: 500 -1006 and nothing happens; only `count` requests are affected', async () => {
    const orders = await orderCount();
    const balance = await balanceOf(client);
    await addFault({ route: 'order/add', mode: 'error500' });
    const res = await client.post('order/add', sellBody(seller.mcId, seller.paymentId, '1'));
    assert.equal(res.status, 500);
    assert.equal(res.body.code, -1006);
    assert.equal(await orderCount(), orders);
    assert.deepEqual(await balanceOf(client), balance);
    const next = await client.post('order/add', sellBody(seller.mcId, seller.paymentId, '1'));
    assert.equal(next.status, 200, next.text);
  });

  test('error500AfterCommit: the order really exists (ground truth and order/list) but the answer is 500', async () => {
    const orders = await orderCount();
    await addFault({ route: 'order/add', mode: 'error500AfterCommit' });
    const res = await client.post('order/add', sellBody(seller.mcId, seller.paymentId, '2'));
    assert.equal(res.status, 500);
    assert.equal(res.body.code, -1006);
    assert.equal(await orderCount(), orders + 1);
    const list = await client.get('order/list', { isPending: 'true', pageSize: '100' });
    assert.ok(
      list.body.record.some(
        (r: { quantity: string; orderStatus: string }) => r.quantity === '2' && r.orderStatus === '10',
      ),
    );
  });

  test('timeout: no answer; the client gives up and no order was created', async () => {
    const orders = await orderCount();
    await addFault({ route: 'order/add', mode: 'timeout', ms: 5000 });
    const started = Date.now();
    await assert.rejects(
      client.post('order/add', sellBody(seller.mcId, seller.paymentId, '1'), {
        signal: AbortSignal.timeout(200),
      }),
    );
    assert.ok(Date.now() - started >= 190);
    assert.equal(await orderCount(), orders);
  });

  test('timeout: after `ms` the connection is dropped without a response', async () => {
    await addFault({ route: 'account', mode: 'timeout', ms: 150 });
    const started = Date.now();
    await assert.rejects(client.get('account'), /other side closed|socket|closed/i);
    assert.ok(Date.now() - started >= 140);
  });

  test('timeoutAfterCommit: the order exists although the client never got an answer', async () => {
    const orders = await orderCount();
    await addFault({ route: 'order/add', mode: 'timeoutAfterCommit', ms: 5000 });
    await assert.rejects(
      client.post('order/add', sellBody(seller.mcId, seller.paymentId, '3'), {
        signal: AbortSignal.timeout(200),
      }),
    );
    assert.equal(await orderCount(), orders + 1);
  });

  test('latency: answers normally after `ms`', async () => {
    await addFault({ route: 'account', mode: 'latency', ms: 200 });
    const started = Date.now();
    const res = await client.get('account');
    assert.equal(res.status, 200);
    assert.ok(Date.now() - started >= 190);
    const fast = Date.now();
    await client.get('account');
    assert.ok(Date.now() - fast < 150);
  });

  test('rateLimit: 429 -1003 and nothing happens', async () => {
    const orders = await orderCount();
    await addFault({ route: 'order/add', mode: 'rateLimit' });
    const res = await client.post('order/add', sellBody(seller.mcId, seller.paymentId, '1'));
    assert.equal(res.status, 429);
    assert.equal(res.body.code, -1003);
    assert.equal(await orderCount(), orders);
  });

  test('route "*", count and persistent rules; DELETE clears', async () => {
    await addFault({ route: '*', mode: 'error500', count: 2 });
    assert.equal((await client.get('account')).status, 500);
    assert.equal((await client.get('mc/list')).status, 500);
    assert.equal((await client.get('account')).status, 200);
    await addFault({ route: 'account', mode: 'error500', count: 0 });
    for (let i = 0; i < 3; i++) assert.equal((await client.get('account')).status, 500);
    assert.equal((await client.get('mc/list')).status, 200);
    const listed = await simControl(url, 'GET', '/faults');
    assert.equal(listed.body.faults[0].hits, 3);
    assert.equal(listed.body.faults[0].remaining, null);
    const cleared = await simControl(url, 'DELETE', '/faults');
    assert.deepEqual(cleared.body, { cleared: 1 });
    assert.equal((await client.get('account')).status, 200);
  });

  test('bad fault requests are refused', async () => {
    assert.equal(
      (await simControl(url, 'POST', '/faults', { route: 'order/add', mode: 'explode' })).status,
      400,
    );
    assert.equal((await simControl(url, 'POST', '/faults', { mode: 'error500' })).status, 400);
  });
});

describe('rate limits', () => {
  let sim: Simulator;
  let url: string;

  before(async () => {
    sim = await createSimulator({
      auto: false,
      limits: { weightPerWindow: 10, windowMs: 60_000, banAfter: 2, banMs: 60_000, ordersPerSecond: 2 },
      accounts: [
        { apiKey: 'r-key', apiSecret: 'r-secret', balances: { USDT: '100' } },
        { apiKey: 'r-other', apiSecret: 'r-other-secret' },
        { apiKey: 'r-orders', apiSecret: 'r-orders-secret', balances: { USDT: '100' } },
      ],
    });
    url = (await sim.listen(0)).url;
  });
  after(() => sim.close());

  test('weight budget per key: mc/list costs 5; over budget 429 -1003, then 418 "IP banned until <ms>"', async () => {
    const client = new OtcTestClient(url, 'r-key', 'r-secret');
    assert.equal((await client.get('mc/list')).status, 200);
    assert.equal((await client.get('mc/list')).status, 200);
    const limited = await client.get('order/detail', { orderId: '1' });
    assert.equal(limited.status, 429);
    assert.equal(limited.body.code, -1003);
    assert.match(limited.body.msg, /current limit is 10 requests per minute/);
    assert.equal((await client.get('account')).status, 429);
    assert.equal((await client.get('account')).status, 429);
    const banned = await client.get('account');
    assert.equal(banned.status, 418);
    assert.equal(banned.body.code, -1003);
    const until = Number(/IP banned until (\d+)/.exec(banned.body.msg)?.[1]);
    assert.ok(until > Date.now() + 50_000, banned.body.msg);
    assert.equal((await client.get('account')).status, 418);
    // Another key has its own budget.
    assert.equal((await new OtcTestClient(url, 'r-other', 'r-other-secret').get('account')).status, 200);
  });

  test('order/add: more than ordersPerSecond -> 429 -1015 and no order', async () => {
    const client = new OtcTestClient(url, 'r-orders', 'r-orders-secret');
    // Invalid bodies still count: the limit is on requests, checked before validation.
    const codes: number[] = [];
    for (let i = 0; i < 3; i++)
      codes.push((await client.post('order/add', { country: 'Mexico' })).body.code as number);
    assert.deepEqual(codes.slice(0, 2), [-1102, -1102]);
    assert.equal(codes[2], -1015);
    assert.equal(sim.state.orders.all().length, 0);
  });
});

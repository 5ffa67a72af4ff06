import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { money } from '@sim/common/money.math';
import { SimState } from '@sim/state/sim.state';
import { OrderMachine, TransitionError, trackingKey } from './order.machine';
import type { SimOrder } from './order.model';
import { amounts } from './order.placer';
import { arcusClabe, clabeCheckDigit } from './payment-info.builder';

function setup(): { state: SimState; machine: OrderMachine; order: SimOrder; seen: number[] } {
  let now = 1_725_849_542_000;
  const state = new SimState(() => (now += 1000));
  const { account } = state.accounts.upsert({ apiKey: 'k', apiSecret: 's', balances: { USDT: '10' } });
  const merchant = state.merchants.create({
    apiKey: 'k',
    trench: 'CLABE',
    country: 'Mexico',
    fiat: 'MXN',
    merchantName: 'm',
    email: 'm@x.io',
    merchantType: 'PERSONAL',
    companyName: null,
    buyLimit: money(1e6),
    sellLimit: money(1e6),
    details: {},
  });
  account.balances.lock('USDT', money('2'));
  const info = { id: '58', name: 'x', logo: '', color: '', realName: '', paymentFieldList: [] };
  const order: SimOrder = {
    orderId: state.ids.next(),
    apiKey: 'k',
    userId: account.userId,
    accountId: account.accountId,
    mcId: merchant.id,
    mcName: 'm',
    companyName: 'System',
    paymentId: 201,
    paymentType: 1,
    orderType: 'SELL',
    status: 10,
    cryptoCurrency: 'USDT',
    fiatCurrency: 'MXN',
    country: 'Mexico',
    quantity: money('2'),
    fiatAmount: money('39.82'),
    orderPrice: money('19.91'),
    hasRefund: 0,
    traclingNumber: null,
    orderTimeFrameMinute: 240,
    createTime: now,
    updateTime: now,
    orderConfirmTimestamp: Math.floor(now / 1000),
    orderApprovedTime: null,
    orderExpireTimestamp: null,
    completedTime: null,
    deptPaymentInfo: info,
    userPaymentInfo: info,
    history: [],
  };
  const machine = new OrderMachine(state);
  const seen: number[] = [];
  machine.onTransition((e) => seen.push(e.to));
  machine.created(order);
  return { state, machine, order, seen };
}

describe('order machine', () => {
  test('SELL 10→30→40→50→60: expiry from approval, tracking key at 50, locked burned and sellUsed at 60', () => {
    const { state, machine, order, seen } = setup();
    const balances = state.accounts.get('k')!.balances;
    machine.transition(order, 30, 't');
    machine.transition(order, 40, 't');
    assert.equal(order.orderExpireTimestamp, Math.floor(order.orderApprovedTime! / 1000) + 240 * 60);
    machine.transition(order, 50, 't');
    assert.match(order.traclingNumber!, /^\d{8}90706[A-Z0-9]{16}$/);
    assert.equal(balances.locked('USDT').toString(), '2');
    machine.transition(order, 60, 't');
    assert.equal(balances.locked('USDT').toString(), '0');
    assert.equal(balances.free('USDT').toString(), '8');
    assert.equal(state.merchants.get(order.mcId)!.sellUsed.toString(), '39.82');
    assert.ok(order.completedTime);
    assert.deepEqual(seen, [10, 30, 40, 50, 60]);
  });

  test('edges that do not exist are refused and change nothing', () => {
    const { machine, order } = setup();
    assert.throws(() => machine.transition(order, 50, 't'), TransitionError);
    machine.advance(order, 40, 't');
    assert.throws(() => machine.transition(order, 80, 't'), TransitionError); // 80 only from 10/30
    machine.transition(order, 70, 't', { hasRefund: 1 });
    assert.equal(order.hasRefund, 1);
    assert.throws(() => machine.transition(order, 60, 't'), TransitionError); // terminal
    assert.equal(order.status, 70);
  });

  test('advance walks the forward chain and emits every step; cancel and reject unlock a SELL', () => {
    const a = setup();
    a.machine.advance(a.order, 60, 't');
    assert.deepEqual(a.seen, [10, 30, 40, 50, 60]);
    const b = setup();
    b.machine.transition(b.order, 80, 't');
    const balances = b.state.accounts.get('k')!.balances;
    assert.equal(balances.free('USDT').toString(), '10');
    assert.equal(balances.locked('USDT').toString(), '0');
  });

  test('tracking keys look like the doc example', () => {
    assert.match(trackingKey(Date.UTC(2024, 8, 8)), /^2024090890706[A-Z0-9]{16}$/);
  });
});

describe('order amounts (doc examples)', () => {
  test('BUY 10 MXN at 20.07 -> 0.4982 USDT (floor 4 dp), fiat kept', () => {
    const r = amounts('BUY', money('20.07'), undefined, money('10'));
    assert.equal(r.quantity.toString(), '0.4982');
    assert.equal(r.fiatAmount.toFixed(2), '10.00');
  });

  test('SELL 0.2 USDT at 19.91 -> 3.98 MXN (floor 2 dp)', () => {
    const r = amounts('SELL', money('19.91'), money('0.2'), undefined);
    assert.equal(r.fiatAmount.toFixed(2), '3.98');
  });

  test('extra decimals are truncated, never rounded up', () => {
    assert.equal(amounts('BUY', money('20'), undefined, money('1000.999')).fiatAmount.toFixed(2), '1000.99');
    assert.equal(amounts('SELL', money('20'), money('1.23459'), undefined).quantity.toString(), '1.2345');
  });

  test('SELL from orderAmount only derives the quantity with the sell rate', () => {
    const r = amounts('SELL', money('19.91'), undefined, money('100'));
    assert.equal(r.quantity.toString(), '5.0226'); // 100 / 19.91 = 5.02260...
    assert.equal(r.fiatAmount.toFixed(2), '99.99');
  });
});

describe('collection CLABE', () => {
  test('check digit matches a known valid CLABE (032180000118359719)', () => {
    assert.equal(clabeCheckDigit('03218000011835971'), '9');
  });
  test('per-order ARCUS CLABEs are 18 digits with bank 706', () => {
    assert.match(arcusClabe(433592805818896384n), /^706180\d{12}$/);
  });
});

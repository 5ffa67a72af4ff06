import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { FaultInjector, normaliseRoute } from './fault.injector';

describe('fault injector', () => {
  test('a rule affects `count` requests of its route only, default 1', () => {
    const faults = new FaultInjector();
    faults.add({ route: 'order/add', mode: 'error500', count: 2 });
    faults.add({ route: 'account', mode: 'latency', ms: 50 });
    assert.equal(faults.take('order/list'), undefined);
    assert.equal(faults.take('order/add')?.mode, 'error500');
    assert.equal(faults.take('order/add')?.mode, 'error500');
    assert.equal(faults.take('order/add'), undefined);
    assert.equal(faults.take('account')?.ms, 50);
    assert.equal(faults.take('account'), undefined);
  });

  test('count 0 or persistent lasts until cleared; * matches everything; FIFO among matches', () => {
    const faults = new FaultInjector();
    faults.add({ route: '*', mode: 'rateLimit', count: 0 });
    faults.add({ route: 'ping', mode: 'error500', persistent: true });
    for (let i = 0; i < 5; i++) assert.equal(faults.take('ping')?.mode, 'rateLimit');
    assert.equal(faults.list()[0]?.hits, 5);
    faults.clear();
    assert.equal(faults.take('ping'), undefined);
  });

  test('routes are normalised from full paths', () => {
    assert.equal(normaliseRoute('/openapi/v1/otc/order/add'), 'order/add');
    assert.equal(normaliseRoute('/openapi/v1/ping'), 'ping');
    assert.equal(normaliseRoute(' order/detail?x=1 '), 'order/detail');
  });
});

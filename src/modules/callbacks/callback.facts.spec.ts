import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { callbackFacts } from './callback.facts';

describe('callback facts', () => {
  test('big-int order ids stay exact; status is a number; dedupe key is orderId:orderStatus', () => {
    const f = callbackFacts(
      '{"eventType":"ORDER_WEBHOOK","orderId":473130522693193728123,"orderStatus":"40","hasRefund":0}',
    );
    assert.equal(f.trubitOrderId, '473130522693193728123');
    assert.equal(f.orderStatus, 40);
    assert.equal(f.hasRefund, false);
    assert.equal(f.traclingNumber, null);
    assert.equal(f.dedupeKey, '473130522693193728123:40');
  });

  test('tracking key and refund flag', () => {
    const f = callbackFacts(
      Buffer.from('{"orderId":"1","orderStatus":70,"hasRefund":"1","traclingNumber":" 2025010190706ABC "}'),
    );
    assert.equal(f.hasRefund, true);
    assert.equal(f.traclingNumber, '2025010190706ABC');
    assert.equal(f.dedupeKey, '1:70:refund');
  });

  test('other event types and malformed bodies are refused', () => {
    assert.throws(() => callbackFacts('{"eventType":"FUNDING_WEBHOOK","orderId":"1","orderStatus":"2"}'));
    assert.throws(() => callbackFacts('[]'));
    assert.throws(() => callbackFacts('{"orderId":"abc","orderStatus":"40"}'));
  });
});

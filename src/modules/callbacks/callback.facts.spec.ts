import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { parseTrubitJson, parseTrubitOrderWebhook } from '@app/modules/trubit';
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

  test('the fast path reads exactly what the big-int-safe parser reads', () => {
    // The reference: the full webhook parser plus the tracking key, as the inbox read them before.
    const reference = (raw: string) => {
      const w = parseTrubitOrderWebhook(raw);
      const tracking = (parseTrubitJson(raw) as Record<string, unknown>).traclingNumber;
      const hasRefund = w.hasRefund === 1;
      const orderStatus = Number(w.orderStatus);
      return {
        trubitOrderId: w.orderId,
        orderStatus,
        hasRefund,
        traclingNumber:
          typeof tracking === 'string' && tracking.trim()
            ? tracking.trim()
            : typeof tracking === 'number'
              ? String(tracking)
              : null,
        dedupeKey: `${w.orderId}:${orderStatus}${hasRefund ? ':refund' : ''}`,
      };
    };
    const bodies = [
      '{"eventType":"ORDER_WEBHOOK","orderId":"900000000000000001","orderStatus":"30","hasRefund":0}',
      '{"orderId":" 12 ","orderStatus":" 40 "}',
      '{"orderId":"12","orderStatus":70,"hasRefund":1.0}',
      '{"orderId":"12","orderStatus":70,"hasRefund":true}',
      '{"orderId":"12","orderStatus":70,"hasRefund":"0","traclingNumber":""}',
      '{"orderId":"12","orderStatus":70,"hasRefund":null,"traclingNumber":12345}',
      '{"orderId":"12","orderStatus":"50","traclingNumber":123456789012345678901234}',
      '{"orderId":473130522693193728,"orderStatus":60}',
      '{"orderId":"12","orderStatus":4e1}',
      '{"orderId":"12","orderStatus":99999999999999999999}',
    ];
    for (const raw of bodies) assert.deepEqual(callbackFacts(raw), reference(raw), raw);
    assert.equal(
      callbackFacts('{"orderId":"1","orderStatus":"50","traclingNumber":123456789012345678901234}')
        .traclingNumber,
      '123456789012345678901234',
    );
    for (const raw of [
      '{"orderId":1.5,"orderStatus":"40"}',
      '{"orderId":"1","orderStatus":40.5}',
      '{"orderId":"1"',
      'null',
    ])
      assert.throws(() => callbackFacts(raw), raw);
  });
});

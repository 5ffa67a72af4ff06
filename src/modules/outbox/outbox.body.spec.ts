import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { deliveryBody } from './outbox.body';

describe('outbox body', () => {
  test('restores the documented key order whatever order jsonb returned', () => {
    const fromJsonb = {
      id: 'evt_1',
      data: { fees: { a: 1 }, status: 'COMPLETED', orderId: 'ord_1', sequence: 5, partnerUserRef: 'u1' },
      event: 'order.completed',
      createdAt: '2025-01-01T00:00:00.000Z',
    };
    const body = deliveryBody(fromJsonb);
    assert.equal(
      body,
      '{"id":"evt_1","event":"order.completed","createdAt":"2025-01-01T00:00:00.000Z","data":{"orderId":"ord_1","status":"COMPLETED","sequence":5,"partnerUserRef":"u1","fees":{"a":1}}}',
    );
    assert.deepEqual(JSON.parse(body), fromJsonb);
  });

  test('non-order events keep their data', () => {
    const body = deliveryBody({
      id: 'evt_2',
      event: 'user.kyc_approved',
      createdAt: 'x',
      data: { userId: 'c1' },
    });
    assert.deepEqual(JSON.parse(body).data, { userId: 'c1' });
  });
});

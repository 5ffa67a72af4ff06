import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac, randomBytes } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import { legacySignature, signWebhook, standardSignature } from './webhook.signer';

const secret = () => `whsec_${randomBytes(24).toString('base64')}`;
const body = '{"id":"evt_1","event":"order.completed","createdAt":"2025-01-01T00:00:00.000Z","data":{"a":1}}';

describe('webhook signer', () => {
  test('X-Webhook-Signature is hex HMAC-SHA256 over "{timestamp}.{body}" keyed with the secret string', () => {
    const s = secret();
    const at = new Date();
    const h = signWebhook({
      deliveryId: 'del_1',
      eventId: 'evt_1',
      eventType: 'order.completed',
      body,
      at,
      secret: s,
    });
    const ts = Math.floor(at.getTime() / 1000);
    assert.equal(h['x-webhook-timestamp'], String(ts));
    assert.equal(h['x-webhook-id'], 'del_1');
    assert.equal(h['x-webhook-signature'], createHmac('sha256', s).update(`${ts}.${body}`).digest('hex'));
    assert.match(h['x-webhook-signature'], /^[0-9a-f]{64}$/);
    assert.equal(legacySignature(s, ts, body), h['x-webhook-signature']);
  });

  test('the official standardwebhooks verifier accepts the Standard Webhooks headers', () => {
    const s = secret();
    const h = signWebhook({
      deliveryId: 'del_1',
      eventId: 'evt_9',
      eventType: 'x',
      body,
      at: new Date(),
      secret: s,
    });
    assert.equal(h['webhook-id'], 'evt_9');
    assert.deepEqual(new Webhook(s).verify(body, h), JSON.parse(body));
    assert.throws(() => new Webhook(secret()).verify(body, h));
    assert.throws(() => new Webhook(s).verify(body + ' ', h));
  });

  test('during rotation both secrets sign webhook-signature; X-Webhook-Signature uses the new one', () => {
    const next = secret();
    const prev = secret();
    const at = new Date();
    const h = signWebhook({
      deliveryId: 'd',
      eventId: 'e',
      eventType: 'x',
      body,
      at,
      secret: next,
      previousSecret: prev,
    });
    assert.equal(h['webhook-signature'].split(' ').length, 2);
    assert.ok(h['webhook-signature'].split(' ').every((p) => p.startsWith('v1,')));
    new Webhook(next).verify(body, h);
    new Webhook(prev).verify(body, h);
    const ts = Number(h['x-webhook-timestamp']);
    assert.equal(h['x-webhook-signature'], legacySignature(next, ts, body));
  });

  test('webhook-signature is exactly what the official library signs', () => {
    for (let i = 0; i < 20; i++) {
      const s = secret();
      const at = new Date(Date.now() - i * 997_000);
      const payload = `${body}${'é'.repeat(i)}`;
      const ts = Math.floor(at.getTime() / 1000);
      assert.equal(
        standardSignature(s, `evt_${i}`, ts, payload),
        new Webhook(s).sign(`evt_${i}`, at, payload),
      );
    }
  });
});

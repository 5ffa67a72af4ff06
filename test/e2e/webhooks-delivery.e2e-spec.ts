// Signed webhook delivery end to end: outbox row → relay → delivery worker → a real HTTP receiver. Both
// signature schemes, retries with Retry-After, 410, dead letters with admin retry and partner recover, and
// secret rotation.
import { after, before, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import { http } from '@test/support/http';
import { RunningStack, startStack } from '@test/support/stack-harness';
import { eventually } from '@test/support/timing';
import { WebhookReceiver } from '@test/fixtures/webhook-receiver';
import {
  attemptsOf,
  deliveryByEvent,
  insertOutboxEvents,
  orderEvents,
  settled,
} from '@test/fixtures/webhooks.fixtures';
import { newId } from '@app/infra/crypto/ids';

const hmacHex = (secret: string, ts: string, body: string) =>
  createHmac('sha256', Buffer.from(secret, 'utf8')).update(`${ts}.${body}`).digest('hex');

describe('webhook delivery', () => {
  let stack: RunningStack;
  let receiver: WebhookReceiver;
  let partner: { id: string; apiKey: string; secret: string };

  const api = (method: string, path: string, body?: unknown, key = partner.apiKey) =>
    http(method, `${stack.api.url}/api/v1${path}`, { headers: { 'x-api-key': key }, body });
  const admin = (method: string, path: string, body?: unknown) =>
    http(method, `${stack.api.url}/admin/v1${path}`, {
      headers: { authorization: `Bearer ${stack.config.admin.token}` },
      body,
    });

  before(async () => {
    receiver = await new WebhookReceiver().start();
    stack = await startStack({
      env: { WEBHOOK_RETRY_SCHEDULE_MS: '0,200,200,200,200', WEBHOOK_TIMEOUT_MS: '2000' },
    });
    const created = await stack.admin.createPartner({ webhookUrl: receiver.url });
    partner = { id: created.partner.id, apiKey: created.apiKey, secret: created.webhookSecret };
  });
  beforeEach(() => {
    receiver.received.length = 0;
    receiver.responder = () => ({ status: 200 });
  });
  after(async () => {
    await stack.close();
    await receiver.stop();
  });

  test('the body is the event; every header verifies in both schemes; the delivery is recorded', async () => {
    const orderId = newId.order();
    const [eventId] = await insertOutboxEvents(partner.id, [
      { event: 'order.completed', orderId, sequence: 1, data: { status: 'COMPLETED', totalMxn: 1725.0 } },
    ]);
    assert.ok(await settled([eventId]));
    const [req] = receiver.forEvent(eventId);
    assert.ok(req);
    const d = (await deliveryByEvent(eventId))!;

    assert.deepEqual(Object.keys(req.body), ['id', 'event', 'createdAt', 'data']);
    assert.equal(req.body.id, eventId);
    assert.equal(req.body.event, 'order.completed');
    assert.match(req.body.createdAt, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    assert.deepEqual(Object.keys(req.body.data).slice(0, 4), [
      'orderId',
      'status',
      'sequence',
      'partnerUserRef',
    ]);
    assert.equal(req.body.data.orderId, orderId);
    assert.equal(req.body.data.sequence, 1);

    assert.equal(req.headers['content-type'], 'application/json');
    assert.equal(req.headers['x-webhook-id'], d.id);
    assert.match(d.id, /^del_/);
    const ts = req.headers['x-webhook-timestamp'];
    assert.ok(Math.abs(Number(ts) - Date.now() / 1000) < 30);
    assert.equal(req.headers['x-webhook-signature'], hmacHex(partner.secret, ts, req.raw));
    assert.match(req.headers['x-webhook-signature'], /^[0-9a-f]{64}$/);

    assert.equal(req.headers['webhook-id'], eventId);
    assert.equal(req.headers['webhook-timestamp'], ts);
    assert.match(req.headers['webhook-signature'], /^v1,[A-Za-z0-9+/=]+$/);
    assert.deepEqual(new Webhook(partner.secret).verify(req.raw, req.headers), req.body);

    assert.equal(d.status, 'DELIVERED');
    assert.equal(d.attempts, 1);
    assert.equal(d.lastStatusCode, 200);
    assert.equal(d.url, receiver.url);
    const attempts = await attemptsOf(d.id);
    assert.deepEqual(
      attempts.map((a) => [a.attempt, a.statusCode]),
      [[1, 200]],
    );

    const log = await api('GET', `/webhooks?orderId=${orderId}`);
    assert.equal(log.status, 200);
    assert.equal(log.body.total, 1);
    const item = log.body.webhooks[0];
    assert.deepEqual(Object.keys(item).sort(), [
      'attempts',
      'createdAt',
      'deliveredAt',
      'errorMessage',
      'eventId',
      'eventType',
      'id',
      'lastAttemptAt',
      'lastStatusCode',
      'maxAttempts',
      'nextAttemptAt',
      'orderId',
      'status',
    ]);
    assert.equal(item.id, d.id);
    assert.equal(item.eventId, eventId);
    assert.equal(item.status, 'DELIVERED');
    assert.equal(item.maxAttempts, 5);
    assert.equal(item.nextAttemptAt, null);
    assert.ok(item.deliveredAt);
  });

  test('retries keep the delivery id, re-sign each attempt, and honour Retry-After on 429/503', async () => {
    receiver.responder = (_req, n) =>
      n === 1
        ? { status: 503, headers: { 'retry-after': '1' } }
        : n === 2
          ? { status: 500 }
          : { status: 200 };
    const [eventId] = await insertOutboxEvents(partner.id, [
      { event: 'user.kyc_approved', data: { userId: 'c1' } },
    ]);
    assert.ok(await settled([eventId], ['DELIVERED'], 20_000));
    const got = receiver.forEvent(eventId);
    assert.equal(got.length, 3);
    assert.equal(new Set(got.map((r) => r.headers['x-webhook-id'])).size, 1);
    assert.equal(new Set(got.map((r) => r.raw)).size, 1); // same bytes every time
    // The schedule says 200 ms; the partner said "Retry-After: 1".
    assert.ok(got[1].at - got[0].at >= 995, `second attempt after ${got[1].at - got[0].at} ms`);
    for (const r of got) {
      assert.equal(
        r.headers['x-webhook-signature'],
        hmacHex(partner.secret, r.headers['x-webhook-timestamp'], r.raw),
      );
      new Webhook(partner.secret).verify(r.raw, r.headers);
    }
    const d = (await deliveryByEvent(eventId))!;
    assert.equal(d.attempts, 3);
    const attempts = await attemptsOf(d.id);
    assert.deepEqual(
      attempts.map((a) => a.statusCode),
      [503, 500, 200],
    );
    assert.equal(attempts[0].error, 'HTTP 503');
  });

  test('FAILED after the last attempt; the operator replays it, the partner recovers the rest', async () => {
    receiver.responder = () => ({ status: 500 });
    const since = new Date(Date.now() - 1000).toISOString();
    const [e1, e2] = await insertOutboxEvents(partner.id, [
      { event: 'user.kyc_rejected', data: { userId: 'c2' } },
      { event: 'user.kyc_rejected', data: { userId: 'c3' } },
    ]);
    assert.ok(await settled([e1, e2], ['FAILED'], 20_000));
    assert.equal(receiver.forEvent(e1).length, 5);
    const d1 = (await deliveryByEvent(e1))!;
    assert.equal(d1.attempts, 5);
    assert.equal(d1.lastStatusCode, 500);
    assert.match(d1.errorMessage!, /HTTP 500 \(after 5 attempts\)/);

    const failed = await api('GET', '/webhooks?status=FAILED&eventType=user.kyc_rejected');
    assert.equal(failed.status, 200);
    assert.ok(
      failed.body.webhooks.some((w: any) => w.id === d1.id && w.attempts === 5 && w.maxAttempts === 5),
    );
    const dead = await admin('GET', '/webhooks?status=FAILED&limit=100');
    assert.equal(dead.status, 200);
    const row = dead.body.webhooks.find((w: any) => w.id === d1.id);
    assert.equal(row.partnerId, partner.id);
    assert.equal(row.url, receiver.url);

    receiver.responder = () => ({ status: 200 });
    const retried = await admin('POST', `/webhooks/${d1.id}/retry`);
    assert.equal(retried.status, 202);
    assert.equal(retried.body.status, 'PENDING');
    assert.equal(retried.body.maxAttempts, 10); // a new series of 5
    assert.ok(await settled([e1]));
    assert.equal((await deliveryByEvent(e1))!.attempts, 6);
    assert.equal((await deliveryByEvent(e2))!.status, 'FAILED'); // only the one that was replayed

    const recovered = await api('POST', '/webhooks/recover', { since });
    assert.equal(recovered.status, 202);
    assert.equal(recovered.body.recovered, 1);
    assert.equal(recovered.body.since, since);
    assert.ok(await settled([e2]));
    assert.equal(receiver.forEvent(e2).length, 6);
    assert.equal((await api('POST', '/webhooks/recover', { since })).body.recovered, 0);
  });

  test('partner retry re-delivers a delivered event with a new attempt series', async () => {
    const [eventId] = await insertOutboxEvents(partner.id, [
      { event: 'user.kyc_approved', data: { userId: 'c9' } },
    ]);
    assert.ok(await settled([eventId]));
    const d = (await deliveryByEvent(eventId))!;
    const res = await api('POST', `/webhooks/${d.id}/retry`);
    assert.equal(res.status, 202);
    assert.equal(res.body.id, d.id);
    assert.ok(await eventually(async () => receiver.forEvent(eventId).length === 2, 10_000));
    const [first, second] = receiver.forEvent(eventId);
    assert.equal(first.headers['x-webhook-id'], second.headers['x-webhook-id']);
    assert.equal(first.headers['webhook-id'], second.headers['webhook-id']);
    assert.ok(await settled([eventId]));
  });

  test('410 Gone disables the endpoint and fails the delivery; PUT re-enables it and recover replays', async () => {
    const other = await stack.admin.createPartner({ webhookUrl: receiver.url });
    const key = other.apiKey;
    const since = new Date(Date.now() - 1000).toISOString();
    receiver.responder = () => ({ status: 410 });
    const [gone] = await insertOutboxEvents(other.partner.id, [
      { event: 'user.kyc_approved', data: { userId: 'g1' } },
    ]);
    assert.ok(await settled([gone], ['FAILED']));
    assert.equal(receiver.forEvent(gone).length, 1); // no retries after 410
    const d = (await deliveryByEvent(gone))!;
    assert.equal(d.attempts, 1);
    assert.equal(d.lastStatusCode, 410);
    assert.match(d.errorMessage!, /410/);
    const endpoint = await api('GET', '/webhook-endpoint', undefined, key);
    assert.equal(endpoint.body.status, 'DISABLED');
    assert.ok(endpoint.body.disabledAt);

    // While disabled, new events fail at once, without a request, with the reason.
    receiver.responder = () => ({ status: 200 });
    const [later] = await insertOutboxEvents(other.partner.id, [
      { event: 'user.kyc_approved', data: { userId: 'g2' } },
    ]);
    assert.ok(await settled([later], ['FAILED']));
    assert.equal(receiver.forEvent(later).length, 0);
    assert.match((await deliveryByEvent(later))!.errorMessage!, /disabled/);

    const put = await api('PUT', '/webhook-endpoint', { url: receiver.url }, key);
    assert.equal(put.status, 200);
    assert.deepEqual(
      { url: put.body.url, status: put.body.status, disabledAt: put.body.disabledAt },
      { url: receiver.url, status: 'ACTIVE', disabledAt: null },
    );
    const rec = await api('POST', '/webhooks/recover', { since }, key);
    assert.equal(rec.body.recovered, 2);
    assert.ok(await settled([gone, later]));
  });

  test('a partner without a webhook URL gets its deliveries recorded as FAILED with the reason', async () => {
    const silent = await stack.admin.createPartner({});
    const [eventId] = await insertOutboxEvents(silent.partner.id, [{ event: 'user.kyc_approved', data: {} }]);
    assert.ok(await settled([eventId], ['FAILED']));
    const d = (await deliveryByEvent(eventId))!;
    assert.equal(d.attempts, 0);
    assert.equal(d.errorMessage, 'no webhook endpoint configured');
    const ep = await api('GET', '/webhook-endpoint', undefined, silent.apiKey);
    assert.deepEqual(ep.body, {
      url: null,
      status: 'NOT_CONFIGURED',
      disabledAt: null,
      previousSecretValidUntil: null,
    });
  });

  test('secret rotation: both secrets sign webhook-signature for 24 h; X-Webhook-Signature uses the new one', async () => {
    const p = await stack.admin.createPartner({ webhookUrl: receiver.url });
    const rotated = await api('POST', '/webhook-endpoint/rotate-secret', undefined, p.apiKey);
    assert.equal(rotated.status, 200);
    const next: string = rotated.body.webhookSecret;
    assert.match(next, /^whsec_[A-Za-z0-9+/=]+$/);
    assert.notEqual(next, p.webhookSecret);
    const until = Date.parse(rotated.body.previousSecretValidUntil);
    assert.ok(Math.abs(until - (Date.now() + 24 * 3600_000)) < 60_000);
    const ep = await api('GET', '/webhook-endpoint', undefined, p.apiKey);
    assert.equal(ep.body.previousSecretValidUntil, rotated.body.previousSecretValidUntil);
    assert.equal(ep.body.webhookSecret, undefined); // shown once

    const [eventId] = await insertOutboxEvents(p.partner.id, [{ event: 'user.kyc_approved', data: {} }]);
    assert.ok(await settled([eventId]));
    const [req] = receiver.forEvent(eventId);
    const sigs = req.headers['webhook-signature'].split(' ');
    assert.equal(sigs.length, 2);
    assert.deepEqual(new Webhook(next).verify(req.raw, req.headers), req.body);
    assert.deepEqual(new Webhook(p.webhookSecret).verify(req.raw, req.headers), req.body);
    const ts = req.headers['x-webhook-timestamp'];
    assert.equal(req.headers['x-webhook-signature'], hmacHex(next, ts, req.raw));
    assert.notEqual(req.headers['x-webhook-signature'], hmacHex(p.webhookSecret, ts, req.raw));
  });

  test('events of one order arrive in sequence order even when an earlier one needs retries', async () => {
    const orderId = newId.order();
    let failuresLeft = 2;
    receiver.responder = (req) =>
      req.body?.data?.orderId === orderId && req.body.data.sequence === 2 && failuresLeft-- > 0
        ? { status: 500 }
        : { status: 200 };
    const ids = await insertOutboxEvents(partner.id, orderEvents(orderId, 5));
    assert.ok(await settled(ids, ['DELIVERED'], 20_000));
    const seqs = receiver.received
      .filter((r) => r.body?.data?.orderId === orderId)
      .map((r) => r.body.data.sequence);
    assert.deepEqual(seqs, [1, 2, 2, 2, 3, 4, 5]);
  });
});

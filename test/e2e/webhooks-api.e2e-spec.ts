// The partner and operator webhook APIs at their edges: tenant isolation, bad input, the SSRF guard (at
// registration and at delivery time), Bull Board behind the admin token, and the delivery/queue metrics.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { newId } from '@app/infra/crypto/ids';
import { withDb } from '@test/support/db';
import { http } from '@test/support/http';
import { RunningStack, startStack } from '@test/support/stack-harness';
import { WebhookReceiver } from '@test/fixtures/webhook-receiver';
import { deliveryByEvent, insertOutboxEvents, settled, attemptsOf } from '@test/fixtures/webhooks.fixtures';

describe('webhook APIs', () => {
  let stack: RunningStack;
  let receiver: WebhookReceiver;
  let a: { id: string; apiKey: string };
  let b: { id: string; apiKey: string };

  const api = (key: string, method: string, path: string, body?: unknown) =>
    http(method, `${stack.api.url}/api/v1${path}`, { headers: { 'x-api-key': key }, body });

  before(async () => {
    receiver = await new WebhookReceiver().start();
    stack = await startStack({ env: { WEBHOOK_RETRY_SCHEDULE_MS: '0,100,100,100,100' } });
    const pa = await stack.admin.createPartner({ webhookUrl: receiver.url });
    const pb = await stack.admin.createPartner({ webhookUrl: receiver.url });
    a = { id: pa.partner.id, apiKey: pa.apiKey };
    b = { id: pb.partner.id, apiKey: pb.apiKey };
  });
  after(async () => {
    await stack.close();
    await receiver.stop();
  });

  test("tenant isolation: another partner's deliveries are invisible and 404 on retry", async () => {
    const orderId = newId.order();
    const [eventId] = await insertOutboxEvents(a.id, [{ event: 'order.created', orderId, sequence: 1 }]);
    assert.ok(await settled([eventId]));
    const d = (await deliveryByEvent(eventId))!;

    const mine = await api(a.apiKey, 'GET', `/webhooks?orderId=${orderId}`);
    assert.equal(mine.body.total, 1);
    const theirs = await api(b.apiKey, 'GET', `/webhooks?orderId=${orderId}`);
    assert.equal(theirs.status, 200);
    assert.deepEqual(
      { total: theirs.body.total, webhooks: theirs.body.webhooks, hasMore: theirs.body.hasMore },
      { total: 0, webhooks: [], hasMore: false },
    );
    const all = await api(b.apiKey, 'GET', '/webhooks?limit=100');
    assert.ok(all.body.webhooks.every((w: { id: string }) => w.id !== d.id));

    const foreign = await api(b.apiKey, 'POST', `/webhooks/${d.id}/retry`);
    const missing = await api(b.apiKey, 'POST', `/webhooks/del_doesnotexist/retry`);
    for (const res of [foreign, missing]) {
      assert.equal(res.status, 404);
      assert.equal(res.body.error, 'NOT_FOUND');
    }
    assert.equal(foreign.body.message, missing.body.message);
    // B's recover cannot touch A's failed deliveries either (checked on a FAILED one of A's).
    await withDb((db) => db.query(`UPDATE webhook_deliveries SET status = 'FAILED' WHERE id = $1`, [d.id]));
    const rec = await api(b.apiKey, 'POST', '/webhooks/recover', {
      since: new Date(Date.now() - 60_000).toISOString(),
    });
    assert.equal(rec.body.recovered, 0);
    assert.equal((await deliveryByEvent(eventId))!.status, 'FAILED');
  });

  test('paging and filters: newest first, limit/offset/hasMore, status and eventType', async () => {
    const p = await stack.admin.createPartner({ webhookUrl: receiver.url });
    const ids = await insertOutboxEvents(
      p.partner.id,
      Array.from({ length: 5 }, (_, i) => ({
        event: i < 2 ? 'user.kyc_rejected' : 'user.kyc_approved',
        data: {},
      })),
    );
    assert.ok(await settled(ids));
    const page1 = await api(p.apiKey, 'GET', '/webhooks?limit=2');
    assert.equal(page1.status, 200);
    assert.deepEqual(
      {
        total: page1.body.total,
        limit: page1.body.limit,
        offset: page1.body.offset,
        hasMore: page1.body.hasMore,
      },
      { total: 5, limit: 2, offset: 0, hasMore: true },
    );
    const page3 = await api(p.apiKey, 'GET', '/webhooks?limit=2&offset=4');
    assert.equal(page3.body.webhooks.length, 1);
    assert.equal(page3.body.hasMore, false);
    const all = await api(p.apiKey, 'GET', '/webhooks');
    const created = all.body.webhooks.map((w: { createdAt: string }) => w.createdAt);
    assert.deepEqual(created, [...created].sort().reverse());
    assert.equal((await api(p.apiKey, 'GET', '/webhooks?eventType=user.kyc_rejected')).body.total, 2);
    assert.equal((await api(p.apiKey, 'GET', '/webhooks?status=DELIVERED')).body.total, 5);
    assert.equal((await api(p.apiKey, 'GET', '/webhooks?status=PENDING')).body.total, 0);
  });

  test('bad input is VALIDATION_ERROR; missing credentials are refused', async () => {
    const bad: Array<[string, string, unknown?]> = [
      ['GET', '/webhooks?status=LOST'],
      ['GET', '/webhooks?limit=0'],
      ['GET', '/webhooks?limit=101'],
      ['GET', '/webhooks?offset=-1'],
      ['GET', '/webhooks?eventType=DROP%20TABLE'],
      ['GET', '/webhooks?color=blue'],
      ['POST', '/webhooks/recover', {}],
      ['POST', '/webhooks/recover', { since: 'yesterday' }],
      ['POST', '/webhooks/recover', { since: '2026-01-02T00:00:00Z', until: '2026-01-01T00:00:00Z' }],
      ['POST', '/webhooks/recover', { since: '2020-01-01T00:00:00Z', until: '2026-01-01T00:00:00Z' }],
      ['POST', '/webhooks/recover', { since: '2026-01-01T00:00:00Z', extra: 1 }],
      ['PUT', '/webhook-endpoint', {}],
      ['PUT', '/webhook-endpoint', { url: 42 }],
      ['PUT', '/webhook-endpoint', { url: 'ftp://hooks.example.com/x' }],
      ['PUT', '/webhook-endpoint', { url: 'not a url' }],
      ['PUT', '/webhook-endpoint', { url: 'https://user:pw@hooks.example.com/' }],
      ['PUT', '/webhook-endpoint', { url: receiver.url, secret: 'x' }],
    ];
    for (const [method, path, body] of bad) {
      const res = await api(a.apiKey, method, path, body);
      assert.equal(res.status, 400, `${method} ${path} ${JSON.stringify(body)} → ${res.status} ${res.text}`);
      assert.equal(res.body.error, 'VALIDATION_ERROR');
      assert.equal(typeof res.body.message, 'string');
    }
    const malformed = await http('POST', `${stack.api.url}/api/v1/webhooks/recover`, {
      headers: { 'x-api-key': a.apiKey, 'content-type': 'application/json' },
      rawBody: '{"since":',
    });
    assert.equal(malformed.status, 400);
    assert.equal(malformed.body.error, 'VALIDATION_ERROR');

    const noKey = await http('GET', `${stack.api.url}/api/v1/webhooks`);
    assert.equal(noKey.status, 401);
    assert.equal(noKey.body.error, 'MISSING_API_KEY');
    const noToken = await http('GET', `${stack.api.url}/admin/v1/webhooks`);
    assert.equal(noToken.status, 401);
    const wrongToken = await http('POST', `${stack.api.url}/admin/v1/webhooks/x/retry`, {
      headers: { authorization: 'Bearer nope' },
    });
    assert.equal(wrongToken.status, 401);
    const adminMissing = await http('POST', `${stack.api.url}/admin/v1/webhooks/del_nope/retry`, {
      headers: { authorization: `Bearer ${stack.config.admin.token}` },
    });
    assert.equal(adminMissing.status, 404);
  });

  test('Bull Board is served at /admin/queues behind the admin token only', async () => {
    const anon = await http('GET', `${stack.api.url}/admin/queues`);
    assert.equal(anon.status, 401);
    assert.match(anon.headers.get('www-authenticate') ?? '', /^Basic/);
    const wrong = await http('GET', `${stack.api.url}/admin/queues/api/queues`, {
      headers: { authorization: 'Bearer wrong-token-wrong-token' },
    });
    assert.equal(wrong.status, 401);
    const bearer = { authorization: `Bearer ${stack.config.admin.token}` };
    const ui = await http('GET', `${stack.api.url}/admin/queues`, { headers: bearer });
    assert.equal(ui.status, 200);
    assert.match(ui.text, /<html/i);
    const queues = await http('GET', `${stack.api.url}/admin/queues/api/queues`, { headers: bearer });
    assert.equal(queues.status, 200);
    const names = queues.body.queues.map((q: { name: string }) => q.name);
    assert.ok(names.includes('{webhook-delivery}'), names.join(','));
    assert.ok(names.includes('{trubit-callbacks}'));
    const basic = `Basic ${Buffer.from(`ops:${stack.config.admin.token}`).toString('base64')}`;
    assert.equal(
      (await http('GET', `${stack.api.url}/admin/queues/api/queues`, { headers: { authorization: basic } }))
        .status,
      200,
    );
  });

  test('/metrics has delivery attempts and outcomes, delivery latency and per-queue depth', async () => {
    const [eventId] = await insertOutboxEvents(a.id, [{ event: 'user.kyc_approved', data: {} }]);
    assert.ok(await settled([eventId]));
    const res = await http('GET', `${stack.api.url}/metrics`);
    assert.equal(res.status, 200);
    assert.match(res.text, /webhook_delivery_attempts_total\{outcome="delivered"\} [1-9]/);
    assert.match(res.text, /webhook_delivery_attempt_duration_seconds_bucket\{[^}]*outcome="delivered"/);
    assert.match(res.text, /webhook_delivery_latency_seconds_count [1-9]/);
    assert.match(res.text, /webhook_deliveries_finished_total\{status="DELIVERED"\} [1-9]/);
    // First attempts go out without a job (see webhooks/README.md): the gauge is there, possibly at 0.
    assert.match(res.text, /bullmq_queue_jobs\{queue="\{webhook-delivery\}",state="completed"\} \d/);
    assert.match(res.text, /bullmq_queue_jobs\{queue="\{trubit-callbacks\}",state="waiting"\} \d/);
  });
});

describe('SSRF guard (WEBHOOK_ALLOW_INSECURE=false)', () => {
  let stack: RunningStack;
  let receiver: WebhookReceiver;

  before(async () => {
    receiver = await new WebhookReceiver().start();
    stack = await startStack({
      env: { WEBHOOK_ALLOW_INSECURE: 'false', WEBHOOK_RETRY_SCHEDULE_MS: '0,100,100,100,100' },
    });
  });
  after(async () => {
    await stack.close();
    await receiver.stop();
  });

  test('PUT /webhook-endpoint refuses http, loopback, private and link-local targets', async () => {
    const p = await stack.admin.createPartner({});
    for (const url of [
      receiver.url,
      'http://hooks.partner.example/x',
      'https://127.0.0.1/x',
      'https://localhost:8443/x',
      'https://10.1.2.3/x',
      'https://192.168.0.10/x',
      'https://169.254.169.254/latest/meta-data',
      'https://[::1]/x',
    ]) {
      const res = await http('PUT', `${stack.api.url}/api/v1/webhook-endpoint`, {
        headers: { 'x-api-key': p.apiKey },
        body: { url },
      });
      assert.equal(res.status, 400, url);
      assert.equal(res.body.error, 'VALIDATION_ERROR');
      assert.equal(res.body.details[0].field, 'url');
    }
    const ok = await http('PUT', `${stack.api.url}/api/v1/webhook-endpoint`, {
      headers: { 'x-api-key': p.apiKey },
      body: { url: 'https://hooks.partner.example/mp2p' },
    });
    assert.equal(ok.status, 200);
    assert.equal(ok.body.status, 'ACTIVE');
  });

  test('at delivery time a name resolving to a private address, or a private literal, is refused: nothing is sent', async () => {
    const port = new URL(receiver.url).port;
    const cases: Array<[string, RegExp]> = [
      [
        `https://localhost:${port}/hook`,
        /^refused: localhost resolves to a private, loopback or link-local address/,
      ],
      [`https://127.0.0.1:${port}/hook`, /^refused: 127\.0\.0\.1 resolves to a private/],
      ['http://hooks.example.com/', /^refused: the webhook URL must use https/],
    ];
    for (const [url, why] of cases) {
      const p = await stack.admin.createPartner({});
      // A URL stored before the rules (or whose DNS changed since): only the delivery-time check stands.
      await withDb((db) =>
        db.query(`UPDATE partners SET "webhookUrl" = $1 WHERE id = $2`, [url, p.partner.id]),
      );
      const [eventId] = await insertOutboxEvents(p.partner.id, [{ event: 'user.kyc_approved', data: {} }]);
      assert.ok(await settled([eventId], ['FAILED']), url);
      const d = (await deliveryByEvent(eventId))!;
      assert.match(d.errorMessage!, why, url);
      assert.equal(d.attempts, 1);
      assert.equal((await attemptsOf(d.id))[0].statusCode, null);
    }
    assert.equal(receiver.received.length, 0);
  });
});

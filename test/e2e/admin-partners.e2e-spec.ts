import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { AdminClient } from '@test/support/admin-client';
import { RunningApi, startApi } from '@test/support/api-harness';
import { withDb } from '@test/support/db';
import { http } from '@test/support/http';
import { testConfig } from '@test/support/test-config';

describe('operators API /admin/v1/partners', () => {
  let api: RunningApi;
  let admin: AdminClient;
  let auth: Record<string, string>;

  before(async () => {
    api = await startApi(testConfig({ WEBHOOK_ALLOW_INSECURE: 'false' }));
    admin = new AdminClient(api.url, api.config.admin.token);
    auth = { authorization: `Bearer ${api.config.admin.token}` };
  });
  after(() => api.close());

  test('refuses a missing, malformed or wrong bearer token', async () => {
    for (const headers of [
      {} as Record<string, string>,
      { authorization: 'Basic abc' },
      { authorization: 'Bearer wrong-token' },
      { authorization: `Bearer ${api.config.admin.token}x` },
    ]) {
      const res = await http('GET', `${api.url}/admin/v1/partners`, { headers });
      assert.equal(res.status, 401);
      assert.equal(res.body.error, 'UNAUTHORIZED');
    }
  });

  test('creates a partner and shows its key and webhook secret exactly once', async () => {
    const res = await http('POST', `${api.url}/admin/v1/partners`, {
      headers: auth,
      body: {
        name: 'Acme Wallet',
        tier: 'ENTERPRISE',
        kycModel: 'PARTNER_MANAGED',
        webhookUrl: 'https://hooks.acme.example/mp2p',
        ipWhitelist: ['203.0.113.0/24', '2001:db8::1'],
        limits: { requestsPerMinute: 5000, monthlyVolumeMxn: 25_000_000, revenueSharePercent: 12.5 },
        trubit: { apiKey: 'acme-tb-key', apiSecret: 'acme-tb-secret', merchantId: '42' },
      },
    });
    assert.equal(res.status, 201);
    const { partner, apiKey, webhookSecret } = res.body;
    assert.match(apiKey, /^mp2p_[0-9a-f]{64}$/);
    assert.match(webhookSecret, /^whsec_/);
    assert.equal(partner.status, 'ACTIVE');
    assert.equal(partner.tier, 'ENTERPRISE');
    assert.equal(partner.limits.requestsPerMinute, 5000);
    assert.equal(partner.limits.monthlyVolumeMxn, 25_000_000);
    assert.equal(partner.limits.revenueSharePercent, 12.5);
    assert.deepEqual(partner.trubit, { apiKey: 'acme-tb-key', merchantId: '42', ownAccount: true });

    const read = await admin.get(`/admin/v1/partners/${partner.id}`);
    assert.equal(read.status, 200);
    assert.ok(
      !read.text.includes(apiKey) &&
        !read.text.includes(webhookSecret) &&
        !read.text.includes('acme-tb-secret'),
    );
    assert.ok(!/keyHash|SecretEnc/.test(read.text));
    assert.equal(read.body.apiKeys.length, 1);
    assert.equal(read.body.apiKeys[0].status, 'ACTIVE');
  });

  test('lists partners newest first with the paging envelope', async () => {
    await admin.createPartner({ name: 'List One' });
    await admin.createPartner({ name: 'List Two' });
    const res = await admin.get('/admin/v1/partners?limit=2&offset=0');
    assert.equal(res.status, 200);
    assert.equal(res.body.partners.length, 2);
    assert.equal(res.body.partners[0].name, 'List Two');
    assert.equal(res.body.limit, 2);
    assert.equal(res.body.offset, 0);
    assert.ok(res.body.total >= 2);
    assert.equal(res.body.hasMore, res.body.total > 2);
    for (const q of ['limit=0', 'limit=101', 'offset=-1', 'limit=abc']) {
      const bad = await admin.get(`/admin/v1/partners?${q}`);
      assert.equal(bad.status, 400, q);
      assert.equal(bad.body.error, 'VALIDATION_ERROR');
    }
  });

  test('patches tier, status, allowlist, webhook URL and limits; null clears overrides', async () => {
    const { partner } = await admin.createPartner({ tier: 'FREE', limits: { requestsPerMinute: 7 } });
    const res = await admin.patchPartner(partner.id, {
      tier: 'GROWTH',
      status: 'SUSPENDED',
      ipWhitelist: ['127.0.0.1'],
      webhookUrl: 'https://hooks.example.com/x',
    });
    assert.equal(res.status, 200);
    assert.equal(res.body.tier, 'GROWTH');
    assert.equal(res.body.status, 'SUSPENDED');
    assert.deepEqual(res.body.ipWhitelist, ['127.0.0.1']);
    assert.equal(res.body.limits.requestsPerMinute, 7);
    const cleared = await admin.patchPartner(partner.id, { limits: null, webhookUrl: null });
    assert.equal(cleared.body.limits.requestsPerMinute, 200);
    assert.equal(cleared.body.webhookUrl, null);
  });

  test('bad admin input is VALIDATION_ERROR or NOT_FOUND and changes nothing', async () => {
    const { partner } = await admin.createPartner({ name: 'Unchanged' });
    const count = () =>
      withDb(async (db) => Number((await db.query('SELECT count(*) FROM partners')).rows[0].count));
    const before = await count();
    const cases: Array<[string, string, unknown]> = [
      ['POST', '/admin/v1/partners', { name: 'x', tier: 'PLATINUM', kycModel: 'GATEWAY_MANAGED' }],
      ['POST', '/admin/v1/partners', { name: '', tier: 'FREE', kycModel: 'GATEWAY_MANAGED' }],
      [
        'POST',
        '/admin/v1/partners',
        { name: 'x', tier: 'FREE', kycModel: 'GATEWAY_MANAGED', surprise: true },
      ],
      [
        'POST',
        '/admin/v1/partners',
        { name: 'x', tier: 'FREE', kycModel: 'GATEWAY_MANAGED', ipWhitelist: ['300.1.1.1'] },
      ],
      [
        'POST',
        '/admin/v1/partners',
        { name: 'x', tier: 'FREE', kycModel: 'GATEWAY_MANAGED', webhookUrl: 'http://127.0.0.1/x' },
      ],
      [
        'POST',
        '/admin/v1/partners',
        { name: 'x', tier: 'FREE', kycModel: 'GATEWAY_MANAGED', limits: { requestsPerMinute: -1 } },
      ],
      [
        'POST',
        '/admin/v1/partners',
        { name: 'x', tier: 'FREE', kycModel: 'GATEWAY_MANAGED', limits: { bogus: 1 } },
      ],
      [
        'POST',
        '/admin/v1/partners',
        { name: 'x', tier: 'FREE', kycModel: 'GATEWAY_MANAGED', trubit: { apiKey: 'k' } },
      ],
      ['POST', '/admin/v1/partners', { name: 'x'.repeat(201), tier: 'FREE', kycModel: 'GATEWAY_MANAGED' }],
      ['POST', '/admin/v1/partners', [1, 2, 3]],
      ['PATCH', `/admin/v1/partners/${partner.id}`, { status: 'DELETED' }],
      ['PATCH', `/admin/v1/partners/${partner.id}`, { name: 12 }],
      ['POST', `/admin/v1/partners/${partner.id}/api-keys`, { graceSeconds: -5 }],
      ['POST', `/admin/v1/partners/${partner.id}/api-keys`, { graceSeconds: 'soon' }],
    ];
    for (const [method, path, body] of cases) {
      const res = await http(method, `${api.url}${path}`, { headers: auth, body });
      assert.equal(res.status, 400, `${method} ${path} ${JSON.stringify(body)} → ${res.text}`);
      assert.equal(res.body.error, 'VALIDATION_ERROR');
      assert.ok(Array.isArray(res.body.details) && res.body.details.length > 0);
    }
    for (const [method, path] of [
      ['GET', '/admin/v1/partners/ptn_missing'],
      ['PATCH', '/admin/v1/partners/ptn_missing'],
      ['POST', '/admin/v1/partners/ptn_missing/api-keys'],
    ]) {
      const res = await http(method, `${api.url}${path}`, {
        headers: auth,
        body: method === 'GET' ? undefined : {},
      });
      assert.equal(res.status, 404);
      assert.equal(res.body.error, 'NOT_FOUND');
    }
    assert.equal(await count(), before);
    const still = await admin.get(`/admin/v1/partners/${partner.id}`);
    assert.equal(still.body.name, 'Unchanged');
    assert.equal(still.body.apiKeys.length, 1);
  });
});

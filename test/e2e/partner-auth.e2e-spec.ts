import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import bcrypt from 'bcrypt';
import { AdminClient } from '@test/support/admin-client';
import { RunningApi, startApi } from '@test/support/api-harness';
import { http } from '@test/support/http';
import { testConfig } from '@test/support/test-config';
import { eventually, sleep } from '@test/support/timing';

describe('partner authentication (two API instances, one Redis, one Postgres)', () => {
  let a: RunningApi;
  let b: RunningApi;
  let admin: AdminClient;

  before(async () => {
    const config = testConfig();
    a = await startApi(config);
    b = await startApi(config);
    admin = new AdminClient(a.url, config.admin.token);
  });
  after(async () => {
    await a.close();
    await b.close();
  });

  const health = (api: RunningApi, key?: string, headers: Record<string, string> = {}) =>
    http('GET', `${api.url}/api/v1/health`, {
      headers: key === undefined ? headers : { 'x-api-key': key, ...headers },
    });

  test('a key issued by the admin API authenticates on both instances', async () => {
    const { apiKey, partner } = await admin.createPartner({ name: 'Auth OK', tier: 'FREE' });
    for (const api of [a, b]) {
      const res = await health(api, apiKey);
      assert.equal(res.status, 200);
      assert.equal(res.body.status, 'ok');
      assert.equal(res.body.partner, 'Auth OK');
      assert.equal(res.body.tier, 'FREE');
      assert.match(res.body.timestamp, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    }
    assert.ok(partner.id.startsWith('ptn_'));
  });

  test('MISSING_API_KEY without the header', async () => {
    const res = await health(a);
    assert.equal(res.status, 401);
    assert.equal(res.body.error, 'MISSING_API_KEY');
    assert.equal(typeof res.body.message, 'string');
  });

  test('INVALID_API_KEY for malformed and for unknown well-formed keys', async () => {
    for (const key of [
      'nope',
      'mp2p_' + 'g'.repeat(64),
      'mp2p_' + 'A'.repeat(64),
      'mp2p_' + 'a'.repeat(63),
      'mp2p_' + '0'.repeat(64),
    ]) {
      const res = await health(a, key);
      assert.equal(res.status, 401, key);
      assert.equal(res.body.error, 'INVALID_API_KEY');
    }
  });

  test('suspension and deactivation lock the partner out on every instance within a second', async () => {
    const { apiKey, partner } = await admin.createPartner();
    assert.equal((await health(a, apiKey)).status, 200);
    assert.equal((await health(b, apiKey)).status, 200); // both instances now trust the key from cache

    assert.equal((await admin.patchPartner(partner.id, { status: 'SUSPENDED' })).status, 200);
    for (const api of [a, b]) {
      assert.ok(
        await eventually(async () => (await health(api, apiKey)).body.error === 'PARTNER_SUSPENDED', 1000),
      );
    }
    const suspended = await health(b, apiKey);
    assert.equal(suspended.status, 403);

    await admin.patchPartner(partner.id, { status: 'INACTIVE' });
    for (const api of [a, b]) {
      assert.ok(
        await eventually(async () => (await health(api, apiKey)).body.error === 'PARTNER_INACTIVE', 1000),
      );
    }

    await admin.patchPartner(partner.id, { status: 'ACTIVE' });
    for (const api of [a, b])
      assert.ok(await eventually(async () => (await health(api, apiKey)).status === 200, 1000));
  });

  test('rotation without grace revokes the old key everywhere within a second; the new one works', async () => {
    const { apiKey: oldKey, partner } = await admin.createPartner();
    assert.equal((await health(a, oldKey)).status, 200);
    assert.equal((await health(b, oldKey)).status, 200);

    const rotated = await admin.rotateKey(partner.id);
    assert.equal(rotated.status, 201);
    const newKey: string = rotated.body.apiKey;
    assert.match(newKey, /^mp2p_[0-9a-f]{64}$/);
    assert.equal(rotated.body.previousKeysValidUntil, null);

    for (const api of [a, b]) {
      assert.ok(
        await eventually(async () => (await health(api, oldKey)).body.error === 'INVALID_API_KEY', 1000),
      );
      assert.equal((await health(api, newKey)).status, 200);
    }
  });

  test('rotation with a grace period keeps the old key working until it ends', async () => {
    const { apiKey: oldKey, partner } = await admin.createPartner();
    const rotated = await admin.rotateKey(partner.id, { graceSeconds: 2 });
    assert.equal(rotated.status, 201);
    assert.ok(rotated.body.previousKeysValidUntil);
    assert.equal((await health(a, oldKey)).status, 200);
    assert.equal((await health(b, rotated.body.apiKey)).status, 200);
    await sleep(2200);
    assert.equal((await health(a, oldKey)).body.error, 'INVALID_API_KEY');
    assert.equal((await health(b, oldKey)).body.error, 'INVALID_API_KEY');
    assert.equal((await health(a, rotated.body.apiKey)).status, 200);
  });

  test('IP allowlist: foreign addresses get IP_NOT_ALLOWED, listed ones (v4 and v6 forms) pass, on every instance', async () => {
    const { apiKey, partner } = await admin.createPartner({ ipWhitelist: ['10.0.0.0/8'] });
    for (const api of [a, b]) {
      const res = await health(api, apiKey);
      assert.equal(res.status, 403);
      assert.equal(res.body.error, 'IP_NOT_ALLOWED');
    }
    // Without trusted proxies, X-Forwarded-For is ignored: it cannot be used to spoof an allowed address.
    assert.equal((await health(a, apiKey, { 'x-forwarded-for': '10.1.2.3' })).body.error, 'IP_NOT_ALLOWED');

    await admin.patchPartner(partner.id, { ipWhitelist: ['10.0.0.0/8', '127.0.0.1/32', '::1'] });
    for (const api of [a, b])
      assert.ok(await eventually(async () => (await health(api, apiKey)).status === 200, 1000));

    await admin.patchPartner(partner.id, { ipWhitelist: ['2001:db8::/32'] });
    for (const api of [a, b]) {
      assert.ok(
        await eventually(async () => (await health(api, apiKey)).body.error === 'IP_NOT_ALLOWED', 1000),
      );
    }
  });

  test('X-Forwarded-For is honoured only from TRUSTED_PROXIES', async () => {
    const proxied = await startApi(testConfig({ TRUSTED_PROXIES: '127.0.0.1,::1' }));
    try {
      const adminP = new AdminClient(proxied.url, proxied.config.admin.token);
      const { apiKey } = await adminP.createPartner({ ipWhitelist: ['198.51.100.0/24'] });
      assert.equal((await health(proxied, apiKey)).body.error, 'IP_NOT_ALLOWED');
      assert.equal((await health(proxied, apiKey, { 'x-forwarded-for': '198.51.100.20' })).status, 200);
      assert.equal(
        (await health(proxied, apiKey, { 'x-forwarded-for': '203.0.113.1' })).body.error,
        'IP_NOT_ALLOWED',
      );
    } finally {
      await proxied.close();
    }
  });

  test('bcrypt runs once per key per instance, not per request, and concurrent first requests share it', async () => {
    const { apiKey } = await admin.createPartner({ limits: { requestsPerMinute: 10_000 } });
    const bcryptModule = bcrypt as unknown as { compare: typeof bcrypt.compare };
    const original = bcryptModule.compare;
    let compares = 0;
    bcryptModule.compare = (async (data: string, hash: string) => {
      compares++;
      return original(data, hash);
    }) as unknown as typeof bcrypt.compare;
    try {
      const results = await Promise.all(Array.from({ length: 10 }, () => health(a, apiKey)));
      assert.ok(results.every((r) => r.status === 200));
      for (let i = 0; i < 20; i++) assert.equal((await health(a, apiKey)).status, 200);
      assert.equal(compares, 1);
    } finally {
      bcryptModule.compare = original;
    }
  });

  test('secrets are stored bcrypt-hashed / encrypted, never in clear', async () => {
    const { apiKey, webhookSecret, partner } = await admin.createPartner({
      trubit: { apiKey: 'tb-key', apiSecret: 'tb-secret-value' },
    });
    const { withDb } = await import('@test/support/db');
    const row = await withDb(async (db) => {
      const p = await db.query('SELECT * FROM partners WHERE id = $1', [partner.id]);
      const k = await db.query('SELECT * FROM api_keys WHERE "partnerId" = $1', [partner.id]);
      return { p: p.rows[0], k: k.rows[0] };
    });
    const dump = JSON.stringify(row);
    assert.ok(!dump.includes(apiKey.slice(5)));
    assert.ok(!dump.includes(webhookSecret));
    assert.ok(!dump.includes('tb-secret-value'));
    assert.match(row.k.keyHash, /^\$2[aby]\$\d\d\$/);
    assert.ok(await bcrypt.compare(apiKey, row.k.keyHash));
  });
});

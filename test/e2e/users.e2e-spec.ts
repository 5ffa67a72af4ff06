import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { AdminClient } from '@test/support/admin-client';
import { RunningApi, startApi } from '@test/support/api-harness';
import { withDb } from '@test/support/db';
import { http } from '@test/support/http';
import { testConfig } from '@test/support/test-config';

const ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;

describe('partner users (POST/GET /api/v1/users)', () => {
  let api: RunningApi;
  let admin: AdminClient;

  before(async () => {
    api = await startApi(testConfig());
    admin = new AdminClient(api.url, api.config.admin.token);
  });
  after(() => api.close());

  const call = (key: string, method: string, path: string, body?: unknown) =>
    http(method, `${api.url}/api/v1${path}`, { headers: { 'x-api-key': key }, body });
  const partner = (body: Record<string, unknown> = {}) =>
    admin.createPartner({ tier: 'ENTERPRISE', limits: { requestsPerMinute: 10_000 }, ...body });
  const userCount = (partnerId: string) =>
    withDb(async (db) =>
      Number(
        (await db.query('SELECT count(*) FROM end_users WHERE "partnerId" = $1', [partnerId])).rows[0].count,
      ),
    );
  const ref = () => `u_${randomBytes(6).toString('hex')}`;

  test('POST creates a user: 201 with the documented body', async () => {
    const { apiKey } = await partner();
    const res = await call(apiKey, 'POST', '/users', { partnerUserRef: 'user_123' });
    assert.equal(res.status, 201, res.text);
    assert.match(res.body.id, /^c[0-9a-z]{20,}$/);
    assert.equal(res.body.partnerUserRef, 'user_123');
    assert.equal(res.body.kycStatus, 'NOT_REQUIRED');
    assert.equal(res.body.kycTier, 'NONE');
    assert.equal(res.body.orderCount, 0);
    assert.equal(res.body.totalVolumeMxn, 0);
    assert.equal(res.body.monthlyVolumeMxn, 0);
    assert.equal(res.body.kycCompletedAt, null);
    assert.equal(res.body.amlRiskLevel, 'LOW');
    assert.equal(res.body.isPep, false);
    assert.equal(res.body.isSanctioned, false);
    assert.match(res.body.createdAt, ISO);
    assert.match(res.body.updatedAt, ISO);
  });

  test('DUPLICATE_USER on a repeated ref, also when both creates race; exactly one row', async () => {
    const { apiKey, partner: p } = await partner();
    assert.equal((await call(apiKey, 'POST', '/users', { partnerUserRef: 'dup' })).status, 201);
    const again = await call(apiKey, 'POST', '/users', { partnerUserRef: 'dup' });
    assert.equal(again.status, 409);
    assert.equal(again.body.error, 'DUPLICATE_USER');

    // Unlimited partner: no advisory lock, so the unique index alone must settle the race.
    const results = await Promise.all(
      Array.from({ length: 8 }, () => call(apiKey, 'POST', '/users', { partnerUserRef: 'race' })),
    );
    assert.deepEqual(results.map((r) => r.status).sort(), [201, 409, 409, 409, 409, 409, 409, 409]);
    for (const r of results.filter((x) => x.status === 409)) assert.equal(r.body.error, 'DUPLICATE_USER');
    assert.equal(await userCount(p.id), 2);
  });

  test('the same ref may exist at two partners', async () => {
    const a = await partner();
    const b = await partner();
    assert.equal((await call(a.apiKey, 'POST', '/users', { partnerUserRef: 'shared' })).status, 201);
    assert.equal((await call(b.apiKey, 'POST', '/users', { partnerUserRef: 'shared' })).status, 201);
  });

  test('USER_LIMIT_REACHED at the monthly user limit, race-safe under a concurrent burst', async () => {
    const { apiKey, partner: p } = await partner({ limits: { requestsPerMinute: 10_000, monthlyUsers: 3 } });
    const results = await Promise.all(
      Array.from({ length: 10 }, () => call(apiKey, 'POST', '/users', { partnerUserRef: ref() })),
    );
    assert.equal(results.filter((r) => r.status === 201).length, 3);
    const refused = results.filter((r) => r.status !== 201);
    assert.equal(refused.length, 7);
    for (const r of refused) {
      assert.equal(r.status, 403);
      assert.equal(r.body.error, 'USER_LIMIT_REACHED');
    }
    assert.equal(await userCount(p.id), 3);
    // A duplicate at the limit is still reported as the duplicate it is.
    const existing = results.find((r) => r.status === 201)!.body.partnerUserRef;
    assert.equal(
      (await call(apiKey, 'POST', '/users', { partnerUserRef: existing })).body.error,
      'DUPLICATE_USER',
    );
  });

  test('users created in earlier months do not count against this month', async () => {
    const { apiKey, partner: p } = await partner({ limits: { requestsPerMinute: 10_000, monthlyUsers: 1 } });
    const first = await call(apiKey, 'POST', '/users', { partnerUserRef: 'old' });
    assert.equal(first.status, 201);
    assert.equal(
      (await call(apiKey, 'POST', '/users', { partnerUserRef: 'new' })).body.error,
      'USER_LIMIT_REACHED',
    );
    await withDb((db) =>
      db.query(
        `UPDATE end_users SET "createdAt" = date_trunc('month', now() at time zone 'utc') - interval '1 day' WHERE id = $1`,
        [first.body.id],
      ),
    );
    assert.equal((await call(apiKey, 'POST', '/users', { partnerUserRef: 'new' })).status, 201);
    assert.equal(await userCount(p.id), 2);
  });

  test('a null monthlyUsers override means unlimited', async () => {
    const { apiKey } = await admin.createPartner({ tier: 'FREE', limits: { monthlyUsers: null } });
    for (let i = 0; i < 12; i++)
      assert.equal((await call(apiKey, 'POST', '/users', { partnerUserRef: ref() })).status, 201);
  });

  test('PARTNER_MANAGED: kycAttestation makes the user APPROVED at the attested level', async () => {
    const { apiKey } = await partner({ kycModel: 'PARTNER_MANAGED' });
    const res = await call(apiKey, 'POST', '/users', {
      partnerUserRef: 'kyced',
      kycAttestation: {
        level: 'FULL',
        provider: 'Sumsub',
        reference: 'app-123',
        verifiedAt: '2026-01-15T10:00:00Z',
      },
    });
    assert.equal(res.status, 201, res.text);
    assert.equal(res.body.kycStatus, 'APPROVED');
    assert.equal(res.body.kycTier, 'FULL');
    assert.equal(res.body.kycCompletedAt, '2026-01-15T10:00:00.000Z');
    const stored = await withDb(
      async (db) =>
        (await db.query('SELECT "kycAttestation" FROM end_users WHERE id = $1', [res.body.id])).rows[0],
    );
    assert.deepEqual(stored.kycAttestation, {
      level: 'FULL',
      provider: 'Sumsub',
      reference: 'app-123',
      verifiedAt: '2026-01-15T10:00:00.000Z',
    });
    const plain = await call(apiKey, 'POST', '/users', { partnerUserRef: 'plain' });
    assert.equal(plain.body.kycStatus, 'NOT_REQUIRED');
  });

  test('GATEWAY_MANAGED partners may not attest KYC: VALIDATION_ERROR, nothing stored', async () => {
    const { apiKey, partner: p } = await partner();
    const res = await call(apiKey, 'POST', '/users', {
      partnerUserRef: 'x1',
      kycAttestation: {
        level: 'BASIC',
        provider: 'Own',
        reference: 'r1',
        verifiedAt: '2026-01-15T10:00:00Z',
      },
    });
    assert.equal(res.status, 400);
    assert.equal(res.body.error, 'VALIDATION_ERROR');
    assert.equal(res.body.details[0].field, 'kycAttestation');
    assert.equal(await userCount(p.id), 0);
  });

  test('bad input → VALIDATION_ERROR with details and nothing stored', async () => {
    const { apiKey, partner: p } = await partner({ kycModel: 'PARTNER_MANAGED' });
    const att = { level: 'BASIC', provider: 'P', reference: 'r', verifiedAt: '2026-01-15T10:00:00Z' };
    const bodies: unknown[] = [
      {},
      { partnerUserRef: '' },
      { partnerUserRef: 123 },
      { partnerUserRef: null },
      { partnerUserRef: ['a'] },
      { partnerUserRef: 'a'.repeat(129) },
      { partnerUserRef: 'x'.repeat(70_000) },
      { partnerUserRef: 'josé' },
      { partnerUserRef: 'has space' },
      { partnerUserRef: 'slash/ref' },
      { partnerUserRef: '../etc' },
      { partnerUserRef: '-lead' },
      { partnerUserRef: 'ok', extra: 1 },
      { partnerUserRef: 'ok', kycAttestation: 'yes' },
      { partnerUserRef: 'ok', kycAttestation: { ...att, level: 'GOLD' } },
      { partnerUserRef: 'ok', kycAttestation: { ...att, provider: '' } },
      { partnerUserRef: 'ok', kycAttestation: { ...att, provider: 'Prov\u00e9' } },
      { partnerUserRef: 'ok', kycAttestation: { ...att, reference: 'a b' } },
      { partnerUserRef: 'ok', kycAttestation: { ...att, verifiedAt: 'yesterday' } },
      { partnerUserRef: 'ok', kycAttestation: { ...att, verifiedAt: '2099-01-01T00:00:00Z' } },
      { partnerUserRef: 'ok', kycAttestation: { ...att, verifiedAt: '2026-02-30T00:00:00Z' } },
      { partnerUserRef: 'ok', kycAttestation: { ...att, unknown: true } },
      { partnerUserRef: 'ok', kycAttestation: { level: 'BASIC' } },
    ];
    for (const body of bodies) {
      const res = await call(apiKey, 'POST', '/users', body);
      const expected = JSON.stringify(body).length > 65_536 ? 413 : 400;
      assert.equal(res.status, expected, `${JSON.stringify(body).slice(0, 80)} → ${res.text}`);
      if (expected === 400) {
        assert.equal(res.body.error, 'VALIDATION_ERROR');
        assert.ok(Array.isArray(res.body.details) && res.body.details.length > 0);
      }
    }
    assert.equal(await userCount(p.id), 0);
    // The charset's edge cases that are allowed.
    for (const ok of [
      'a',
      'A.b_c:d@e-f',
      'x'.repeat(128),
      '550e8400-e29b-41d4-a716-446655440000',
      'user@example.com',
    ]) {
      assert.equal((await call(apiKey, 'POST', '/users', { partnerUserRef: ok })).status, 201, ok);
    }
  });

  test('GET /users pages newest first in the documented envelope', async () => {
    const { apiKey } = await partner();
    for (const r of ['u1', 'u2', 'u3', 'u4', 'u5'])
      assert.equal((await call(apiKey, 'POST', '/users', { partnerUserRef: r })).status, 201);
    const first = await call(apiKey, 'GET', '/users?limit=2');
    assert.equal(first.status, 200);
    assert.deepEqual(
      first.body.users.map((u: { partnerUserRef: string }) => u.partnerUserRef),
      ['u5', 'u4'],
    );
    assert.equal(first.body.total, 5);
    assert.equal(first.body.limit, 2);
    assert.equal(first.body.offset, 0);
    assert.equal(first.body.hasMore, true);
    const last = await call(apiKey, 'GET', '/users?limit=2&offset=4');
    assert.deepEqual(
      last.body.users.map((u: { partnerUserRef: string }) => u.partnerUserRef),
      ['u1'],
    );
    assert.equal(last.body.hasMore, false);
    const dflt = await call(apiKey, 'GET', '/users');
    assert.equal(dflt.body.limit, 20);
    assert.equal(dflt.body.users.length, 5);
    for (const key of ['monthlyVolumeMxn', 'orderCount', 'kycStatus', 'isPep'])
      assert.ok(key in dflt.body.users[0]);
    for (const bad of ['limit=0', 'limit=101', 'limit=abc', 'offset=-1', 'foo=1']) {
      const res = await call(apiKey, 'GET', `/users?${bad}`);
      assert.equal(res.status, 400, bad);
      assert.equal(res.body.error, 'VALIDATION_ERROR');
    }
  });

  test('GET /users/:ref shows order counts and volumes of counting orders only', async () => {
    const { apiKey, partner: p } = await partner();
    const user = (await call(apiKey, 'POST', '/users', { partnerUserRef: 'trader' })).body;
    const other = (await call(apiKey, 'POST', '/users', { partnerUserRef: 'other' })).body;
    // The orders table belongs to the orders module; rows are written directly to test the read side.
    const lastMonth = `date_trunc('month', now() at time zone 'utc') - interval '3 days'`;
    await withDb(async (db) => {
      const add = async (userId: string, status: string, gross: string, createdAt = 'now()') => {
        const q = `qt_t${randomBytes(8).toString('hex')}`;
        await db.query(
          `INSERT INTO quotes (id, "partnerId", "userId", token, amount, "exchangeRate", "grossAmountMxn", "feePercent",
             "feeAmountMxn", "feeRecipient", "netAmountMxn", "revenueSharePercent", "expiresAt")
           VALUES ($1, $2, $3, 'USDT', 1, 20, $4, 0, 0, 'NONE', $4, 10, now())`,
          [q, p.id, userId, gross],
        );
        await db.query(
          `INSERT INTO orders (id, "partnerId", "userId", "quoteId", status, token, amount, "exchangeRate", "grossAmountMxn",
             "feePercent", "feeAmountMxn", "feeRecipient", "netAmountMxn", "sellQuantity", "revenueSharePercent",
             "partnerFeeMxn", "platformFeeMxn", "sellerClabe", "bankCode", "bankName", "expiresAt", "createdAt", "updatedAt")
           VALUES ($1, $2, $3, $4, $5::"OrderStatus", 'USDT', 1, 20, $6, 0, 0, 'NONE', $6, 1, 10, 0, 0,
             '012345678901234568', '012', 'BBVA MEXICO', now(), ${createdAt}, now())`,
          [`ord_t${randomBytes(8).toString('hex')}`, p.id, userId, q, status, gross],
        );
      };
      await add(user.id, 'COMPLETED', '1000.50');
      await add(user.id, 'ACTIVE', '200.25');
      await add(user.id, 'PENDING_DEPOSIT', '10.00');
      await add(user.id, 'COMPLETED', '5000.00', lastMonth);
      for (const s of ['CANCELLED', 'EXPIRED', 'REJECTED', 'FAILED']) await add(user.id, s, '99999.99');
      await add(other.id, 'COMPLETED', '7.77');
    });
    const res = await call(apiKey, 'GET', '/users/trader');
    assert.equal(res.status, 200, res.text);
    assert.equal(res.body.orderCount, 4);
    assert.equal(res.body.totalVolumeMxn, 6210.75);
    assert.equal(res.body.monthlyVolumeMxn, 1210.75);
    const list = await call(apiKey, 'GET', '/users');
    const byRef = Object.fromEntries(
      list.body.users.map((u: { partnerUserRef: string }) => [u.partnerUserRef, u]),
    );
    assert.equal(byRef.trader.totalVolumeMxn, 6210.75);
    assert.equal(byRef.other.orderCount, 1);
    assert.equal(byRef.other.totalVolumeMxn, 7.77);
  });

  test('tenant isolation: another partner’s user is NOT_FOUND and absent from its list', async () => {
    const a = await partner();
    const b = await partner();
    assert.equal((await call(a.apiKey, 'POST', '/users', { partnerUserRef: 'alice' })).status, 201);
    const res = await call(b.apiKey, 'GET', '/users/alice');
    assert.equal(res.status, 404);
    assert.equal(res.body.error, 'NOT_FOUND');
    const missing = await call(b.apiKey, 'GET', '/users/nobody');
    assert.equal(missing.status, 404);
    assert.equal(missing.body.message, res.body.message, 'same answer as a user that does not exist');
    assert.equal((await call(b.apiKey, 'GET', '/users')).body.total, 0);
    assert.equal((await call(a.apiKey, 'GET', '/users/alice')).status, 200);
  });

  test('malformed refs in the path → VALIDATION_ERROR; no key → MISSING_API_KEY', async () => {
    const { apiKey } = await partner();
    for (const bad of ['has%20space', 'jos%C3%A9', 'x'.repeat(129)]) {
      const res = await call(apiKey, 'GET', `/users/${bad}`);
      assert.equal(res.status, 400, bad);
      assert.equal(res.body.error, 'VALIDATION_ERROR');
    }
    const res = await http('POST', `${api.url}/api/v1/users`, { body: { partnerUserRef: 'x' } });
    assert.equal(res.body.error, 'MISSING_API_KEY');
  });
});

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { curpCheckDigit } from '@app/modules/kyc/mexican-identity';
import { withDb } from '@test/support/db';
import { http } from '@test/support/http';
import { RunningStack, startStack } from '@test/support/stack-harness';
import { eventually, sleep } from '@test/support/timing';

const ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;
const CURP17 = 'LOGA900427MDFPRN0'; // born 1990-04-27
const CURP = CURP17 + curpCheckDigit(CURP17);

const uniqueEmail = () => `kyc-${randomBytes(5).toString('hex')}@example.com`;
const personal = (extra: Record<string, unknown> = {}) => ({
  level: 'FULL',
  type: 'PERSONAL',
  name: 'Ana María',
  fatherSurname: 'López',
  motherSurname: 'García',
  birthday: '1990-04-27',
  curp: CURP,
  email: uniqueEmail(),
  phone: '+525512345678',
  address: 'Av. Insurgentes Sur 1234, Col. Del Valle',
  city: 'Ciudad de México',
  state: 'CMX',
  zipCode: '03100',
  ...extra,
});
const company = (extra: Record<string, unknown> = {}) => ({
  level: 'BASIC',
  type: 'COMPANY',
  companyName: 'Comercializadora Ejemplo SC',
  rfc: 'CEJ150601AB2',
  incorporationDate: '2015-06-01',
  companyType: 'SC',
  email: uniqueEmail(),
  phone: '5512345678',
  address: 'Calle 5 de Mayo 10',
  city: 'Puebla',
  state: 'PUE',
  zipCode: '72000',
  ...extra,
});

interface UserRow {
  kycStatus: string;
  kycTier: string;
  kycRequestedTier: string | null;
  kycRequestedAt: Date | null;
  kycSessionId: string | null;
  kycCompletedAt: Date | null;
  trubitMerchantId: string | null;
  trubitMerchantName: string | null;
}

describe('KYC for GATEWAY_MANAGED partners (POST /api/v1/users/:ref/kyc) and the merchant status sync', () => {
  let stack: RunningStack;
  let key: string;
  let partnerId: string;

  before(async () => {
    // The worker runs the repeatable KYC pass every 500 ms; the simulator never approves merchants by itself.
    stack = await startStack({ env: { RECONCILE_INTERVAL_MS: '500' } });
    const p = await stack.admin.createPartner({ tier: 'ENTERPRISE', limits: { requestsPerMinute: 10_000 } });
    key = p.apiKey;
    partnerId = p.partner.id;
  });
  after(() => stack.close());

  const api = (apiKey: string, method: string, path: string, body?: unknown) =>
    http(method, `${stack.api.url}/api/v1${path}`, { headers: { 'x-api-key': apiKey }, body });
  const newUser = async (apiKey = key) => {
    const ref = `k_${randomBytes(5).toString('hex')}`;
    const res = await api(apiKey, 'POST', '/users', { partnerUserRef: ref });
    assert.equal(res.status, 201, res.text);
    return { ref, id: res.body.id as string };
  };
  const row = (userId: string) =>
    withDb(async (db) => {
      const r = await db.query(
        `SELECT "kycStatus"::text, "kycTier"::text, "kycRequestedTier"::text, "kycRequestedAt", "kycSessionId",
                "kycCompletedAt", "trubitMerchantId", "trubitMerchantName" FROM end_users WHERE id = $1`,
        [userId],
      );
      return r.rows[0] as UserRow;
    });
  const merchants = async (): Promise<any[]> => (await stack.simControl('GET', '/merchants')).merchants;
  const outbox = (pid: string, eventType: string) =>
    withDb(async (db) =>
      (
        await db.query('SELECT payload FROM outbox_events WHERE "partnerId" = $1 AND "eventType" = $2', [
          pid,
          eventType,
        ])
      ).rows.map((r) => r.payload),
    );
  const untouched = (r: UserRow) => {
    assert.equal(r.kycStatus, 'NOT_REQUIRED');
    assert.equal(r.kycTier, 'NONE');
    assert.equal(r.kycRequestedAt, null);
    assert.equal(r.kycSessionId, null);
    assert.equal(r.trubitMerchantId, null);
  };

  test('starts a session: TruBit merchant opened, user PENDING, tier unchanged until approval', async () => {
    const user = await newUser();
    const body = personal();
    const res = await api(key, 'POST', `/users/${user.ref}/kyc`, body);
    assert.equal(res.status, 201, res.text);
    assert.equal(res.body.kycStatus, 'PENDING');
    assert.equal(res.body.level, 'FULL');
    assert.match(res.body.sessionId, /^kyc_/);
    assert.match(res.body.createdAt, ISO);

    const stored = await row(user.id);
    assert.equal(stored.kycStatus, 'PENDING');
    assert.equal(stored.kycTier, 'NONE');
    assert.equal(stored.kycRequestedTier, 'FULL');
    assert.equal(stored.kycSessionId, res.body.sessionId);
    assert.equal(stored.trubitMerchantName, `mp2p-${user.id}`);

    const m = (await merchants()).find((x) => String(x.id) === stored.trubitMerchantId);
    assert.ok(m, 'merchant exists at TruBit');
    assert.equal(m.merchantName, `mp2p-${user.id}`);
    assert.equal(
      m.apiKey,
      stack.operator.apiKey,
      'opened on the operator account (partner has no own account)',
    );
    assert.equal(m.email, body.email);
    assert.equal(m.status, 1);
    assert.equal(m.details.curp, CURP);
    assert.equal(m.details.birthday, '1990-04-27');
    assert.equal(m.details.state, 'CMX');
    assert.equal(m.details.fatherSurname, 'López');

    const view = await api(key, 'GET', `/users/${user.ref}`);
    assert.equal(view.body.kycStatus, 'PENDING');
    assert.equal(view.body.kycTier, 'NONE');
  });

  test('re-requesting while PENDING returns the same session (200) and opens no second merchant', async () => {
    const user = await newUser();
    const first = await api(key, 'POST', `/users/${user.ref}/kyc`, personal());
    assert.equal(first.status, 201);
    const count = (await merchants()).length;
    const again = await api(key, 'POST', `/users/${user.ref}/kyc`, personal({ level: 'BASIC' }));
    assert.equal(again.status, 200, again.text);
    assert.deepEqual(again.body, first.body);
    assert.equal((await merchants()).length, count);
  });

  test('concurrent starts for one user open one merchant and agree on one session', async () => {
    const user = await newUser();
    const body = personal();
    const results = await Promise.all(
      Array.from({ length: 4 }, () => api(key, 'POST', `/users/${user.ref}/kyc`, body)),
    );
    assert.deepEqual(results.map((r) => r.status).sort(), [200, 200, 200, 201]);
    assert.equal(new Set(results.map((r) => r.body.sessionId)).size, 1);
    assert.equal((await merchants()).filter((m) => m.merchantName.startsWith(`mp2p-${user.id}`)).length, 1);
  });

  test('merchant status 2 → APPROVED at the requested level, one user.kyc_approved outbox row', async () => {
    const user = await newUser();
    assert.equal((await api(key, 'POST', `/users/${user.ref}/kyc`, personal({ level: 'FULL' }))).status, 201);
    const mcId = (await row(user.id)).trubitMerchantId;
    await stack.simControl('POST', `/merchants/${mcId}/status`, { status: 2 });

    assert.ok(
      await eventually(async () => (await row(user.id)).kycStatus === 'APPROVED', 10_000, 100),
      'approved by the sync',
    );
    const stored = await row(user.id);
    assert.equal(stored.kycTier, 'FULL');
    assert.ok(stored.kycCompletedAt);
    const view = (await api(key, 'GET', `/users/${user.ref}`)).body;
    assert.equal(view.kycStatus, 'APPROVED');
    assert.equal(view.kycTier, 'FULL');
    assert.match(view.kycCompletedAt, ISO);

    await sleep(1500); // several more passes: the verdict must not be applied (or announced) twice
    const events = (await outbox(partnerId, 'user.kyc_approved')).filter((p) => p.data.id === user.id);
    assert.equal(events.length, 1);
    assert.match(events[0].id, /^evt_/);
    assert.equal(events[0].event, 'user.kyc_approved');
    assert.equal(events[0].data.partnerUserRef, user.ref);
    assert.equal(events[0].data.kycStatus, 'APPROVED');
    assert.equal(events[0].data.kycTier, 'FULL');

    const again = await api(key, 'POST', `/users/${user.ref}/kyc`, personal());
    assert.equal(again.status, 200);
    assert.equal(again.body.kycStatus, 'APPROVED');
    assert.equal(again.body.level, 'FULL');
  });

  test('merchant status 3 → REJECTED with user.kyc_rejected; a new request then opens a new merchant', async () => {
    const user = await newUser();
    assert.equal((await api(key, 'POST', `/users/${user.ref}/kyc`, company())).status, 201);
    const first = await row(user.id);
    const m = (await merchants()).find((x) => String(x.id) === first.trubitMerchantId);
    assert.equal(m.merchantType, 'COMPANY');
    assert.equal(m.details.rfc, 'CEJ150601AB2');
    assert.equal(m.details.companyType, 'SC');
    await stack.simControl('POST', `/merchants/${first.trubitMerchantId}/status`, { status: 3 });

    assert.ok(await eventually(async () => (await row(user.id)).kycStatus === 'REJECTED', 10_000, 100));
    assert.equal((await row(user.id)).kycTier, 'NONE');
    const events = (await outbox(partnerId, 'user.kyc_rejected')).filter((p) => p.data.id === user.id);
    assert.equal(events.length, 1);
    assert.equal(events[0].data.kycStatus, 'REJECTED');

    const retry = await api(key, 'POST', `/users/${user.ref}/kyc`, company());
    assert.equal(retry.status, 201, retry.text);
    const second = await row(user.id);
    assert.equal(second.kycStatus, 'PENDING');
    assert.equal(second.trubitMerchantName, `mp2p-${user.id}-2`);
    assert.notEqual(second.trubitMerchantId, first.trubitMerchantId);
    assert.notEqual(retry.body.sessionId, first.kycSessionId);
  });

  test('a partner with its own TruBit account: merchant opened and synced on that account', async () => {
    const own = {
      apiKey: `own-${randomBytes(4).toString('hex')}`,
      apiSecret: randomBytes(24).toString('hex'),
    };
    await stack.simControl('POST', '/accounts', own);
    const p = await stack.admin.createPartner({ tier: 'ENTERPRISE', trubit: own });
    const user = await newUser(p.apiKey);
    assert.equal(
      (await api(p.apiKey, 'POST', `/users/${user.ref}/kyc`, personal({ level: 'BASIC' }))).status,
      201,
    );
    const mcId = (await row(user.id)).trubitMerchantId;
    const m = (await merchants()).find((x) => String(x.id) === mcId);
    assert.equal(m.apiKey, own.apiKey);
    await stack.simControl('POST', `/merchants/${mcId}/status`, { status: 2 });
    assert.ok(await eventually(async () => (await row(user.id)).kycStatus === 'APPROVED', 10_000, 100));
    assert.equal((await row(user.id)).kycTier, 'BASIC');
    assert.equal((await outbox(p.partner.id, 'user.kyc_approved')).length, 1);
  });

  test('PARTNER_MANAGED partners → 400 KYC_NOT_AVAILABLE', async () => {
    const p = await stack.admin.createPartner({ kycModel: 'PARTNER_MANAGED' });
    const user = await newUser(p.apiKey);
    const res = await api(p.apiKey, 'POST', `/users/${user.ref}/kyc`, personal());
    assert.equal(res.status, 400);
    assert.equal(res.body.error, 'KYC_NOT_AVAILABLE');
    untouched(await row(user.id));
  });

  test('unknown users and other partners’ users → 404 NOT_FOUND', async () => {
    const res = await api(key, 'POST', '/users/nobody/kyc', personal());
    assert.equal(res.status, 404);
    assert.equal(res.body.error, 'NOT_FOUND');
    const other = await stack.admin.createPartner({ tier: 'ENTERPRISE' });
    const user = await newUser();
    const cross = await api(other.apiKey, 'POST', `/users/${user.ref}/kyc`, personal());
    assert.equal(cross.status, 404);
    assert.equal(cross.body.error, 'NOT_FOUND');
    untouched(await row(user.id));
  });

  test('bad identity data → VALIDATION_ERROR with details; nothing sent to TruBit, nothing stored', async () => {
    const user = await newUser();
    const before = (await merchants()).length;
    const drop = (body: Record<string, unknown>, field: string) => {
      const copy = { ...body };
      delete copy[field];
      return copy;
    };
    const bad: Array<[string, unknown]> = [
      ['empty body', {}],
      ['no level', drop(personal(), 'level')],
      ['level', personal({ level: 'GOLD' })],
      ['type', personal({ type: 'ROBOT' })],
      ['no type', drop(personal(), 'type')],
      ['no name', drop(personal(), 'name')],
      ['no fatherSurname', drop(personal(), 'fatherSurname')],
      ['no birthday', drop(personal(), 'birthday')],
      ['neither curp nor rfc', drop(personal(), 'curp')],
      ['birthday format', personal({ birthday: '27/04/1990' })],
      ['birthday not a day', personal({ birthday: '1990-02-30' })],
      ['birthday future', personal({ birthday: '2999-01-01', curp: undefined, rfc: 'LOGA900427AB1' })],
      ['minor', personal({ birthday: '2015-01-01', curp: undefined, rfc: 'LOGA150101AB1' })],
      ['curp check digit', personal({ curp: CURP17 + ((curpCheckDigit(CURP17) + 1) % 10) })],
      ['curp lowercase', personal({ curp: CURP.toLowerCase() })],
      ['curp length', personal({ curp: CURP + 'X' })],
      ['curp vs birthday', personal({ birthday: '1990-04-28' })],
      ['personal rfc is 13', personal({ rfc: 'CEJ150601AB2' })],
      ['email', personal({ email: 'not-an-email' })],
      ['email non-ascii', personal({ email: 'añ@example.com' })],
      ['phone', personal({ phone: '12345' })],
      ['phone letters', personal({ phone: '+52551234567a' })],
      ['zip', personal({ zipCode: '1234' })],
      ['zip number', personal({ zipCode: 3100 })],
      ['state', personal({ state: 'XX' })],
      ['name digits', personal({ name: 'R2D2' })],
      ['name emoji', personal({ name: 'Ana 😀' })],
      ['name huge', personal({ name: 'A'.repeat(61) })],
      ['address control chars', personal({ address: 'Calle\n1' })],
      ['returnUrl', personal({ returnUrl: 'javascript:alert(1)' })],
      ['extra field', personal({ admin: true })],
      ['company field on PERSONAL', personal({ companyName: 'X SC' })],
      ['company: personal field', company({ curp: CURP })],
      ['company: rfc of a person', company({ rfc: 'LOGA900427AB1' })],
      ['company: no rfc', drop(company(), 'rfc')],
      ['company: no companyName', drop(company(), 'companyName')],
      ['company: future incorporation', company({ incorporationDate: '2999-01-01' })],
      ['company: companyType', company({ companyType: 'LLC' })],
      ['array body', [personal()]],
    ];
    for (const [label, body] of bad) {
      const res = await api(key, 'POST', `/users/${user.ref}/kyc`, body);
      assert.equal(res.status, 400, `${label}: ${res.text}`);
      assert.equal(res.body.error, 'VALIDATION_ERROR', label);
      assert.ok(Array.isArray(res.body.details) && res.body.details.length > 0, label);
    }
    assert.equal((await merchants()).length, before);
    untouched(await row(user.id));
    // The same user with good data then works, with accents and an RFC instead of a CURP.
    const ok = await api(
      key,
      'POST',
      `/users/${user.ref}/kyc`,
      personal({ curp: undefined, rfc: 'LOGA900427AB1' }),
    );
    assert.equal(ok.status, 201, ok.text);
  });

  test('TruBit refuses (duplicate email) → 502 KYC_SESSION_FAILED, nothing stored', async () => {
    const first = await newUser();
    const email = uniqueEmail();
    assert.equal((await api(key, 'POST', `/users/${first.ref}/kyc`, personal({ email }))).status, 201);
    const user = await newUser();
    const res = await api(key, 'POST', `/users/${user.ref}/kyc`, personal({ email }));
    assert.equal(res.status, 502, res.text);
    assert.equal(res.body.error, 'KYC_SESSION_FAILED');
    assert.match(res.body.message, /Email already exists/);
    untouched(await row(user.id));
  });

  test('TruBit failing before the write → 502 and nothing stored; a retry then succeeds', async () => {
    const user = await newUser();
    const before = (await merchants()).length;
    await stack.simControl('POST', '/faults', { route: 'mc/add', mode: 'error500', count: 1 });
    const res = await api(key, 'POST', `/users/${user.ref}/kyc`, personal());
    assert.equal(res.status, 502, res.text);
    assert.equal(res.body.error, 'KYC_SESSION_FAILED');
    assert.equal((await merchants()).length, before);
    untouched(await row(user.id));
    const retry = await api(key, 'POST', `/users/${user.ref}/kyc`, personal());
    assert.equal(retry.status, 201, retry.text);
  });

  test('a lost mc/add response (merchant created, answer 500) is found again in mc/list and adopted', async () => {
    const user = await newUser();
    await stack.simControl('POST', '/faults', { route: 'mc/add', mode: 'error500AfterCommit', count: 1 });
    const res = await api(key, 'POST', `/users/${user.ref}/kyc`, personal());
    assert.equal(res.status, 201, res.text);
    const mine = (await merchants()).filter((m) => m.merchantName === `mp2p-${user.id}`);
    assert.equal(mine.length, 1);
    assert.equal((await row(user.id)).trubitMerchantId, String(mine[0].id));
  });
});

describe('KYC monthly allowance (KYC_LIMIT_REACHED)', () => {
  let stack: RunningStack;

  before(async () => {
    stack = await startStack({ worker: false });
  });
  after(() => stack.close());

  const api = (apiKey: string, method: string, path: string, body?: unknown) =>
    http(method, `${stack.api.url}/api/v1${path}`, { headers: { 'x-api-key': apiKey }, body });

  test('sessions beyond partner.limits.kycPerMonth are refused, also under concurrency', async () => {
    const p = await stack.admin.createPartner({ tier: 'GROWTH', limits: { kycPerMonth: 2 } });
    const refs: string[] = [];
    for (let i = 0; i < 6; i++) {
      const ref = `lim_${i}`;
      assert.equal((await api(p.apiKey, 'POST', '/users', { partnerUserRef: ref })).status, 201);
      refs.push(ref);
    }
    const results = await Promise.all(
      refs.map((ref) => api(p.apiKey, 'POST', `/users/${ref}/kyc`, personal())),
    );
    assert.equal(results.filter((r) => r.status === 201).length, 2);
    for (const r of results.filter((x) => x.status !== 201)) {
      assert.equal(r.status, 403, r.text);
      assert.equal(r.body.error, 'KYC_LIMIT_REACHED');
    }
    const pending = await withDb(async (db) =>
      Number(
        (
          await db.query(
            `SELECT count(*) FROM end_users WHERE "partnerId" = $1 AND "kycStatus" = 'PENDING'`,
            [p.partner.id],
          )
        ).rows[0].count,
      ),
    );
    assert.equal(pending, 2);
    const merchants = (await stack.simControl('GET', '/merchants')).merchants as any[];
    assert.equal(merchants.length, 2, 'no merchant opened for refused requests');
  });

  test('FREE tier allowance is 10', async () => {
    const p = await stack.admin.createPartner({ tier: 'FREE', limits: { monthlyUsers: 20 } });
    const statuses: number[] = [];
    for (let i = 0; i < 11; i++) {
      const ref = `free_${i}`;
      assert.equal((await api(p.apiKey, 'POST', '/users', { partnerUserRef: ref })).status, 201);
      statuses.push((await api(p.apiKey, 'POST', `/users/${ref}/kyc`, personal())).status);
    }
    assert.deepEqual(statuses, [...Array(10).fill(201), 403]);
  });
});

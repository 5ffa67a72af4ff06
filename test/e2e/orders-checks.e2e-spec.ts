import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import Decimal from 'decimal.js';
import { SubmissionQueue } from '@app/modules/orders/submission/submission.queue';
import { sleep } from '@test/support/timing';
import { CreatedPartner } from '@test/support/admin-client';
import { RunningStack, startStack } from '@test/support/stack-harness';
import { withDb } from '@test/support/db';
import { http } from '@test/support/http';
import {
  countOrders,
  expireQuote,
  GOOD_CLABE,
  setUserKyc,
  TradingFixture,
} from '@test/fixtures/trading.fixture';

const quoteUsedAt = (id: string) =>
  withDb(
    async (db) => (await db.query(`SELECT "usedAt" FROM quotes WHERE id = $1`, [id])).rows[0]?.usedAt ?? null,
  );

describe('POST /orders checks and cancellation', () => {
  let stack: RunningStack;
  let fx: TradingFixture;
  let p: CreatedPartner;

  before(async () => {
    stack = await startStack({ env: { RECONCILE_INTERVAL_MS: '3600000' } });
    fx = new TradingFixture(stack);
    p = fx.track(await stack.admin.createPartner({ tier: 'GROWTH' }));
    await fx.approvedDefaultMerchant(p.partner.id);
  });
  after(async () => {
    await fx.closeOut();
    await stack.close();
  });

  test('bad input on every field → VALIDATION_ERROR or INVALID_CLABE, and nothing is stored', async () => {
    const user = await fx.user(p.apiKey, p.partner.id);
    const quote = await fx.quote(p.apiKey, p.partner.id, user, { amount: 10 });
    const good = { quoteId: quote.id, partnerUserRef: user.partnerUserRef, sellerClabe: GOOD_CLABE };
    const before = await countOrders(p.partner.id);
    const cases: Array<[unknown, string]> = [
      [{}, 'VALIDATION_ERROR'],
      [{ ...good, quoteId: undefined }, 'VALIDATION_ERROR'],
      [{ ...good, quoteId: 123 }, 'VALIDATION_ERROR'],
      [{ ...good, quoteId: '' }, 'VALIDATION_ERROR'],
      [{ ...good, quoteId: 'has space' }, 'VALIDATION_ERROR'],
      [{ ...good, quoteId: 'q'.repeat(65) }, 'VALIDATION_ERROR'],
      [{ ...good, partnerUserRef: undefined }, 'VALIDATION_ERROR'],
      [{ ...good, partnerUserRef: null }, 'VALIDATION_ERROR'],
      [{ ...good, partnerUserRef: 42 }, 'VALIDATION_ERROR'],
      [{ ...good, partnerUserRef: '' }, 'VALIDATION_ERROR'],
      [{ ...good, partnerUserRef: 'a\u0001b' }, 'VALIDATION_ERROR'],
      [{ ...good, partnerUserRef: 'r'.repeat(256) }, 'VALIDATION_ERROR'],
      [{ ...good, sellerClabe: undefined }, 'VALIDATION_ERROR'],
      [{ ...good, sellerClabe: 12345678901234568 }, 'VALIDATION_ERROR'],
      [{ ...good, sellerClabe: '' }, 'VALIDATION_ERROR'],
      [{ ...good, sellerClabe: '0'.repeat(65) }, 'VALIDATION_ERROR'],
      [{ ...good, sellerClabe: '012345678901234567' }, 'INVALID_CLABE'], // the docs' example: bad check digit
      [{ ...good, sellerClabe: '01234567890123456' }, 'INVALID_CLABE'],
      [{ ...good, sellerClabe: '0123456789012345688' }, 'INVALID_CLABE'],
      [{ ...good, sellerClabe: '01234567890123456A' }, 'INVALID_CLABE'],
      [{ ...good, sellerClabe: '555345678901234564' }, 'INVALID_CLABE'], // check digit ok, no such bank
      [{ ...good, extra: 1 }, 'VALIDATION_ERROR'],
      [[good], 'VALIDATION_ERROR'],
    ];
    for (const [body, code] of cases) {
      const res = await fx.order(p.apiKey, body);
      assert.equal(res.status, 400, `${JSON.stringify(body)} → ${res.text}`);
      assert.equal(res.body.error, code, JSON.stringify(body));
      assert.equal(typeof res.body.message, 'string');
    }
    const malformed = await http('POST', `${stack.api.url}/api/v1/orders`, {
      headers: { 'x-api-key': p.apiKey, 'content-type': 'application/json' },
      rawBody: '{"quoteId":',
    });
    assert.equal(malformed.status, 400);
    assert.equal(malformed.body.error, 'VALIDATION_ERROR');
    const clabe = await fx.order(p.apiKey, { ...good, sellerClabe: '012345678901234567' });
    assert.deepEqual(clabe.body.details, [{ field: 'sellerClabe', problem: 'checksum' }]);

    assert.equal(await countOrders(p.partner.id), before);
    assert.equal(await quoteUsedAt(quote.id), null, 'the quote is still usable');
    assert.equal((await fx.order(p.apiKey, good)).status, 201);
  });

  test('checks run in order: CLABE before quote, quote errors in the documented order', async () => {
    const user = await fx.user(p.apiKey, p.partner.id);
    const other = await fx.user(p.apiKey, p.partner.id);
    const quote = await fx.quote(p.apiKey, p.partner.id, user, { amount: 5 });
    const body = { quoteId: quote.id, partnerUserRef: user.partnerUserRef, sellerClabe: GOOD_CLABE };
    const expect = async (b: unknown, status: number, code: string) => {
      const res = await fx.order(p.apiKey, b);
      assert.equal(res.status, status, res.text);
      assert.equal(res.body.error, code);
    };
    await expect({ ...body, quoteId: 'qt_nope', sellerClabe: '012345678901234567' }, 400, 'INVALID_CLABE');
    await expect({ ...body, quoteId: 'qt_doesnotexist' }, 404, 'INVALID_QUOTE');
    await expect({ ...body, partnerUserRef: other.partnerUserRef }, 400, 'QUOTE_USER_MISMATCH');
    await expect({ ...body, partnerUserRef: 'nobody-with-this-ref' }, 400, 'QUOTE_USER_MISMATCH');
    assert.equal((await fx.order(p.apiKey, body)).status, 201);
    await expect(body, 409, 'QUOTE_USED');
    await expect({ ...body, partnerUserRef: other.partnerUserRef }, 400, 'QUOTE_USER_MISMATCH');

    const stale = await fx.quote(p.apiKey, p.partner.id, user, { amount: 5 });
    await expireQuote(stale.id);
    await expect({ ...body, quoteId: stale.id }, 410, 'QUOTE_EXPIRED');
    assert.equal(await quoteUsedAt(stale.id), null);
  });

  test('VOLUME_LIMIT_EXCEEDED: daily and monthly gross incl. this order; cancelled orders stop counting', async () => {
    // 100 USDT ≈ 1991 MXN at the simulator's rate.
    const daily = await fx.partnerWithAccount('0', { limits: { dailyVolumeMxn: 3000 } });
    const u = await fx.user(daily.apiKey, daily.partner.id);
    const order = async (apiKey: string, partnerId: string, user: typeof u) => {
      const q = await fx.quote(apiKey, partnerId, user, { amount: 100 });
      return {
        q,
        res: await fx.order(apiKey, {
          quoteId: q.id,
          partnerUserRef: user.partnerUserRef,
          sellerClabe: GOOD_CLABE,
        }),
      };
    };
    const first = await order(daily.apiKey, daily.partner.id, u);
    assert.equal(first.res.status, 201);
    const second = await order(daily.apiKey, daily.partner.id, u);
    assert.equal(second.res.status, 403, second.res.text);
    assert.equal(second.res.body.error, 'VOLUME_LIMIT_EXCEEDED');
    assert.equal(second.res.body.details.scope, 'daily');
    assert.equal(await quoteUsedAt(second.q.id), null, 'a refused order leaves its quote unused');
    assert.equal((await fx.post(daily.apiKey, `/api/v1/orders/${first.res.body.id}/cancel`)).status, 200);
    const retry = await fx.order(daily.apiKey, {
      quoteId: second.q.id,
      partnerUserRef: u.partnerUserRef,
      sellerClabe: GOOD_CLABE,
    });
    assert.equal(retry.status, 201, retry.text);

    const monthly = await fx.partnerWithAccount('0', {
      limits: { monthlyVolumeMxn: 1000, dailyVolumeMxn: null },
    });
    const mu = await fx.user(monthly.apiKey, monthly.partner.id);
    const m = await order(monthly.apiKey, monthly.partner.id, mu);
    assert.equal(m.res.status, 403);
    assert.equal(m.res.body.error, 'VOLUME_LIMIT_EXCEEDED');
    assert.equal(m.res.body.details.scope, 'monthly');

    // Volume is checked before KYC.
    const both = await fx.partnerWithAccount('0', { limits: { dailyVolumeMxn: 1000 } });
    const bu = await fx.user(both.apiKey, both.partner.id);
    const bq = await fx.quote(both.apiKey, both.partner.id, bu, { amount: 2000 });
    const b = await fx.order(both.apiKey, {
      quoteId: bq.id,
      partnerUserRef: bu.partnerUserRef,
      sellerClabe: GOOD_CLABE,
    });
    assert.equal(b.body.error, 'VOLUME_LIMIT_EXCEEDED');
  });

  test('KYC_REQUIRED above 32,000 MXN a month per user unless approved (or attested with PARTNER_MANAGED)', async () => {
    const gw = await fx.partnerWithAccount('0');
    const user = await fx.user(gw.apiKey, gw.partner.id);
    const big = await fx.quote(gw.apiKey, gw.partner.id, user, { amount: 1700 }); // ≈ 33,847 MXN
    const body = { quoteId: big.id, partnerUserRef: user.partnerUserRef, sellerClabe: GOOD_CLABE };
    const refused = await fx.order(gw.apiKey, body);
    assert.equal(refused.status, 403, refused.text);
    assert.equal(refused.body.error, 'KYC_REQUIRED');
    assert.equal(await quoteUsedAt(big.id), null);

    // Cumulative: 1000 USDT passes, 700 more crosses the threshold.
    const u2 = await fx.user(gw.apiKey, gw.partner.id);
    const q1 = await fx.quote(gw.apiKey, gw.partner.id, u2, { amount: 1000 });
    assert.equal(
      (await fx.order(gw.apiKey, { ...body, quoteId: q1.id, partnerUserRef: u2.partnerUserRef })).status,
      201,
    );
    const q2 = await fx.quote(gw.apiKey, gw.partner.id, u2, { amount: 700 });
    const r2 = await fx.order(gw.apiKey, { ...body, quoteId: q2.id, partnerUserRef: u2.partnerUserRef });
    assert.equal(r2.body.error, 'KYC_REQUIRED');

    // An attestation does not count for a GATEWAY_MANAGED partner; TruBit-approved KYC does.
    await setUserKyc(user.id, 'NOT_REQUIRED', { level: 'FULL', provider: 'x', reference: 'y' });
    assert.equal((await fx.order(gw.apiKey, body)).body.error, 'KYC_REQUIRED');
    await setUserKyc(user.id, 'APPROVED');
    assert.equal((await fx.order(gw.apiKey, body)).status, 201);

    const pm = await fx.partnerWithAccount('0', { kycModel: 'PARTNER_MANAGED' });
    const attested = await fx.user(pm.apiKey, pm.partner.id);
    await setUserKyc(attested.id, 'NOT_REQUIRED', { level: 'FULL', provider: 'acme', reference: 'r-1' });
    const aq = await fx.quote(pm.apiKey, pm.partner.id, attested, { amount: 1700 });
    const ok = await fx.order(pm.apiKey, {
      quoteId: aq.id,
      partnerUserRef: attested.partnerUserRef,
      sellerClabe: GOOD_CLABE,
    });
    assert.equal(ok.status, 201, ok.text);
    const plain = await fx.user(pm.apiKey, pm.partner.id);
    const pq = await fx.quote(pm.apiKey, pm.partner.id, plain, { amount: 1700 });
    const no = await fx.order(pm.apiKey, {
      quoteId: pq.id,
      partnerUserRef: plain.partnerUserRef,
      sellerClabe: GOOD_CLABE,
    });
    assert.equal(no.body.error, 'KYC_REQUIRED');
  });

  test('cancel: only while waiting for funds; CANCELLED with its event; then ORDER_NOT_CANCELLABLE', async () => {
    const unfunded = await fx.partnerWithAccount('0');
    const user = await fx.user(unfunded.apiKey, unfunded.partner.id);
    const q = await fx.quote(unfunded.apiKey, unfunded.partner.id, user, { amount: 20 });
    const created = await fx.order(unfunded.apiKey, {
      quoteId: q.id,
      partnerUserRef: user.partnerUserRef,
      sellerClabe: GOOD_CLABE,
    });
    assert.equal(created.status, 201);
    assert.equal(created.body.status, 'PENDING_DEPOSIT');

    const cancelled = await fx.post(unfunded.apiKey, `/api/v1/orders/${created.body.id}/cancel`);
    assert.equal(cancelled.status, 200, cancelled.text);
    assert.equal(cancelled.body.status, 'CANCELLED');
    const detail = await fx.get(unfunded.apiKey, `/api/v1/orders/${created.body.id}`);
    assert.deepEqual(
      detail.body.timeline.map((t: any) => [t.event, t.sequence, t.data.status]),
      [
        ['order.created', 1, 'PENDING_DEPOSIT'],
        ['order.cancelled', 2, 'CANCELLED'],
      ],
    );
    const again = await fx.post(unfunded.apiKey, `/api/v1/orders/${created.body.id}/cancel`);
    assert.equal(again.status, 409);
    assert.equal(again.body.error, 'ORDER_NOT_CANCELLABLE');
    const row = await fx.row(created.body.id);
    assert.equal(row.submission, 'NOT_SUBMITTED');
    assert.equal(Number(row.reservedQuantity), 0);

    // An order already at TruBit cannot be cancelled.
    const u = await fx.user(p.apiKey, p.partner.id);
    const sq = await fx.quote(p.apiKey, p.partner.id, u, { amount: 3 });
    const sent = await fx.order(p.apiKey, {
      quoteId: sq.id,
      partnerUserRef: u.partnerUserRef,
      sellerClabe: GOOD_CLABE,
    });
    await fx.waitFor(sent.body.id, (r) => r.submission === 'SUBMITTED');
    const refused = await fx.post(p.apiKey, `/api/v1/orders/${sent.body.id}/cancel`);
    assert.equal(refused.status, 409);
    assert.equal(refused.body.error, 'ORDER_NOT_CANCELLABLE');
    assert.equal((await fx.post(p.apiKey, `/api/v1/orders/ord_nope/cancel`)).body.error, 'NOT_FOUND');
  });

  test('a funded order cancelled before it is sent is never sent', async () => {
    // Funded account whose default merchant is not approved yet: the order waits in QUEUED.
    const funded = await fx.partnerWithAccount('500');
    const user = await fx.user(funded.apiKey, funded.partner.id);
    const q = await fx.quote(funded.apiKey, funded.partner.id, user, { amount: 10 });
    const created = await fx.order(funded.apiKey, {
      quoteId: q.id,
      partnerUserRef: user.partnerUserRef,
      sellerClabe: GOOD_CLABE,
    });
    assert.equal(created.status, 201);
    const queued = await fx.row(created.body.id);
    assert.equal(queued.submission, 'QUEUED');
    assert.equal(
      new Decimal(queued.reservedQuantity).toFixed(4),
      new Decimal(queued.sellQuantity).toFixed(4),
    );
    const cancelled = await fx.post(funded.apiKey, `/api/v1/orders/${created.body.id}/cancel`);
    assert.equal(cancelled.status, 200, cancelled.text);
    const row = await fx.row(created.body.id);
    assert.equal(row.status, 'CANCELLED');
    assert.equal(Number(row.reservedQuantity), 0, 'the reservation is released');

    await fx.approvedDefaultMerchant(funded.partner.id);
    await stack.worker!.get(SubmissionQueue).enqueue(created.body.id, 5);
    await sleep(500);
    const { orders } = await stack.simControl('GET', `/orders?apiKey=${funded.trubit.apiKey}`);
    assert.equal(orders.length, 0, 'no TruBit order for a cancelled order');
    assert.equal((await fx.row(created.body.id)).submission, 'NOT_SUBMITTED');
  });
});

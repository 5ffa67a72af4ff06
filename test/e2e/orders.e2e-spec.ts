import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import Decimal from 'decimal.js';
import { OrderTransitionService } from '@app/modules/orders/transitions/order-transition.service';
import { defaultMerchantName } from '@app/modules/orders/submission/merchant.provisioner';
import { FundingAccounts } from '@app/modules/funding/accounts/funding-accounts';
import { CreatedPartner } from '@test/support/admin-client';
import { RunningStack, startStack } from '@test/support/stack-harness';
import { withDb } from '@test/support/db';
import { http } from '@test/support/http';
import { GOOD_CLABE, TradingFixture } from '@test/fixtures/trading.fixture';

const quoteUsedAt = (id: string) =>
  withDb(
    async (db) => (await db.query(`SELECT "usedAt" FROM quotes WHERE id = $1`, [id])).rows[0]?.usedAt ?? null,
  );

describe('orders: user → quote → order → TruBit → COMPLETED', () => {
  let stack: RunningStack;
  let fx: TradingFixture;
  let p: CreatedPartner;

  before(async () => {
    // Reconciliation stays out of the way: these tests drive every TruBit status themselves.
    stack = await startStack({ env: { RECONCILE_INTERVAL_MS: '3600000' } });
    fx = new TradingFixture(stack);
    p = fx.track(await stack.admin.createPartner({ tier: 'GROWTH' }));
  });
  after(async () => {
    await fx.closeOut();
    await stack.close();
  });

  test('happy path on the operator account, through the default merchant, to COMPLETED with a 5-event timeline', async () => {
    const user = await fx.user(p.apiKey, p.partner.id);
    const quote = await fx.quote(p.apiKey, p.partner.id, user, {
      amount: 100,
      feePercent: 1.5,
      feeRecipient: 'PARTNER',
    });
    const res = await fx.order(p.apiKey, {
      quoteId: quote.id,
      partnerUserRef: user.partnerUserRef,
      sellerClabe: GOOD_CLABE,
    });
    assert.equal(res.status, 201, res.text);
    const o = res.body;
    assert.match(o.id, /^ord_/);
    assert.equal(o.status, 'PENDING_DEPOSIT');
    assert.equal(o.token, 'USDT');
    assert.equal(o.amount, 100);
    assert.equal(o.amountUsdc, 100);
    assert.equal(o.totalMxn, quote.grossAmountMxn);
    assert.equal(o.netAmountMxn, quote.netAmountMxn);
    assert.equal(o.exchangeRate, quote.exchangeRate);
    assert.equal(o.sellerClabe, GOOD_CLABE);
    assert.equal(o.bankName, 'BBVA Bancomer');
    assert.deepEqual(o.bankAccount, { clabe: GOOD_CLABE, bankCode: '012', bankName: 'BBVA Bancomer' });
    assert.equal(o.amlRiskLevel, 'LOW');
    assert.equal(o.deposit, undefined, 'the operator account is funded');
    const created = Date.parse(o.createdAt);
    assert.equal(Date.parse(o.expiresAt) - created, 60 * 60_000);
    // Fee split: 20% of the partner's fee to the platform (GROWTH), half-up to the cent.
    const platform = new Decimal(quote.feeAmountMxn)
      .mul(20)
      .div(100)
      .toDecimalPlaces(2, Decimal.ROUND_HALF_UP);
    assert.equal(o.fees.platformFeeMxn, platform.toNumber());
    assert.equal(o.fees.partnerFeeMxn, new Decimal(quote.feeAmountMxn).minus(platform).toNumber());

    // The gateway creates its default merchant at TruBit; KYB approval (auto off) comes from the test.
    const account = await stack.worker!.get(FundingAccounts).forPartner(p.partner.id);
    await fx.approveMerchantNamed(defaultMerchantName(account));
    const row = await fx.waitFor(o.id, (r) => r.submission === 'SUBMITTED', 20_000);
    assert.equal(row.status, 'ACTIVE');
    assert.equal(Number(row.reservedQuantity), 0);
    assert.equal(row.submitAttempts, 1);
    const expectedQty = new Decimal(quote.netAmountMxn)
      .div(quote.exchangeRate)
      .toDecimalPlaces(4, Decimal.ROUND_DOWN);
    assert.equal(new Decimal(row.sellQuantity).toFixed(4), expectedQty.toFixed(4));

    const { orders } = await stack.simControl('GET', `/orders?apiKey=${stack.operator.apiKey}`);
    const atTrubit = orders.filter((x: any) => x.orderId === row.trubitOrderId);
    assert.equal(atTrubit.length, 1);
    assert.equal(atTrubit[0].orderType, 'SELL');
    assert.equal(new Decimal(atTrubit[0].quantity).toFixed(4), expectedQty.toFixed(4));
    assert.equal(String(atTrubit[0].mcId), row.trubitMerchantId);
    assert.equal(String(atTrubit[0].paymentId), row.trubitPaymentId);

    const advanced = await stack.simControl('POST', `/orders/${row.trubitOrderId}/advance`, { status: 60 });
    assert.equal(advanced.orderStatus, '60');
    await stack.worker!.get(OrderTransitionService).applyTrubitStatus({
      trubitOrderId: row.trubitOrderId,
      orderStatus: advanced.orderStatus,
      hasRefund: advanced.hasRefund,
      traclingNumber: advanced.traclingNumber,
      source: 'test',
    });

    const detail = await fx.get(p.apiKey, `/api/v1/orders/${o.id}`);
    assert.equal(detail.status, 200);
    assert.equal(detail.body.status, 'COMPLETED');
    assert.equal(detail.body.trubitOrderId, row.trubitOrderId);
    assert.ok(detail.body.cepTrackingKey, 'SPEI tracking key from TruBit');
    assert.equal(detail.body.cepTrackingKey, advanced.traclingNumber);
    assert.deepEqual(
      detail.body.timeline.map((t: any) => [t.event, t.sequence]),
      [
        ['order.created', 1],
        ['order.active', 2],
        ['order.locked', 3],
        ['order.payment_verified', 4],
        ['order.completed', 5],
      ],
    );
    for (const t of detail.body.timeline) {
      assert.match(t.id, /^evt_/);
      assert.match(t.timestamp, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
      assert.equal(typeof t.data, 'object');
    }
    assert.equal(detail.body.timeline[0].data.status, 'PENDING_DEPOSIT');
    assert.equal(detail.body.timeline[4].data.status, 'COMPLETED');
  });

  test('GET /orders: newest first, filters, paging envelope', async () => {
    const lp = await fx.partnerWithAccount('0');
    const a = await fx.user(lp.apiKey, lp.partner.id);
    const b = await fx.user(lp.apiKey, lp.partner.id);
    const ids: string[] = [];
    for (const u of [a, b, a]) {
      const q = await fx.quote(lp.apiKey, lp.partner.id, u, { amount: 2 });
      const r = await fx.order(lp.apiKey, {
        quoteId: q.id,
        partnerUserRef: u.partnerUserRef,
        sellerClabe: GOOD_CLABE,
      });
      ids.push(r.body.id);
    }
    await fx.post(lp.apiKey, `/api/v1/orders/${ids[0]}/cancel`);

    const all = await fx.get(lp.apiKey, '/api/v1/orders');
    assert.equal(all.status, 200);
    assert.deepEqual(Object.keys(all.body).sort(), ['hasMore', 'limit', 'offset', 'orders', 'total']);
    assert.deepEqual(
      all.body.orders.map((o: any) => o.id),
      [...ids].reverse(),
    );
    assert.equal(all.body.total, 3);
    assert.equal(all.body.hasMore, false);
    assert.equal(all.body.orders[0].timeline, undefined);

    const paged = await fx.get(lp.apiKey, '/api/v1/orders?limit=2&offset=0');
    assert.deepEqual(
      [paged.body.orders.length, paged.body.total, paged.body.limit, paged.body.hasMore],
      [2, 3, 2, true],
    );
    const page2 = await fx.get(lp.apiKey, '/api/v1/orders?limit=2&offset=2');
    assert.deepEqual(
      page2.body.orders.map((o: any) => o.id),
      [ids[0]],
    );
    assert.equal(page2.body.hasMore, false);

    const byUser = await fx.get(lp.apiKey, `/api/v1/orders?partnerUserRef=${a.partnerUserRef}`);
    assert.deepEqual(
      byUser.body.orders.map((o: any) => o.id),
      [ids[2], ids[0]],
    );
    const byStatus = await fx.get(lp.apiKey, '/api/v1/orders?status=CANCELLED');
    assert.deepEqual(
      byStatus.body.orders.map((o: any) => o.id),
      [ids[0]],
    );
    const both = await fx.get(
      lp.apiKey,
      `/api/v1/orders?status=PENDING_DEPOSIT&partnerUserRef=${a.partnerUserRef}`,
    );
    assert.deepEqual(
      both.body.orders.map((o: any) => o.id),
      [ids[2]],
    );

    for (const bad of ['status=NOPE', 'limit=0', 'limit=101', 'offset=-1', 'limit=abc', 'foo=1']) {
      const res = await fx.get(lp.apiKey, `/api/v1/orders?${bad}`);
      assert.equal(res.status, 400, bad);
      assert.equal(res.body.error, 'VALIDATION_ERROR', bad);
    }
  });

  test('tenant isolation: another partner cannot see, cancel or use what is not theirs', async () => {
    const a = await fx.partnerWithAccount('0');
    const b = await fx.partnerWithAccount('0');
    const ua = await fx.user(a.apiKey, a.partner.id);
    const qa = await fx.quote(a.apiKey, a.partner.id, ua, { amount: 2 });
    const oa = await fx.order(a.apiKey, {
      quoteId: qa.id,
      partnerUserRef: ua.partnerUserRef,
      sellerClabe: GOOD_CLABE,
    });
    assert.equal(oa.status, 201);

    const get = await fx.get(b.apiKey, `/api/v1/orders/${oa.body.id}`);
    assert.equal(get.status, 404);
    assert.equal(get.body.error, 'NOT_FOUND');
    const unknown = await fx.get(b.apiKey, '/api/v1/orders/ord_doesnotexist');
    assert.deepEqual([unknown.status, unknown.body.error], [404, 'NOT_FOUND']);
    const cancel = await fx.post(b.apiKey, `/api/v1/orders/${oa.body.id}/cancel`);
    assert.deepEqual([cancel.status, cancel.body.error], [404, 'NOT_FOUND']);
    assert.equal((await fx.row(oa.body.id)).status, 'PENDING_DEPOSIT');
    const list = await fx.get(b.apiKey, '/api/v1/orders');
    assert.equal(list.body.total, 0);
    const byRef = await fx.get(b.apiKey, `/api/v1/orders?partnerUserRef=${ua.partnerUserRef}`);
    assert.equal(byRef.body.total, 0);

    // B using A's quote (even with the right ref) → INVALID_QUOTE, and A's quote stays usable.
    const ub = await fx.user(b.apiKey, b.partner.id, ua.partnerUserRef);
    const qa2 = await fx.quote(a.apiKey, a.partner.id, ua, { amount: 2 });
    const steal = await fx.order(b.apiKey, {
      quoteId: qa2.id,
      partnerUserRef: ub.partnerUserRef,
      sellerClabe: GOOD_CLABE,
    });
    assert.deepEqual([steal.status, steal.body.error], [404, 'INVALID_QUOTE']);
    assert.equal(await quoteUsedAt(qa2.id), null);
  });

  test('admin: every partner, filters, and the TruBit side of one order', async () => {
    const noAuth = await http('GET', `${stack.api.url}/admin/v1/orders`);
    assert.deepEqual([noAuth.status, noAuth.body.error], [401, 'UNAUTHORIZED']);
    const partnerKey = await http('GET', `${stack.api.url}/admin/v1/orders`, {
      headers: { 'x-api-key': p.apiKey },
    });
    assert.equal(partnerKey.status, 401);

    const all = await stack.admin.get('/admin/v1/orders?limit=100');
    assert.equal(all.status, 200);
    assert.ok(all.body.total >= 5);
    assert.ok(new Set(all.body.orders.map((o: any) => o.partnerId)).size >= 2, 'orders of several partners');
    const mine = await stack.admin.get(`/admin/v1/orders?partnerId=${p.partner.id}&submission=SUBMITTED`);
    assert.ok(mine.body.orders.length >= 1);
    for (const o of mine.body.orders) {
      assert.equal(o.partnerId, p.partner.id);
      assert.equal(o.submission, 'SUBMITTED');
    }
    const completed = await stack.admin.get(`/admin/v1/orders?partnerId=${p.partner.id}&status=COMPLETED`);
    const id = completed.body.orders.at(-1).id;
    const detail = await stack.admin.get(`/admin/v1/orders/${id}`);
    assert.equal(detail.status, 200);
    assert.equal(detail.body.status, 'COMPLETED');
    assert.equal(detail.body.trubitStatus, 60);
    assert.match(detail.body.trubitSeenAt, /Z$/);
    assert.equal(detail.body.submission, 'SUBMITTED');
    assert.equal(detail.body.submitAttempts, 1);
    assert.match(detail.body.trubitOrderId, /^\d+$/);
    assert.ok(detail.body.trubitMerchantId);
    assert.equal(detail.body.timeline.length, 5);
    assert.equal((await stack.admin.get('/admin/v1/orders/ord_nope')).status, 404);
    assert.equal((await stack.admin.get('/admin/v1/orders?submission=NOPE')).status, 400);
  });
});

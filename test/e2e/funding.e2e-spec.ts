import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import Decimal from 'decimal.js';
import { RunningStack, startStack } from '@test/support/stack-harness';
import { GOOD_CLABE, TradingFixture } from '@test/fixtures/trading.fixture';

describe('funding: balances, deposit address, PENDING_DEPOSIT until the account can pay', () => {
  let stack: RunningStack;
  let fx: TradingFixture;

  before(async () => {
    stack = await startStack({ env: { RECONCILE_INTERVAL_MS: '3600000' } });
    fx = new TradingFixture(stack);
  });
  after(async () => {
    await fx.closeOut();
    await stack.close();
  });

  const placeFor = async (p: { apiKey: string; partner: { id: string } }, amount: number) => {
    const user = await fx.user(p.apiKey, p.partner.id);
    const q = await fx.quote(p.apiKey, p.partner.id, user, { amount });
    const res = await fx.order(p.apiKey, {
      quoteId: q.id,
      partnerUserRef: user.partnerUserRef,
      sellerClabe: GOOD_CLABE,
    });
    assert.equal(res.status, 201, res.text);
    return res.body;
  };

  test('an unfunded own account: PENDING_DEPOSIT with deposit instructions, funded by the watcher after a deposit', async () => {
    const p = await fx.partnerWithAccount('0');
    const o = await placeFor(p, 50);
    assert.equal(o.status, 'PENDING_DEPOSIT');
    const row = await fx.row(o.id);
    assert.equal(row.submission, 'NOT_SUBMITTED');
    assert.equal(o.deposit.token, 'USDT');
    assert.equal(o.deposit.chain, 'TRC20');
    assert.match(o.deposit.address, /^T[1-9A-HJ-NP-Za-km-z]{33}$/);
    assert.equal(new Decimal(o.deposit.amount).toFixed(4), new Decimal(row.sellQuantity).toFixed(4));
    const address = await fx.get(p.apiKey, '/api/v1/deposit-address?token=USDT&chain=TRC20');
    assert.equal(address.body.address, o.deposit.address, 'the same address GET /deposit-address gives');

    await fx.tick();
    assert.equal((await fx.row(o.id)).submission, 'NOT_SUBMITTED', 'still nothing to fund it with');

    await stack.simControl('POST', `/accounts/${p.trubit.apiKey}/deposit`, { asset: 'USDT', amount: '60' });
    const pass = await fx.tick();
    assert.ok(pass.funded >= 1);
    const funded = await fx.row(o.id);
    assert.ok(['QUEUED', 'SUBMITTING', 'SUBMITTED'].includes(funded.submission), funded.submission);
    assert.ok(funded.fundedAt);

    await fx.approvedDefaultMerchant(p.partner.id);
    const sent = await fx.waitFor(o.id, (r) => r.submission === 'SUBMITTED', 20_000);
    assert.equal(sent.status, 'ACTIVE');
    const atTrubit = await fx.trubitOrders(p.trubit.apiKey);
    assert.equal(atTrubit.length, 1, 'sold on the partner’s own TruBit account');
    assert.equal(atTrubit[0].orderId, sent.trubitOrderId);
    assert.equal(new Decimal(atTrubit[0].quantity).toFixed(4), new Decimal(sent.sellQuantity).toFixed(4));
  });

  test('reservations: two orders cannot take the same funds; balances show reserved and available', async () => {
    const p = await fx.partnerWithAccount('150');
    const first = await placeFor(p, 100); // ≈ 100 USDT sold
    const second = await placeFor(p, 100);
    const r1 = await fx.row(first.id);
    const r2 = await fx.row(second.id);
    assert.equal(r1.submission, 'QUEUED', 'merchant not approved yet: funded and waiting');
    assert.equal(r2.submission, 'NOT_SUBMITTED');
    assert.equal(first.deposit, undefined);
    const missing = new Decimal(r2.sellQuantity).minus(new Decimal(150).minus(r1.reservedQuantity));
    assert.equal(new Decimal(second.deposit.amount).toFixed(4), missing.toFixed(4));

    const balances = await fx.get(p.apiKey, '/api/v1/balances');
    assert.equal(balances.status, 200, balances.text);
    const usdt = balances.body.balances.find((b: any) => b.token === 'USDT');
    assert.deepEqual(Object.keys(usdt).sort(), ['available', 'free', 'locked', 'reserved', 'token', 'total']);
    assert.equal(usdt.total, 150);
    assert.equal(usdt.free, 150);
    assert.equal(usdt.locked, 0);
    assert.equal(new Decimal(usdt.reserved).toFixed(4), new Decimal(r1.reservedQuantity).toFixed(4));
    assert.equal(
      new Decimal(usdt.available).toFixed(4),
      new Decimal(150).minus(r1.reservedQuantity).toFixed(4),
    );

    // Two concurrent watcher passes fund nothing more: the second order does not fit.
    await Promise.all([fx.tick(), fx.tick()]);
    assert.equal((await fx.row(second.id)).submission, 'NOT_SUBMITTED');

    // Once sent, TruBit holds the funds (locked) and the reservation is gone.
    await fx.approvedDefaultMerchant(p.partner.id);
    await fx.waitFor(first.id, (r) => r.submission === 'SUBMITTED', 20_000);
    const afterSend = (await fx.get(p.apiKey, '/api/v1/balances')).body.balances.find(
      (b: any) => b.token === 'USDT',
    );
    // The read may be a moment old; the reservation maths keep it conservative either way.
    assert.ok(new Decimal(afterSend.available).lte(new Decimal(150).minus(r1.sellQuantity).plus('0.0001')));
  });

  test('a burst of concurrent orders funds exactly what the balance covers, in one or more batches', async () => {
    const p = await fx.partnerWithAccount('350');
    const user = await fx.user(p.apiKey, p.partner.id);
    const quotes = await Promise.all(
      Array.from({ length: 10 }, () => fx.quote(p.apiKey, p.partner.id, user, { amount: 100 })),
    );
    const results = await Promise.all(
      quotes.map((q) =>
        fx.order(p.apiKey, { quoteId: q.id, partnerUserRef: user.partnerUserRef, sellerClabe: GOOD_CLABE }),
      ),
    );
    assert.deepEqual(
      results.map((r) => r.status),
      Array(10).fill(201),
      results.map((r) => r.text).join('\n'),
    );
    const rows = await Promise.all(results.map((r) => fx.row(r.body.id)));
    const funded = rows.filter((r) => r.submission === 'QUEUED');
    const each = new Decimal(rows[0].sellQuantity);
    assert.equal(funded.length, new Decimal(350).div(each).floor().toNumber(), 'as many as 350 USDT covers');
    const reserved = funded.reduce((sum, r) => sum.plus(r.reservedQuantity), new Decimal(0));
    assert.ok(reserved.lte(350), `reserved ${reserved.toString()} of 350`);
    for (const r of results) {
      const row = rows.find((x) => x.id === r.body.id)!;
      assert.equal(r.body.status, 'PENDING_DEPOSIT');
      assert.equal(
        r.body.deposit === undefined,
        row.submission === 'QUEUED',
        'deposit instructions iff unfunded',
      );
    }
  });

  test('GET /deposit-address: TruBit address for the account; unsupported token or chain', async () => {
    const p = await stack.admin.createPartner();
    const trc = await fx.get(p.apiKey, '/api/v1/deposit-address?token=USDT&chain=TRC20');
    assert.equal(trc.status, 200, trc.text);
    assert.equal(trc.body.token, 'USDT');
    assert.equal(trc.body.chain, 'TRC20');
    assert.match(trc.body.address, /^T/);
    assert.equal(trc.body.allowDeposit, true);
    const dflt = await fx.get(p.apiKey, '/api/v1/deposit-address');
    assert.deepEqual(dflt.body, trc.body, 'defaults: USDT on TRC20');
    const erc = await fx.get(p.apiKey, '/api/v1/deposit-address?token=usdt&chain=erc20');
    assert.equal(erc.status, 200);
    assert.match(erc.body.address, /^0x[0-9a-fA-F]{40}$/);
    for (const q of ['token=DOGE', 'token=USDT&chain=BEP20', 'token=MMXN&chain=ERC20']) {
      const res = await fx.get(p.apiKey, `/api/v1/deposit-address?${q}`);
      assert.deepEqual([res.status, res.body.error], [400, 'UNSUPPORTED_TOKEN'], q);
    }
    for (const q of ['token=%21%21', 'chain=', 'token=USDT&x=1']) {
      const res = await fx.get(p.apiKey, `/api/v1/deposit-address?${q}`);
      assert.deepEqual([res.status, res.body.error], [400, 'VALIDATION_ERROR'], q);
    }
  });

  test('TruBit down: balances and deposit address answer 503 UPSTREAM_UNAVAILABLE with Retry-After', async () => {
    const p = await fx.partnerWithAccount('10');
    // Faults are global at the simulator: persistent until cleared, so a background watcher pass cannot use it up.
    await stack.simControl('POST', '/faults', { route: 'account', mode: 'error500', persistent: true });
    try {
      const balances = await fx.get(p.apiKey, '/api/v1/balances');
      assert.equal(balances.status, 503, balances.text);
      assert.equal(balances.body.error, 'UPSTREAM_UNAVAILABLE');
      assert.ok(Number(balances.headers.get('retry-after')) >= 1);
    } finally {
      await stack.simControl('DELETE', '/faults');
    }
    assert.equal((await fx.get(p.apiKey, '/api/v1/balances')).status, 200, 'fine again once TruBit answers');

    await stack.simControl('POST', '/faults', {
      route: 'depositAddress',
      mode: 'error500',
      persistent: true,
    });
    try {
      const address = await fx.get(p.apiKey, '/api/v1/deposit-address');
      assert.equal(address.status, 503);
      assert.equal(address.body.error, 'UPSTREAM_UNAVAILABLE');
      assert.ok(Number(address.headers.get('retry-after')) >= 1);
    } finally {
      await stack.simControl('DELETE', '/faults');
    }
  });

  test('a failing balance read never fails order creation: PENDING_DEPOSIT, funded by the watcher later', async () => {
    const p = await fx.partnerWithAccount('1000');
    await stack.simControl('POST', '/faults', { route: 'account', mode: 'error500', persistent: true });
    let o: { id: string; status: string; deposit?: unknown };
    try {
      o = await placeFor(p, 10);
      assert.equal(o.status, 'PENDING_DEPOSIT');
      assert.equal(o.deposit, undefined, 'no deposit instructions when the balance is unknown');
      assert.equal((await fx.row(o.id)).submission, 'NOT_SUBMITTED');
    } finally {
      await stack.simControl('DELETE', '/faults');
    }
    await fx.tick();
    assert.equal((await fx.row(o.id)).submission, 'QUEUED');
  });
});

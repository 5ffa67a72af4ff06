// Chaos: TruBit becomes unreachable for ~30 s (a TCP proxy in front of the simulator goes down, then comes
// back on the same port). Partners must get a fast 503 UPSTREAM_UNAVAILABLE while the circuit is open, orders
// placed meanwhile must wait rather than fail, and afterwards everything must resume on its own: the waiting
// orders submitted, and what TruBit did during the outage (callbacks lost) synced by reconciliation.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { http } from '@test/support/http';
import { startStack, type RunningStack } from '@test/support/stack-harness';
import { eventually, sleep } from '@test/support/timing';
import { GOOD_CLABE, TradingFixture, type TestQuote, type TestUser } from '@test/fixtures/trading.fixture';
import {
  assertCleanTimeline,
  closeLeftoverOrders,
  readOrder,
  simOrders,
} from '@test/fixtures/reconciliation.fixtures';
import { SwitchableProxy } from '@test/fixtures/switchable-proxy';

const OUTAGE_MS = 30_000;

describe('chaos: TruBit down for ~30 s', () => {
  let stack: RunningStack;
  let proxy: SwitchableProxy;
  let fx: TradingFixture;
  let partner: { id: string; apiKey: string };
  let user: TestUser;

  const partnerGet = (path: string) =>
    http('GET', `${stack.api.url}${path}`, { headers: { 'x-api-key': partner.apiKey } });
  const upstreamView = async () =>
    (
      await http('GET', `${stack.api.url}/admin/v1/upstream`, {
        headers: { authorization: `Bearer ${stack.config.admin.token}` },
      })
    ).body;

  before(async () => {
    await closeLeftoverOrders();
    proxy = new SwitchableProxy();
    await proxy.up();
    stack = await startStack({
      env: {
        TRUBIT_BASE_URL: proxy.url,
        TRUBIT_BREAKER_RESET_MS: '2000',
        RECONCILE_INTERVAL_MS: '1000',
        FUNDING_WATCH_INTERVAL_MS: '500',
        EXCHANGE_RATE_CACHE_MS: '500',
      },
    });
    proxy.pointAt(stack.simUrl);
    fx = new TradingFixture(stack);
    const created = await stack.admin.createPartner({ name: 'Chaos outage', tier: 'ENTERPRISE' });
    partner = { id: created.partner.id, apiKey: created.apiKey };
    await fx.approvedDefaultMerchant(partner.id);
    user = await fx.user(partner.apiKey, partner.id);
  });
  after(async () => {
    await stack.close();
    await proxy.down();
  });

  async function placeOrder(quote: TestQuote): Promise<string> {
    const res = await fx.order(partner.apiKey, {
      quoteId: quote.id,
      partnerUserRef: user.partnerUserRef,
      sellerClabe: GOOD_CLABE,
    });
    assert.equal(res.status, 201, res.text);
    assert.equal(res.body.status, 'PENDING_DEPOSIT');
    return res.body.id as string;
  }

  test('fast 503 during the outage; afterwards orders are submitted and states synced', async () => {
    // Before: three orders live at TruBit.
    const live: string[] = [];
    for (const amount of [21, 22, 23])
      live.push(await placeOrder(await fx.quote(partner.apiKey, partner.id, user, { amount })));
    const trubitIds: string[] = [];
    for (const id of live)
      trubitIds.push((await fx.waitFor(id, (r) => r.status === 'ACTIVE', 20_000)).trubitOrderId);
    // Quotes for orders placed during the outage (quoting itself needs TruBit).
    const laterQuotes: TestQuote[] = [];
    for (const amount of [31, 32, 33])
      laterQuotes.push(await fx.quote(partner.apiKey, partner.id, user, { amount }));
    assert.equal((await partnerGet('/api/v1/balances')).status, 200);
    assert.equal((await upstreamView()).circuit.state, 'CLOSED');

    // TruBit goes away; whatever it does meanwhile, it cannot tell us (its callbacks are lost too).
    await stack.simControl('POST', '/callbacks', { mode: 'drop' });
    await proxy.down();
    const downAt = Date.now();

    // Balances are served from a read at most 1 s old: after that, TruBit is needed.
    assert.ok(await eventually(async () => (await partnerGet('/api/v1/balances')).status === 503, 5000));
    for (let i = 0; i < 10; i++) {
      const res = await partnerGet('/api/v1/balances');
      assert.equal(res.status, 503, res.text);
      assert.equal(res.body.error, 'UPSTREAM_UNAVAILABLE');
      assert.ok(Number(res.headers.get('retry-after')) >= 1);
    }
    const view = await upstreamView();
    assert.equal(view.circuit.state, 'OPEN', JSON.stringify(view.circuit));
    assert.ok(view.errorRate > 0.5);
    assert.ok(
      await eventually(
        async () => (await partnerGet('/api/v1/exchange-rate?token=USDT')).status === 503,
        10_000,
      ),
      'exchange rate unavailable once its short cache is gone',
    );

    // New orders are still accepted: they wait for funds to be confirmed instead of failing.
    const waiting: string[] = [];
    for (const q of laterQuotes) waiting.push(await placeOrder(q));

    // Meanwhile TruBit finishes, cancels and locks the live orders.
    await stack.simControl('POST', `/orders/${trubitIds[0]}/advance`, { status: 60 });
    await stack.simControl('POST', `/orders/${trubitIds[1]}/advance`, { status: 70 });
    await stack.simControl('POST', `/orders/${trubitIds[2]}/advance`, { status: 40 });

    await sleep(Math.max(0, OUTAGE_MS - (Date.now() - downAt)));
    // Nothing got through: no new TruBit order, our view unchanged, waiting orders still waiting.
    assert.equal((await simOrders(stack)).length, 3);
    for (const id of live) assert.equal((await readOrder(id)).status, 'ACTIVE');
    for (const id of waiting) {
      const o = await readOrder(id);
      assert.equal(o.status, 'PENDING_DEPOSIT');
      assert.equal(o.trubitOrderId, null);
    }
    assert.equal((await partnerGet('/api/v1/balances')).status, 503);

    // TruBit is back at the same address.
    await proxy.up();
    await stack.simControl('POST', '/callbacks', { mode: 'normal' });

    const expected = new Map([
      [live[0], 'COMPLETED'],
      [live[1], 'CANCELLED'],
      [live[2], 'LOCKED'],
      ...waiting.map((id) => [id, 'ACTIVE'] as [string, string]),
    ]);
    const recovered = await eventually(
      async () => {
        for (const [id, status] of expected) if ((await readOrder(id)).status !== status) return false;
        return true;
      },
      60_000,
      250,
    );
    const states = await Promise.all([...expected.keys()].map(async (id) => (await readOrder(id)).status));
    assert.ok(recovered, `after recovery: ${states.join(', ')}`);
    assert.ok(await eventually(async () => (await partnerGet('/api/v1/balances')).status === 200, 10_000));
    // The API's own breaker closes on its next successful call (its trial after the reset timeout).
    assert.ok(
      await eventually(async () => {
        const rate = await partnerGet('/api/v1/exchange-rate?token=USDT');
        return rate.status === 200 && (await upstreamView()).circuit.state === 'CLOSED';
      }, 10_000),
    );

    // One TruBit order per partner order, and clean timelines.
    const truth = await simOrders(stack);
    assert.equal(truth.length, 6);
    const linked = await Promise.all(
      [...live, ...waiting].map(async (id) => (await readOrder(id)).trubitOrderId),
    );
    assert.deepEqual(new Set(linked), new Set(truth.map((o) => o.orderId)));
    for (const id of [...live, ...waiting]) await assertCleanTimeline(id);
    assert.ok((await readOrder(live[0])).cepTrackingKey, 'tracking key synced from order/detail');
  });
});

// Every simulator fault mode as the real TrubitClient sees it: the right error class (reads retryable,
// writes "outcome unknown"), the order that exists behind a 500, the outbound limiter pausing after a 429,
// the circuit breaker opening under an outage and closing after recovery, and signed callbacks.
import { after, afterEach, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { Registry } from 'prom-client';
import { createSimulator, type Simulator } from '@sim/simulator';
import { simControl } from '@sim/testing/otc-test.client';
import { merchantBody, payoutBody } from '@sim/testing/otc.fixtures';
import { CallbackReceiver } from '@sim/testing/callback.receiver';
import { TrubitClient } from '@app/modules/trubit/trubit.client';
import {
  TrubitError,
  TrubitRateLimitError,
  TrubitUnavailableError,
  TrubitUnknownOutcomeError,
  TrubitUpstreamError,
} from '@app/modules/trubit/trubit.errors';
import type { TrubitClientOptions } from '@app/modules/trubit/trubit.options';
import type { TrubitAddOrderRequest } from '@app/modules/trubit/trubit.types';
import { verifyTrubitCallback } from '@app/modules/trubit/trubit-callback.verifier';
import { parseTrubitOrderWebhook } from '@app/modules/trubit/trubit-callback.parser';
import { eventually, sleep } from '@test/support/timing';

const KEY = 'flt-key';
const SECRET = 'flt-secret-0123456789';

function clientFor(url: string, overrides: Partial<TrubitClientOptions> = {}): TrubitClient {
  return new TrubitClient(
    {
      baseUrl: url,
      credentials: { apiKey: KEY, apiSecret: SECRET },
      requestTimeoutMs: 1500,
      metricsRegistry: new Registry(),
      ...overrides,
      breaker: { volumeThreshold: 1000, ...overrides.breaker },
      limiter: { maxWaitMs: 0, ...overrides.limiter },
    },
    null,
  );
}

async function rejection(p: Promise<unknown>): Promise<TrubitError> {
  const err = await p.then(
    () => assert.fail('expected a rejection'),
    (e: unknown) => e,
  );
  assert.ok(err instanceof TrubitError, `not a TrubitError: ${String(err)}`);
  return err;
}

/** An approved merchant with a CLABE payout method, through the client: what a SELL order needs. */
async function onboard(c: TrubitClient, url: string): Promise<{ mcId: number; paymentId: number }> {
  const mc = await c.addMerchant(merchantBody(`flt-${randomBytes(4).toString('hex')}`) as any);
  await simControl(url, 'POST', `/merchants/${mc.merchantId}/status`, { status: 2 });
  await c.addPayment({ ...(payoutBody(mc.merchantId) as any), paymentConfigId: 58 });
  const row = (await c.listMerchants()).find((m) => m.id === mc.merchantId)!;
  return { mcId: mc.merchantId, paymentId: row.paymentId! };
}

describe('TrubitClient ↔ simulator: fault modes', () => {
  let sim: Simulator;
  let url: string;
  let client: TrubitClient;
  let seller: { mcId: number; paymentId: number };
  const sell = (quantity: string): TrubitAddOrderRequest => ({
    country: 'Mexico',
    mcId: seller.mcId,
    cryptoCurrency: 'USDT',
    fiatCurrency: 'MXN',
    quantity,
    orderType: 'SELL',
    paymentId: seller.paymentId,
  });
  const simOrders = async (): Promise<Array<{ orderId: string; quantity: string }>> =>
    (await simControl(url, 'GET', '/orders')).body.orders;
  const fault = (body: Record<string, unknown>) => simControl(url, 'POST', '/faults', body);

  before(async () => {
    sim = await createSimulator({
      auto: false,
      accounts: [{ apiKey: KEY, apiSecret: SECRET, balances: { USDT: '1000' } }],
    });
    url = (await sim.listen(0, '127.0.0.1')).url;
    client = clientFor(url, { requestTimeoutMs: 400 });
    seller = await onboard(client, url);
  });
  afterEach(async () => {
    await simControl(url, 'DELETE', '/faults');
  });
  after(async () => {
    await client.close();
    await sim.close();
  });

  test('error500 on a read → TrubitUpstreamError (retryable)', async () => {
    await fault({ route: 'account', mode: 'error500' });
    const err = await rejection(client.getAccount());
    assert.ok(err instanceof TrubitUpstreamError, err.name);
    assert.equal(err.retryable, true);
    assert.equal(err.httpStatus, 500);
    assert.ok((await client.getAccount()).balances.length > 0, 'the next call goes through');
  });

  test('error500 on order/add → TrubitUnknownOutcomeError, and indeed nothing was created', async () => {
    const before = (await simOrders()).length;
    await fault({ route: 'order/add', mode: 'error500' });
    const err = await rejection(client.addOrder(sell('1')));
    assert.ok(err instanceof TrubitUnknownOutcomeError, err.name);
    assert.equal(err.retryable, false);
    assert.equal((await simOrders()).length, before);
  });

  test('error500AfterCommit on order/add → TrubitUnknownOutcomeError although the order exists', async () => {
    const before = await simOrders();
    await fault({ route: 'order/add', mode: 'error500AfterCommit' });
    const err = await rejection(client.addOrder(sell('2.5')));
    assert.ok(err instanceof TrubitUnknownOutcomeError, err.name);
    const after = await simOrders();
    assert.equal(after.length, before.length + 1);
    const created = after.find((o) => !before.some((b) => b.orderId === o.orderId))!;
    assert.equal(created.quantity, '2.5');
    // …and it is findable the way reconciliation looks for it.
    const list = await client.listOrders({ isPending: true, pageSize: 100 });
    assert.ok(list.record.some((r) => r.orderId === created.orderId));
  });

  test('timeout on a write → unknown outcome (nothing sent back, the client gave up)', async () => {
    await fault({ route: 'order/add', mode: 'timeout', ms: 5000 });
    const err = await rejection(client.addOrder(sell('1')));
    assert.ok(err instanceof TrubitUnknownOutcomeError, err.name);
    assert.equal(err.reason, 'timeout');
  });

  test('timeoutAfterCommit on a write → unknown outcome, and the order exists', async () => {
    const before = (await simOrders()).length;
    await fault({ route: 'order/add', mode: 'timeoutAfterCommit', ms: 5000 });
    const err = await rejection(client.addOrder(sell('3')));
    assert.ok(err instanceof TrubitUnknownOutcomeError, err.name);
    assert.equal((await simOrders()).length, before + 1);
  });

  test('the connection dropped without an answer on a write → unknown outcome', async () => {
    const slow = clientFor(url, { requestTimeoutMs: 3000 });
    try {
      await fault({ route: 'order/add', mode: 'timeout', ms: 100 });
      const err = await rejection(slow.addOrder(sell('1')));
      assert.ok(err instanceof TrubitUnknownOutcomeError, `${err.name}: ${err.message}`);
    } finally {
      await slow.close();
    }
  });

  test('timeout on a read → TrubitUpstreamError', async () => {
    await fault({ route: 'order/list', mode: 'timeout', ms: 5000 });
    const err = await rejection(client.listOrders());
    assert.ok(err instanceof TrubitUpstreamError, err.name);
    assert.equal(err.reason, 'timeout');
  });

  test('latency below the timeout is only slower; above it, it is a timeout', async () => {
    await fault({ route: 'account', mode: 'latency', ms: 150 });
    const account = await client.getAccount();
    assert.ok(account.balances.length > 0);
    await fault({ route: 'account', mode: 'latency', ms: 2000 });
    const err = await rejection(client.getAccount());
    assert.ok(err instanceof TrubitUpstreamError, err.name);
    const rules = (await simControl(url, 'GET', '/faults')).body.faults;
    assert.equal(rules.length, 0, 'both latency rules were consumed by the two calls');
  });
});

describe('TrubitClient ↔ simulator: 429 and the outbound limiter', () => {
  let sim: Simulator;
  let url: string;

  before(async () => {
    sim = await createSimulator({ auto: false, accounts: [{ apiKey: KEY, apiSecret: SECRET }] });
    url = (await sim.listen(0, '127.0.0.1')).url;
  });
  after(() => sim.close());

  test('rateLimit → TrubitRateLimitError from upstream; then the key is paused without calling TruBit', async () => {
    const client = clientFor(url, { limiter: { backoff429Ms: 800, maxWaitMs: 0 } });
    try {
      await simControl(url, 'POST', '/faults', { route: 'account', mode: 'rateLimit', persistent: true });
      const first = await rejection(client.getAccount());
      assert.ok(first instanceof TrubitRateLimitError, first.name);
      assert.equal(first.source, 'upstream');
      assert.equal(first.httpStatus, 429);
      assert.equal(first.code, -1003);

      const budget = await client.getBudget();
      assert.ok(budget.backoffRemainingMs > 0, JSON.stringify(budget));

      // Within the pause: refused locally, the simulator sees nothing more.
      const second = await rejection(client.getAccount());
      assert.ok(second instanceof TrubitRateLimitError);
      assert.equal(second.source, 'limiter');
      assert.ok(second.retryAfterMs > 0);
      const hits = (await simControl(url, 'GET', '/faults')).body.faults[0].hits;
      assert.equal(hits, 1, 'only the first call reached the simulator');

      // After the pause (and once TruBit stops limiting) calls flow again.
      await simControl(url, 'DELETE', '/faults');
      assert.ok(await eventually(async () => (await client.getBudget()).backoffRemainingMs === 0, 3000));
      assert.ok((await client.getAccount()).balances);
    } finally {
      await client.close();
    }
  });

  test('a limiter allowed to wait rides out the pause instead of failing', async () => {
    const client = clientFor(url, { limiter: { backoff429Ms: 300, maxWaitMs: 2000 } });
    try {
      await simControl(url, 'POST', '/faults', { route: 'account', mode: 'rateLimit' });
      await rejection(client.getAccount());
      const account = await client.getAccount();
      assert.ok(Array.isArray(account.balances));
    } finally {
      await client.close();
    }
  });
});

describe('TrubitClient ↔ simulator: circuit breaker', () => {
  const breaker = {
    volumeThreshold: 3,
    errorThresholdPercentage: 50,
    resetTimeoutMs: 400,
    rollingCountTimeoutMs: 10_000,
  };

  test('persistent error500: opens, fails fast without reaching TruBit, closes after recovery', async () => {
    const sim = await createSimulator({ auto: false, accounts: [{ apiKey: KEY, apiSecret: SECRET }] });
    const { url } = await sim.listen(0, '127.0.0.1');
    const client = clientFor(url, { breaker });
    try {
      await simControl(url, 'POST', '/faults', { route: '*', mode: 'error500', persistent: true });
      for (let i = 0; i < 3; i++) {
        const err = await rejection(client.getAccount());
        assert.ok(err instanceof TrubitUpstreamError, err.name);
      }
      assert.equal(client.getBreakerState().state, 'OPEN');
      const hitsWhenOpened = (await simControl(url, 'GET', '/faults')).body.faults[0].hits;

      for (let i = 0; i < 5; i++) {
        const err = await rejection(client.getAccount());
        assert.ok(err instanceof TrubitUnavailableError, err.name);
        assert.equal(err.reason, 'breaker_open');
      }
      // Writes fail fast the same way, and "nothing was sent" is the safe class for them.
      const write = await rejection(client.finishOrder({ orderId: '1' }));
      assert.ok(write instanceof TrubitUnavailableError);
      assert.equal((await simControl(url, 'GET', '/faults')).body.faults[0].hits, hitsWhenOpened);

      await simControl(url, 'DELETE', '/faults');
      await sleep(breaker.resetTimeoutMs + 100);
      const account = await client.getAccount();
      assert.ok(Array.isArray(account.balances));
      assert.equal(client.getBreakerState().state, 'CLOSED');
      const stats = client.getBreakerState().stats;
      assert.ok(Number(stats.failures) >= 3, JSON.stringify(stats));
    } finally {
      await client.close();
      await sim.close();
    }
  });

  test('simulator down (connection refused) opens it; the same port back up closes it', async () => {
    const seed = { auto: false, accounts: [{ apiKey: KEY, apiSecret: SECRET, balances: { USDT: '5' } }] };
    let sim = await createSimulator(seed);
    const { url, port } = await sim.listen(0, '127.0.0.1');
    const client = clientFor(url, { breaker });
    try {
      assert.ok((await client.getAccount()).balances.length > 0);
      await sim.close();

      const seen: string[] = [];
      for (let i = 0; i < 4; i++) {
        const err = await rejection(client.getAccount());
        assert.ok(err instanceof TrubitUnavailableError, err.name);
        seen.push(err.reason);
      }
      assert.equal(client.getBreakerState().state, 'OPEN');
      assert.equal(seen.at(-1), 'breaker_open');
      // The first failures really tried (connection refused); once open, nothing is attempted.
      assert.equal(seen[0], 'ECONNREFUSED', seen.join());

      // While open nothing is attempted, even once the server is back: only the reset timer lets a trial through.
      sim = await createSimulator(seed);
      await sim.listen(port, '127.0.0.1');
      const fast = await rejection(client.getAccount());
      assert.ok(fast instanceof TrubitUnavailableError);
      assert.equal(fast.reason, 'breaker_open');

      await sleep(breaker.resetTimeoutMs + 100);
      const account = await client.getAccount();
      assert.equal(account.balances.find((b) => b.asset === 'USDT')?.free, '5');
      assert.equal(client.getBreakerState().state, 'CLOSED');
    } finally {
      await client.close();
      await sim.close();
    }
  });

  test('business errors never open it (TruBit answered: it is healthy)', async () => {
    const sim = await createSimulator({ auto: false, accounts: [{ apiKey: KEY, apiSecret: SECRET }] });
    const { url } = await sim.listen(0, '127.0.0.1');
    const client = clientFor(url, { breaker });
    try {
      for (let i = 0; i < 6; i++) await rejection(client.getOrder({ orderId: '123456789012345678' }));
      assert.equal(client.getBreakerState().state, 'CLOSED');
    } finally {
      await client.close();
      await sim.close();
    }
  });
});

describe('TrubitClient ↔ simulator: callbacks', () => {
  let sim: Simulator;
  let url: string;
  let receiver: CallbackReceiver;

  before(async () => {
    receiver = new CallbackReceiver();
    await receiver.start();
    sim = await createSimulator({ auto: false, callbackRetryMs: [0, 50, 50] });
    url = (await sim.listen(0, '127.0.0.1')).url;
    await simControl(url, 'POST', '/accounts', {
      apiKey: KEY,
      apiSecret: SECRET,
      balances: { USDT: '100' },
      callbackUrl: receiver.url,
    });
  });
  after(async () => {
    await sim.close();
    await receiver.stop();
  });

  test('every status callback verifies with the published key; tampered ones do not', async () => {
    const client = clientFor(url);
    try {
      const seller = await onboard(client, url);
      const { orderId } = await client.addOrder({
        country: 'Mexico',
        mcId: seller.mcId,
        cryptoCurrency: 'USDT',
        fiatCurrency: 'MXN',
        quantity: '4',
        orderType: 'SELL',
        paymentId: seller.paymentId,
      });
      await simControl(url, 'POST', `/orders/${orderId}/advance`, { status: 60 });
      await receiver.waitFor(5);
      const published = (await simControl(url, 'GET', '/public-key')).text.trim();
      assert.equal(published, sim.publicKeyBase64);

      const statuses: string[] = [];
      for (const cb of receiver.received) {
        const signature = String(cb.headers.signature);
        assert.equal(verifyTrubitCallback(cb.raw, signature, published), true);
        const parsed = parseTrubitOrderWebhook(cb.raw);
        assert.equal(parsed.orderId, orderId, 'the big id parsed exactly');
        statuses.push(parsed.orderStatus);

        const tampered = Buffer.from(cb.raw.toString('utf8').replace(`"${parsed.orderStatus}"`, '"80"'));
        assert.notDeepEqual(tampered, cb.raw);
        assert.equal(verifyTrubitCallback(tampered, signature, published), false);
        const flipped = signature.slice(0, -1) + (signature.endsWith('0') ? '1' : '0');
        assert.equal(verifyTrubitCallback(cb.raw, flipped, published), false);
      }
      assert.deepEqual(statuses, ['10', '30', '40', '50', '60']);
      // A key that is not TruBit's rejects them all.
      const other = await createSimulator({ auto: false });
      try {
        const cb = receiver.received[0];
        assert.equal(
          verifyTrubitCallback(cb.raw, String(cb.headers.signature), other.publicKeyBase64),
          false,
        );
      } finally {
        await other.close();
      }
    } finally {
      await client.close();
    }
  });
});

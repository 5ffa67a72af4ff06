// Order-status callbacks: RSA-SHA256 signatures that verify against the published Base64 SPKI key, retries
// until the receiver says SUCCESS, and the drop / duplicate / reorder delivery modes.
import { after, afterEach, before, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createPublicKey, verify } from 'node:crypto';
import { createSimulator, type Simulator } from '@sim/simulator';
import { OtcTestClient, send, simControl } from '@sim/testing/otc-test.client';
import { CallbackReceiver, SUCCESS, eventually } from '@sim/testing/callback.receiver';
import { onboardSeller, sellBody } from '@sim/testing/otc.fixtures';

describe('callbacks', () => {
  let sim: Simulator;
  let url: string;
  let client: OtcTestClient;
  let receiver: CallbackReceiver;
  let seller: { mcId: number; paymentId: number };

  before(async () => {
    receiver = new CallbackReceiver();
    await receiver.start();
    sim = await createSimulator({ auto: false, callbackRetryMs: [0, 30, 30, 30] });
    url = (await sim.listen(0)).url;
    const created = await simControl(url, 'POST', '/accounts', {
      apiKey: 'cb-key',
      apiSecret: 'cb-secret',
      balances: { USDT: '1000' },
      callbackUrl: receiver.url,
    });
    assert.equal(created.body.callbackUrl, receiver.url);
    client = new OtcTestClient(url, 'cb-key', 'cb-secret');
    seller = await onboardSeller(client);
  });
  beforeEach(() => {
    receiver.received.length = 0;
    receiver.responder = SUCCESS;
  });
  afterEach(async () => {
    await simControl(url, 'POST', '/callbacks', { mode: 'normal' });
  });
  after(async () => {
    await sim.close();
    await receiver.stop();
  });

  async function newOrder(quantity = '1'): Promise<string> {
    const res = await client.post('order/add', sellBody(seller.mcId, seller.paymentId, quantity));
    assert.equal(res.status, 200, res.text);
    return res.body.orderId as string;
  }

  async function publishedKey(): Promise<string> {
    const res = await simControl(url, 'GET', '/public-key?format=json');
    return res.body.publicKey as string;
  }

  test('one signed ORDER_WEBHOOK per status change, in order, verifiable with the Base64 SPKI key', async () => {
    const orderId = await newOrder('2');
    await simControl(url, 'POST', `/orders/${orderId}/advance`, { status: 60 });
    await receiver.waitFor(5);
    const key = createPublicKey({
      key: Buffer.from(await publishedKey(), 'base64'),
      format: 'der',
      type: 'spki',
    });
    assert.equal(key.asymmetricKeyDetails?.modulusLength, 2048);
    assert.deepEqual(
      receiver.received.map((c) => c.body.orderStatus),
      ['10', '30', '40', '50', '60'],
    );
    for (const cb of receiver.received) {
      const sig = cb.headers.signature as string;
      assert.match(sig, /^[0-9a-f]{512}$/);
      assert.equal(verify('sha256', cb.raw, key, Buffer.from(sig, 'hex')), true);
      // Any change to the bytes breaks it: the merchant must verify the raw body.
      assert.equal(
        verify('sha256', Buffer.from(JSON.stringify(cb.body, null, 1)), key, Buffer.from(sig, 'hex')),
        false,
      );
      assert.equal(cb.headers['content-type'], 'application/json');
      assert.equal(cb.body.eventType, 'ORDER_WEBHOOK');
      assert.match(cb.body.webhookId, /^[0-9a-f]{32}$/);
      assert.equal(cb.body.orderId, orderId); // a string with every digit
      assert.ok(cb.raw.toString().includes(`"orderId":"${orderId}"`));
      assert.equal(cb.body.merchantId, seller.mcId);
      assert.equal(cb.body.orderType, 'SELL');
      assert.equal(cb.body.cryptoAmount, '2');
      assert.equal(cb.body.fiatAmount, '39.82');
      assert.equal(cb.body.orderAmount, '39.82');
      assert.match(cb.body.createTime, /^\d{13}$/);
      assert.match(cb.body.updateTime, /^\d{13}$/);
    }
    assert.equal(new Set(receiver.received.map((c) => c.body.webhookId)).size, 5);
    assert.match(receiver.received[3].body.traclingNumber, /^\d{8}90706/);
  });

  test('GET /__sim/public-key: bare Base64 text by default, JSON on request; both match simulator.publicKeyBase64', async () => {
    const text = await send('GET', `${url}/__sim/public-key`);
    assert.equal(text.text, sim.publicKeyBase64);
    const json = await send('GET', `${url}/__sim/public-key`, { accept: 'application/json' });
    assert.equal(json.body.publicKey, sim.publicKeyBase64);
    assert.equal(await publishedKey(), sim.publicKeyBase64);
  });

  test('retried until HTTP 200 + {"callbackStatus":"SUCCESS"}: FAIL, 500 and 201+SUCCESS do not count', async () => {
    receiver.responder = (n) =>
      n === 1
        ? { status: 200, body: '{"callbackStatus":"FAIL"}' }
        : n === 2
          ? { status: 500, body: 'oops' }
          : n === 3
            ? { status: 201, body: '{"callbackStatus":"SUCCESS"}' }
            : { status: 200, body: '{"callbackStatus":"SUCCESS"}' };
    const orderId = await newOrder();
    await receiver.waitFor(4);
    await new Promise((r) => setTimeout(r, 100)); // no fifth attempt after SUCCESS
    assert.equal(receiver.received.length, 4);
    assert.equal(new Set(receiver.received.map((c) => c.raw.toString())).size, 1); // same bytes each time
    const log = (await simControl(url, 'GET', `/callbacks/log?orderId=${orderId}`)).body.callbacks;
    assert.equal(log.length, 1);
    assert.equal(log[0].state, 'delivered');
    assert.deepEqual(
      log[0].attempts.map((a: { httpStatus: number }) => a.httpStatus),
      [200, 500, 201, 200],
    );
  });

  test('after the last scheduled attempt the delivery is marked failed', async () => {
    receiver.responder = () => ({ status: 200, body: '{"callbackStatus":"FAIL"}' });
    const orderId = await newOrder();
    await receiver.waitFor(4);
    await eventually(
      async () =>
        (await simControl(url, 'GET', `/callbacks/log?orderId=${orderId}`)).body.callbacks[0].state ===
        'failed',
    );
    await new Promise((r) => setTimeout(r, 80));
    assert.equal(receiver.received.length, 4); // schedule [0, 30, 30, 30] = 4 attempts
  });

  test('drop: nothing is sent, the log says dropped', async () => {
    await simControl(url, 'POST', '/callbacks', { mode: 'drop' });
    const orderId = await newOrder();
    await simControl(url, 'POST', `/orders/${orderId}/advance`, { status: 30 });
    await new Promise((r) => setTimeout(r, 150));
    assert.equal(receiver.received.length, 0);
    const log = (await simControl(url, 'GET', `/callbacks/log?orderId=${orderId}`)).body.callbacks;
    assert.deepEqual(
      log.map((d: { state: string }) => d.state),
      ['dropped', 'dropped'],
    );
  });

  test('duplicate: every callback arrives twice with identical bytes and webhookId', async () => {
    await simControl(url, 'POST', '/callbacks', { mode: 'duplicate' });
    const orderId = await newOrder();
    await simControl(url, 'POST', `/orders/${orderId}/advance`, { status: 30 });
    await receiver.waitFor(4);
    await new Promise((r) => setTimeout(r, 80));
    assert.deepEqual(
      receiver.received.map((c) => c.body.orderStatus),
      ['10', '10', '30', '30'],
    );
    assert.equal(receiver.received[0].raw.toString(), receiver.received[1].raw.toString());
    assert.equal(receiver.received[2].body.webhookId, receiver.received[3].body.webhookId);
  });

  test('reorder: callbacks within the window arrive newest first', async () => {
    const set = await simControl(url, 'POST', '/callbacks', { mode: 'reorder', windowMs: 150 });
    assert.deepEqual(set.body, { mode: 'reorder', windowMs: 150 });
    assert.deepEqual((await simControl(url, 'GET', '/callbacks')).body, set.body);
    const orderId = await newOrder();
    await simControl(url, 'POST', `/orders/${orderId}/advance`, { status: 60 });
    await new Promise((r) => setTimeout(r, 50));
    assert.equal(receiver.received.length, 0); // held
    await receiver.waitFor(5);
    assert.deepEqual(
      receiver.received.map((c) => c.body.orderStatus),
      ['60', '50', '40', '30', '10'],
    );
  });

  test('auto progression emits the same callbacks; the global callbackUrl serves accounts without one', async () => {
    const other = new CallbackReceiver();
    await other.start();
    const auto = await createSimulator({
      auto: true,
      delays: { approveMs: 0, lockMs: 0, payMs: 0, releaseMs: 0, merchantApproveMs: 0 },
      callbackUrl: other.url,
      accounts: [{ apiKey: 'g', apiSecret: 'g-secret', balances: { USDT: '5' } }],
    });
    try {
      const c = new OtcTestClient((await auto.listen(0)).url, 'g', 'g-secret');
      const s = await onboardSeller(c);
      await c.post('order/add', sellBody(s.mcId, s.paymentId, '1'));
      await other.waitFor(5);
      assert.deepEqual(
        other.received.map((cb) => cb.body.orderStatus),
        ['10', '30', '40', '50', '60'],
      );
      const key = createPublicKey({
        key: Buffer.from(auto.publicKeyBase64, 'base64'),
        format: 'der',
        type: 'spki',
      });
      assert.ok(
        other.received.every((cb) =>
          verify('sha256', cb.raw, key, Buffer.from(cb.headers.signature as string, 'hex')),
        ),
      );
      assert.notEqual(auto.publicKeyBase64, sim.publicKeyBase64); // a fresh key pair per simulator
    } finally {
      await auto.close();
      await other.stop();
    }
  });
});

// POST /callbacks/trubit against the real simulator: RSA verification over the raw bytes, the inbox (stored
// before SUCCESS, deduplicated), the worker applying callbacks through the forward-only state machine, and
// the partner webhooks that follow.
import { after, afterEach, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { CallbackSweeper } from '@app/modules/callbacks/callback.sweeper';
import { WaitingCallbacks } from '@app/modules/callbacks/waiting-callbacks.service';
import { startApi } from '@test/support/api-harness';
import { http } from '@test/support/http';
import { RunningStack, startStack } from '@test/support/stack-harness';
import { testConfig } from '@test/support/test-config';
import { eventually } from '@test/support/timing';
import { withDb } from '@test/support/db';
import {
  SimSeller,
  forgerKey,
  inboxRows,
  insertLinkedOrder,
  orderState,
  orderWebhookBody,
  placeSimOrder,
  signHex,
  simSeller,
} from '@test/fixtures/callbacks.fixtures';
import { WebhookReceiver } from '@test/fixtures/webhook-receiver';

describe('TruBit callbacks', () => {
  // The simulator signs with a key we hold, so tests can also craft genuine callbacks.
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const simKeyPem = privateKey.export({ type: 'pkcs1', format: 'pem' }).toString();
  let stack: RunningStack;
  let seller: SimSeller;
  let partnerId: string;
  let receiver: WebhookReceiver;

  const post = (body: string, signature?: string) =>
    http('POST', `${stack.api.url}/callbacks/trubit`, {
      rawBody: body,
      headers: { 'content-type': 'application/json', ...(signature === undefined ? {} : { signature }) },
    });

  /**
   * A sim order plus the gateway order linked to it, recorded as the submitter records it: the id committed,
   * then the callbacks that were waiting for it applied (the sim's callback 10 may arrive before the link).
   */
  async function linkedOrder(): Promise<{ orderId: string; trubitOrderId: string }> {
    const trubitOrderId = await placeSimOrder(stack, seller);
    const orderId = await insertLinkedOrder(partnerId, trubitOrderId);
    await waiting().applyFor(trubitOrderId);
    return { orderId, trubitOrderId };
  }
  const waiting = () => stack.worker!.get(WaitingCallbacks, { strict: false });

  before(async () => {
    receiver = await new WebhookReceiver().start();
    stack = await startStack({ sim: { rsaPrivateKeyPem: simKeyPem } });
    seller = await simSeller(stack);
    partnerId = (await stack.admin.createPartner({ webhookUrl: receiver.url })).partner.id;
  });
  afterEach(async () => {
    await stack.simControl('POST', '/callbacks', { mode: 'normal' });
  });
  after(async () => {
    await stack.close();
    await receiver.stop();
  });

  test('genuine callbacks are stored, answered SUCCESS and applied; the partner gets every event in order', async () => {
    const { orderId, trubitOrderId } = await linkedOrder();
    // Callback 10 raced the link above: applied by the link or by its job, whichever came second.
    assert.ok(await eventually(async () => (await orderState(orderId)).status === 'ACTIVE', 10_000));
    await stack.simControl('POST', `/orders/${trubitOrderId}/advance`, { status: 60 });
    assert.ok(await eventually(async () => (await orderState(orderId)).status === 'COMPLETED', 10_000));

    const state = await orderState(orderId);
    assert.deepEqual(
      state.timeline.map((t) => t.event),
      ['order.active', 'order.locked', 'order.payment_verified', 'order.completed'],
    );
    assert.deepEqual(
      state.timeline.map((t) => t.sequence),
      [1, 2, 3, 4],
    );
    assert.equal(state.trubitStatus, 60);
    assert.match(state.cepTrackingKey ?? '', /90706/); // TruBit's traclingNumber
    assert.ok(state.timeline.every((t) => t.data.source === 'callback'));

    const inbox = await inboxRows(trubitOrderId);
    assert.deepEqual(
      // One row per status (arrival order may differ: the simulator retries a failed attempt on its own timer).
      inbox.map((r) => r.dedupeKey).sort(),
      ['10', '30', '40', '50', '60'].map((s) => `${trubitOrderId}:${s}`),
    );
    assert.ok(
      await eventually(async () => (await inboxRows(trubitOrderId)).every((r) => r.processedAt), 5000),
    );

    assert.ok(
      await eventually(
        async () => receiver.received.filter((r) => r.body?.data?.orderId === orderId).length === 4,
        10_000,
      ),
    );
    const got = receiver.received.filter((r) => r.body.data.orderId === orderId);
    assert.deepEqual(
      got.map((r) => r.body.data.sequence),
      [1, 2, 3, 4],
    );
    assert.deepEqual(
      got.map((r) => r.body.event),
      state.timeline.map((t) => t.event),
    );
    assert.equal(got[3].body.data.status, 'COMPLETED');
    assert.equal(got[3].body.data.trubitOrderId, trubitOrderId);
  });

  test('forged, tampered, unsigned and garbage-signed callbacks: 401 {"callbackStatus":"FAIL"}, nothing stored', async () => {
    const { orderId, trubitOrderId } = await linkedOrder();
    assert.ok(await eventually(async () => (await orderState(orderId)).status === 'ACTIVE', 10_000));
    const before = await inboxRows(trubitOrderId);
    const body = orderWebhookBody(trubitOrderId, '60');
    const genuine = signHex(body, privateKey);
    const cases: Array<[string, string | undefined]> = [
      [body, signHex(body, forgerKey())], // signed with another key
      [body.replace('"60"', '"50"'), genuine], // bytes changed after signing
      [body, undefined], // no signature header
      [body, ''],
      [body, 'zz' + genuine.slice(2)], // not hex
      [body, genuine.slice(0, -2)], // truncated
    ];
    for (const [raw, sig] of cases) {
      const res = await post(raw, sig);
      assert.equal(res.status, 401, `signature ${sig?.slice(0, 10)}`);
      assert.deepEqual(res.body, { callbackStatus: 'FAIL' });
    }
    // Re-serialised JSON does not verify either: the gateway checks the raw bytes.
    const reserialised = JSON.stringify(JSON.parse(body), null, 1);
    assert.equal((await post(reserialised, genuine)).status, 401);

    assert.deepEqual(await inboxRows(trubitOrderId), before);
    assert.equal((await orderState(orderId)).status, 'ACTIVE');
    // …and the genuine one is accepted.
    const ok = await post(body, genuine);
    assert.equal(ok.status, 200);
    assert.deepEqual(ok.body, { callbackStatus: 'SUCCESS' });
    assert.ok(await eventually(async () => (await orderState(orderId)).status === 'COMPLETED', 10_000));
  });

  test('duplicates are stored once and change nothing the second time (simulator duplicate mode + replays)', async () => {
    await stack.simControl('POST', '/callbacks', { mode: 'duplicate' });
    const { orderId, trubitOrderId } = await linkedOrder();
    await stack.simControl('POST', `/orders/${trubitOrderId}/advance`, { status: 40 });
    assert.ok(await eventually(async () => (await orderState(orderId)).status === 'LOCKED', 10_000));
    const body = orderWebhookBody(trubitOrderId, '40');
    for (let i = 0; i < 3; i++) {
      const res = await post(body, signHex(body, privateKey));
      assert.equal(res.status, 200);
      assert.deepEqual(res.body, { callbackStatus: 'SUCCESS' });
    }
    const inbox = await inboxRows(trubitOrderId);
    assert.deepEqual(
      inbox.map((r) => r.orderStatus).sort((a, b) => a - b),
      [10, 30, 40],
    );
    const simLog = async () =>
      (await stack.simControl('GET', `/callbacks/log?orderId=${trubitOrderId}`)).callbacks as Array<{
        state: string;
        orderStatus: string;
        attempts: Array<{ httpStatus: number | null; error: string | null }>;
      }>;
    assert.equal((await simLog()).length, 6); // the simulator did send each twice
    assert.ok(await eventually(async () => (await simLog()).every((d) => d.state === 'delivered'), 5000));
    for (const d of await simLog())
      for (const a of d.attempts.slice(0, -1))
        console.log(`# simulator retried ${d.orderStatus}: first answer ${a.httpStatus ?? a.error}`);
    const state = await orderState(orderId);
    assert.deepEqual(
      state.timeline.map((t) => t.event),
      ['order.active', 'order.locked'],
    );
  });

  test('out-of-order callbacks (simulator reorder mode) never move an order back', async () => {
    const { orderId, trubitOrderId } = await linkedOrder();
    assert.ok(await eventually(async () => (await orderState(orderId)).status === 'ACTIVE', 10_000));
    await stack.simControl('POST', '/callbacks', { mode: 'reorder', windowMs: 150 });
    await stack.simControl('POST', `/orders/${trubitOrderId}/advance`, { status: 60 });
    assert.ok(await eventually(async () => (await inboxRows(trubitOrderId)).length === 5, 10_000));
    assert.ok(
      await eventually(async () => (await inboxRows(trubitOrderId)).every((r) => r.processedAt), 10_000),
    );
    const log = (await stack.simControl('GET', `/callbacks/log?orderId=${trubitOrderId}`)).callbacks;
    const sent = log
      .filter((d: { mode: string }) => d.mode === 'reorder')
      .map((d: { orderStatus: string }) => d.orderStatus);
    assert.deepEqual(sent, ['30', '40', '50', '60']);
    const state = await orderState(orderId);
    assert.equal(state.status, 'COMPLETED');
    assert.deepEqual(
      state.timeline.map((t) => t.event),
      ['order.active', 'order.locked', 'order.payment_verified', 'order.completed'],
    );
    // 60 came first: LOCKED and VERIFIED were walked through (inferred), the late 40/50 changed nothing.
    assert.deepEqual(
      state.timeline.map((t) => t.sequence),
      [1, 2, 3, 4],
    );
  });

  test('a callback for an order we do not know is stored and answered SUCCESS, then applied once its id is recorded', async () => {
    const trubitOrderId = '9' + String(Date.now()).padStart(17, '0');
    const body = orderWebhookBody(trubitOrderId, '40');
    const res = await post(body, signHex(body, privateKey));
    assert.equal(res.status, 200);
    assert.deepEqual(res.body, { callbackStatus: 'SUCCESS' });
    const [row] = await inboxRows(trubitOrderId);
    assert.equal(row.dedupeKey, `${trubitOrderId}:40`);
    assert.equal(row.processedAt, null);
    const orderId = await insertLinkedOrder(partnerId, trubitOrderId, { status: 'ACTIVE' });
    assert.equal(await waiting().applyFor(trubitOrderId), 1);
    assert.equal((await orderState(orderId)).status, 'LOCKED');
  });

  test('a stored callback whose job was never enqueued (crash after commit) is applied by the sweeper', async () => {
    const trubitOrderId = '8' + String(Date.now()).padStart(17, '0');
    const orderId = await insertLinkedOrder(partnerId, trubitOrderId, { status: 'ACTIVE' });
    const body = orderWebhookBody(trubitOrderId, '50', { traclingNumber: '2025010190706SWEEP' });
    await withDb((db) =>
      db.query(
        `INSERT INTO trubit_callbacks ("dedupeKey", "trubitOrderId", "orderStatus", "rawBody", "receivedAt")
         VALUES ($1, $2, 50, $3, now() - interval '1 minute')`,
        [`${trubitOrderId}:50`, trubitOrderId, body],
      ),
    );
    await stack.worker!.get(CallbackSweeper).sweep();
    assert.ok(await eventually(async () => (await orderState(orderId)).status === 'VERIFIED', 10_000));
    assert.equal((await orderState(orderId)).cepTrackingKey, '2025010190706SWEEP');
    assert.ok((await inboxRows(trubitOrderId))[0].processedAt);
  });

  test('without a configured public key every callback is refused', async () => {
    const api = await startApi(testConfig({ TRUBIT_CALLBACK_PUBLIC_KEY: '' }));
    try {
      const body = orderWebhookBody('123', '40');
      const res = await http('POST', `${api.url}/callbacks/trubit`, {
        rawBody: body,
        headers: { 'content-type': 'application/json', signature: signHex(body, privateKey) },
      });
      assert.equal(res.status, 401);
      assert.deepEqual(res.body, { callbackStatus: 'FAIL' });
      assert.deepEqual(await inboxRows('123'), []);
    } finally {
      await api.close();
    }
  });

  test('a signed callback that is not an order callback is acknowledged and not stored', async () => {
    const body = JSON.stringify({ eventType: 'FUNDING_WEBHOOK', txId: 'tx1', orderId: '777', status: 2 });
    const res = await post(body, signHex(body, privateKey));
    assert.equal(res.status, 200);
    assert.deepEqual(res.body, { callbackStatus: 'SUCCESS' });
    assert.deepEqual(await inboxRows('777'), []);
  });
});

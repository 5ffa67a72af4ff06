// Callbacks under fire: the simulator drops, duplicates and reorders its callbacks while forgers send
// signed-looking garbage and stale genuine callbacks are replayed. Every order ends where TruBit's ground
// truth says, no order ever moves backwards, nothing forged is stored, and partners see each order's events
// once each, in sequence. The `drop` group can only converge through reconciliation (another module).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { OrderStatus } from '@app/generated/prisma/enums';
import { WaitingCallbacks } from '@app/modules/callbacks/waiting-callbacks.service';
import { canTransition } from '@app/modules/orders/state/order-state.machine';
import { mapTrubitStatus } from '@app/modules/trubit/trubit-status.mapper';
import { http } from '@test/support/http';
import { RunningStack, startStack } from '@test/support/stack-harness';
import { eventually, sleep } from '@test/support/timing';
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

type Mode = 'normal' | 'duplicate' | 'reorder' | 'drop';
/** Where each order of a group is driven at the simulator (the last step is its final state). */
const PLANS: Array<Array<{ status: number; hasRefund?: number }>> = [
  [{ status: 60 }],
  [{ status: 40 }, { status: 70 }],
  [{ status: 50 }, { status: 70, hasRefund: 1 }],
  [{ status: 80 }],
  [{ status: 30 }, { status: 60 }],
];

describe('chaos: callbacks dropped, duplicated, reordered and forged', () => {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  let stack: RunningStack;
  let seller: SimSeller;
  let receiver: WebhookReceiver;
  let partnerId: string;
  const orders: Array<{ mode: Mode; orderId: string; trubitOrderId: string }> = [];

  before(async () => {
    receiver = await new WebhookReceiver().start();
    stack = await startStack({
      sim: { rsaPrivateKeyPem: privateKey.export({ type: 'pkcs1', format: 'pem' }).toString() },
      env: { RECONCILE_INTERVAL_MS: '1000', WEBHOOK_RETRY_SCHEDULE_MS: '0,200,400,800,1600' },
    });
    seller = await simSeller(stack);
    partnerId = (await stack.admin.createPartner({ webhookUrl: receiver.url })).partner.id;
  });
  after(async () => {
    await stack.simControl('POST', '/callbacks', { mode: 'normal' });
    await stack.close();
    await receiver.stop();
  });

  const postCallback = (body: string, signature: string) =>
    http('POST', `${stack.api.url}/callbacks/trubit`, {
      rawBody: body,
      headers: { 'content-type': 'application/json', signature },
    });

  test('final states equal the ground truth; states only move forward; forgeries change nothing', async () => {
    // Forgers run during the whole scenario: every forged callback must be refused.
    let forging = true;
    const forger = forgerKey();
    let forged = 0;
    const forgery = (async () => {
      while (forging) {
        const target = orders[Math.floor(Math.random() * orders.length)];
        if (target) {
          const body = orderWebhookBody(target.trubitOrderId, ['10', '40', '60', '70', '80'][forged % 5]);
          const res = await postCallback(body, signHex(body, forger));
          assert.equal(res.status, 401);
          assert.deepEqual(res.body, { callbackStatus: 'FAIL' });
          forged++;
        }
        await sleep(5);
      }
    })();

    for (const mode of ['normal', 'duplicate', 'reorder', 'drop'] as Mode[]) {
      await stack.simControl('POST', '/callbacks', { mode, windowMs: 300 });
      const group = await Promise.all(
        PLANS.map(async () => {
          const trubitOrderId = await placeSimOrder(stack, seller);
          // As the submission step leaves an order once order/add answered: ACTIVE, trubitOrderId set.
          const orderId = await insertLinkedOrder(partnerId, trubitOrderId, { status: 'ACTIVE' });
          await stack.worker!.get(WaitingCallbacks, { strict: false }).applyFor(trubitOrderId);
          orders.push({ mode, orderId, trubitOrderId });
          return trubitOrderId;
        }),
      );
      await Promise.all(
        group.map(async (id, i) => {
          for (const step of PLANS[i]) {
            await stack.simControl('POST', `/orders/${id}/advance`, step);
            await sleep(20);
          }
        }),
      );
      await sleep(400); // let a reorder window flush in its own mode
    }
    await stack.simControl('POST', '/callbacks', { mode: 'normal' });

    // Stale but genuine callbacks replayed late (TruBit retrying an old status): harmless.
    for (const o of orders.slice(0, 10)) {
      const body = orderWebhookBody(o.trubitOrderId, '10');
      assert.equal((await postCallback(body, signHex(body, privateKey))).status, 200);
    }

    const truth = async () => {
      const res = await stack.simControl('GET', '/orders');
      return new Map<string, { orderStatus: string; hasRefund: number }>(
        res.orders.map((o: any) => [o.orderId, o]),
      );
    };
    const expected = (t: { orderStatus: string; hasRefund: number }) =>
      mapTrubitStatus(t.orderStatus, t.hasRefund);
    const converged = async (subset: typeof orders) => {
      const gt = await truth();
      for (const o of subset)
        if ((await orderState(o.orderId)).status !== expected(gt.get(o.trubitOrderId)!)) return false;
      return true;
    };
    const delivered = orders.filter((o) => o.mode !== 'drop');
    assert.ok(
      await eventually(() => converged(delivered), 30_000, 250),
      'normal/duplicate/reorder converge via callbacks',
    );
    // Dropped callbacks: only reconciliation (order/list + order/detail polling) can bring these home.
    const allConverged = await eventually(() => converged(orders), 60_000, 500);
    forging = false;
    await forgery;
    if (!allConverged) {
      const gt = await truth();
      for (const o of orders) {
        const s = await orderState(o.orderId);
        const t = gt.get(o.trubitOrderId)!;
        if (s.status !== expected(t))
          console.log(
            `# ${o.mode} ${o.trubitOrderId}: ours ${s.status}/${s.trubitStatus}, TruBit ${t.orderStatus}/${t.hasRefund}`,
          );
      }
    }
    assert.ok(allConverged, 'dropped callbacks converge via reconciliation');
    console.log(`# ${orders.length} orders converged; ${forged} forged callbacks refused`);
    assert.ok(forged > 0);

    const gt = await truth();
    for (const o of orders) {
      const state = await orderState(o.orderId);
      const t = gt.get(o.trubitOrderId)!;
      assert.equal(state.trubitStatus, Number(t.orderStatus), `${o.mode} ${o.trubitOrderId}`);
      // Forward only: 1, 2, 3… and every step allowed by the state machine, from ACTIVE.
      assert.deepEqual(
        state.timeline.map((e) => e.sequence),
        state.timeline.map((_, i) => i + 1),
      );
      let from: OrderStatus = 'ACTIVE';
      for (const e of state.timeline) {
        const to = e.data.status as OrderStatus;
        assert.ok(canTransition(from, to), `${o.mode} ${o.orderId}: ${from} → ${to}`);
        from = to;
      }
      assert.equal(from, state.status);
      // The inbox holds genuine facts only: statuses the order really went through at TruBit.
      const history = new Set(
        (await stack.simControl('GET', `/orders/${o.trubitOrderId}`)).history.map((h: any) => h.status),
      );
      for (const row of await inboxRows(o.trubitOrderId))
        assert.ok(history.has(String(row.orderStatus)), row.dedupeKey);
    }

    // Partners got every event of every order once, in sequence.
    assert.ok(
      await eventually(
        async () => {
          for (const o of orders) {
            const n = (await orderState(o.orderId)).sequence;
            if (receiver.received.filter((r) => r.body?.data?.orderId === o.orderId).length < n) return false;
          }
          return true;
        },
        30_000,
        250,
      ),
    );
    for (const o of orders) {
      const state = await orderState(o.orderId);
      const got = receiver.received.filter((r) => r.body.data.orderId === o.orderId);
      assert.deepEqual(
        got.map((r) => r.body.data.sequence),
        state.timeline.map((e) => e.sequence),
      );
      assert.deepEqual(
        got.map((r) => r.body.event),
        state.timeline.map((e) => e.event),
      );
    }
  });
});

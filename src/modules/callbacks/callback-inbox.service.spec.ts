import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createSign, generateKeyPairSync } from 'node:crypto';
import type { AppConfig } from '@app/config/app-config';
import type { CallbackInboxRepository, NewCallback } from './callback-inbox.repository';
import { CallbackInboxService } from './callback-inbox.service';
import type { CallbackJobs } from './callback.jobs';

const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const config = {
  trubit: { callbackPublicKey: publicKey.export({ type: 'spki', format: 'pem' }).toString() },
} as unknown as AppConfig;

function signed(orderId: string, status = '30') {
  const body = JSON.stringify({ eventType: 'ORDER_WEBHOOK', orderId, orderStatus: status });
  return { raw: Buffer.from(body), signature: createSign('sha256').update(body).sign(privateKey, 'hex') };
}

/** An inbox where every order is known, and a job queue whose addBulk answers only when the test says so. */
function harness() {
  const inbox = {
    storeMany: async (batch: NewCallback[]) =>
      batch.map((c) => ({ id: c.facts.dedupeKey, processed: false, duplicate: false, orderKnown: true })),
    knownOrders: async () => new Set<string>(),
  } as unknown as CallbackInboxRepository;
  const calls: string[][] = [];
  const answers: Array<() => void> = [];
  let inFlight = 0;
  let maxInFlight = 0;
  const jobs = {
    enqueueMany: (ids: string[]) => {
      calls.push(ids);
      maxInFlight = Math.max(maxInFlight, ++inFlight);
      return new Promise<void>((resolve) =>
        answers.push(() => {
          inFlight--;
          resolve();
        }),
      );
    },
  } as unknown as CallbackJobs;
  const service = new CallbackInboxService(config, inbox, jobs);
  const answerNext = async () => {
    answers.shift()?.();
    await new Promise((r) => setImmediate(r));
  };
  return { service, calls, answerNext, maxInFlight: () => maxInFlight };
}

describe('CallbackInboxService dispatch (jobs added after the answer)', () => {
  test('one addBulk at a time; callbacks stored meanwhile go together in the next one', async () => {
    const h = harness();
    const receive = (id: string) => {
      const c = signed(id);
      return h.service.receive(c.raw, c.signature);
    };
    assert.deepEqual(await receive('1'), { callbackStatus: 'SUCCESS' });
    await new Promise((r) => setImmediate(r));
    assert.deepEqual(h.calls, [['1:30']]);

    // Redis is slow: five more callbacks are answered without waiting for it, and no second addBulk starts.
    for (const id of ['2', '3', '4', '5', '6']) await receive(id);
    assert.equal(h.calls.length, 1);

    await h.answerNext();
    assert.equal(h.calls.length, 2);
    assert.deepEqual(h.calls[1].sort(), ['2:30', '3:30', '4:30', '5:30', '6:30']);
    await h.answerNext();
    await h.service.settled();
    assert.equal(h.calls.length, 2, 'nothing left to dispatch');
    assert.equal(h.maxInFlight(), 1);
  });

  test('a bad signature is refused before anything is stored or enqueued', async () => {
    const h = harness();
    const c = signed('7');
    await assert.rejects(
      h.service.receive(
        c.raw,
        c.signature.replace(/^./, (x) => (x === '0' ? '1' : '0')),
      ),
    );
    await h.service.settled();
    assert.deepEqual(h.calls, []);
  });
});

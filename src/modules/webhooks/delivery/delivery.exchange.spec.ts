import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { AppConfig } from '@app/config/app-config';
import type { SecretBox } from '@app/infra/crypto/secret-box.service';
import type { AttemptResult } from './delivery.policy';
import type { DeliveryAttemptsRepository } from './delivery-attempts.repository';
import { DeliveryExchange, type ExchangeAnswer } from './delivery.exchange';
import type { DeliveryScheduler } from './delivery.scheduler';
import { PENDING_DELIVERY as delivery } from './testing/delivery-test.helpers';
import type { WebhookSender } from './webhook.sender';

/** An exchange whose endpoint answers `answer` and whose record waits until the test lets it through. */
function exchangeWith(answer: AttemptResult) {
  let recordStarted!: () => void;
  const recording = new Promise<void>((r) => (recordStarted = r));
  let letRecordFinish!: () => void;
  const recordMayFinish = new Promise<void>((r) => (letRecordFinish = r));
  const repo = {
    recordAttempt: async (
      _rec: unknown,
      maxAttempts: number,
      decide: (after: number, max: number) => unknown,
    ) => {
      recordStarted();
      await recordMayFinish;
      return { decision: decide(1, maxAttempts), attempts: 1 };
    },
  } as unknown as DeliveryAttemptsRepository;
  const config = { webhooks: { retryScheduleMs: [0, 5000], timeoutMs: 10_000 } } as unknown as AppConfig;
  const exchange = new DeliveryExchange(
    config,
    repo,
    { enqueue: async () => undefined } as unknown as DeliveryScheduler,
    { post: async () => answer } as unknown as WebhookSender,
    { decrypt: () => `whsec_${Buffer.from('k'.repeat(32)).toString('base64')}` } as unknown as SecretBox,
  );
  return { exchange, recording, letRecordFinish };
}

describe('delivery exchange', () => {
  test("the partner's slot can go back once the endpoint answered, before the attempt is recorded", async () => {
    const { exchange, recording, letRecordFinish } = exchangeWith({
      kind: 'response',
      statusCode: 200,
      retryAfterMs: null,
    });
    const answers: ExchangeAnswer[] = [];
    const done = exchange.perform(delivery, delivery.partner.webhookUrl!, 0, (a) => answers.push(a));
    await recording;
    assert.equal(answers.length, 1, 'onAnswer ran while the record is still in flight');
    assert.equal(answers[0].answered, true);
    letRecordFinish();
    const result = await done;
    assert.equal(result.run, 'DELIVERED');
    assert.equal(answers.length, 1, 'onAnswer runs once');
  });

  test('an endpoint that never answered is reported as such, also before the record', async () => {
    const { exchange, recording, letRecordFinish } = exchangeWith({ kind: 'timeout' });
    const answers: ExchangeAnswer[] = [];
    const done = exchange.perform(delivery, delivery.partner.webhookUrl!, 0, (a) => answers.push(a));
    await recording;
    assert.deepEqual(
      answers.map((a) => a.answered),
      [false],
    );
    letRecordFinish();
    assert.equal((await done).run, 'PENDING');
  });
});

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Job } from 'bullmq';
import type { AppConfig } from '@app/config/app-config';
import { DeliveryAttemptService } from './delivery-attempt.service';
import type { DeliveryAttemptsRepository } from './delivery-attempts.repository';
import type { ExchangeAnswer } from './delivery.exchange';
import type { DeliveryJobData, DeliveryScheduler } from './delivery.scheduler';
import type { PartnerDeliverySlots } from './partner-delivery.slots';
import { drivenExchange, PENDING_DELIVERY as delivery } from './testing/delivery-test.helpers';

const job = {
  id: 'dlv:dlv_1:0',
  data: { deliveryId: delivery.id, partnerId: delivery.partnerId, attempt: 0 },
} as unknown as Job<DeliveryJobData>;

/** The job path with one slot to give and an exchange the test drives; slot releases are recorded. */
function jobService() {
  const releases: Array<{ token: string; answer?: ExchangeAnswer }> = [];
  const { exchange, exchangeStarted, finish } = drivenExchange();
  const config = { webhooks: { timeoutMs: 10_000, retryScheduleMs: [0] } } as unknown as AppConfig;
  const service = new DeliveryAttemptService(
    config,
    { loadForAttempt: async () => delivery } as unknown as DeliveryAttemptsRepository,
    {} as DeliveryScheduler,
    {
      acquire: async () => 'lease-1',
      release: async (_partnerId: string, token: string, answer?: ExchangeAnswer) => {
        releases.push({ token, answer });
        return { free: 0, waiting: [] };
      },
    } as unknown as PartnerDeliverySlots,
    exchange,
  );
  return { service, releases, exchangeStarted, finish };
}

describe('delivery attempt (job path)', () => {
  test("the partner's slot goes back when its endpoint answers, before the attempt is recorded", async () => {
    const { service, releases, exchangeStarted, finish } = jobService();
    const run = service.run(job, 'worker-token');
    const onAnswer = await exchangeStarted;
    assert.deepEqual(releases, [], 'the slot is held while the request is in flight');
    onAnswer({ durationMs: 3, answered: true });
    await new Promise((r) => setImmediate(r));
    assert.deepEqual(releases, [{ token: 'lease-1', answer: { durationMs: 3, answered: true } }]);
    finish({ run: 'DELIVERED', durationMs: 3, answered: true });
    assert.equal(await run, 'DELIVERED');
    await service.drain();
    assert.equal(releases.length, 1, 'released once');
  });

  test('an attempt that fails without an answer gives its slot back as "nothing sent" and fails the job', async () => {
    const { service, releases, exchangeStarted, finish } = jobService();
    const run = service.run(job, 'worker-token');
    await exchangeStarted;
    finish(new Error('the partner secret could not be opened')); // before any request
    await assert.rejects(run, /secret could not be opened/);
    await service.drain();
    assert.deepEqual(releases, [{ token: 'lease-1', answer: undefined }]);
  });
});

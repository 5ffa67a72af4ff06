import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { AppConfig } from '@app/config/app-config';
import type { DeliveryAttemptService } from './delivery-attempt.service';
import type { DeliveryAttemptsRepository } from './delivery-attempts.repository';
import type { DeliveryExchange } from './delivery.exchange';
import type { DeliveryScheduler } from './delivery.scheduler';
import {
  DIRECT_MAX_PER_PARTNER,
  DIRECT_MAX_PER_PROCESS,
  DirectDeliveryService,
} from './direct-delivery.service';
import type { PartnerDeliverySlots } from './partner-delivery.slots';

/** Only `plan` is exercised: nothing here may touch Redis, Postgres or the network. */
function service(): DirectDeliveryService {
  const refuse = new Proxy(
    {},
    {
      get: (_, name) => {
        throw new Error(`unplanned call: ${String(name)}`);
      },
    },
  );
  const config = { webhooks: { timeoutMs: 10_000, retryScheduleMs: [0] } } as unknown as AppConfig;
  return new DirectDeliveryService(
    config,
    refuse as DeliveryAttemptsRepository,
    refuse as DeliveryScheduler,
    refuse as PartnerDeliverySlots,
    refuse as DeliveryExchange,
    refuse as DeliveryAttemptService,
  );
}

const rows = (n: number, partnerId: string, eligible = true) =>
  Array.from({ length: n }, () => ({ partnerId, eligible }));

describe('direct delivery plan', () => {
  test('eligible rows go direct; ineligible ones (an order event behind another) get a job', async () => {
    const s = service();
    assert.deepEqual(
      s.plan([
        { partnerId: 'a', eligible: true },
        { partnerId: 'a', eligible: false },
        { partnerId: 'b', eligible: true },
      ]),
      ['direct', 'job', 'direct'],
    );
    await s.onModuleDestroy();
  });

  test("past the partner's bound its rows are deferred (the rest of the batch too); others are not", async () => {
    const s = service();
    const plan = s.plan([
      ...rows(DIRECT_MAX_PER_PARTNER, 'a'),
      { partnerId: 'a', eligible: true },
      { partnerId: 'b', eligible: true },
      { partnerId: 'a', eligible: false },
    ]);
    assert.equal(
      plan.slice(0, DIRECT_MAX_PER_PARTNER).every((p) => p === 'direct'),
      true,
    );
    assert.deepEqual(plan.slice(DIRECT_MAX_PER_PARTNER), ['defer', 'direct', 'defer']);
    await s.onModuleDestroy();
  });

  test('past the process bound rows get jobs; a stopped service sends nothing directly', async () => {
    const s = service();
    const partners = Math.ceil(DIRECT_MAX_PER_PROCESS / DIRECT_MAX_PER_PARTNER);
    const batch = Array.from({ length: partners }, (_, i) => rows(DIRECT_MAX_PER_PARTNER, `p${i}`)).flat();
    const plan = s.plan([...batch, { partnerId: 'z', eligible: true }]);
    assert.equal(plan.filter((p) => p === 'direct').length, DIRECT_MAX_PER_PROCESS);
    assert.equal(plan[plan.length - 1], 'job');
    await s.onModuleDestroy();
    assert.deepEqual(s.plan(rows(2, 'a')), ['job', 'job']);
  });
});

import { afterEach, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { register } from 'prom-client';
import type { AppConfig } from '@app/config/app-config';
import type { DeliveryAttemptService } from './delivery-attempt.service';
import type { DeliveryAttemptsRepository } from './delivery-attempts.repository';
import type { DeliveryExchange, ExchangeAnswer } from './delivery.exchange';
import type { DeliveryScheduler } from './delivery.scheduler';
import {
  DIRECT_MAX_PER_PARTNER,
  DIRECT_MAX_PER_PROCESS,
  DIRECT_MAX_WAIT_MS,
  DIRECT_POLL_MAX_MS,
  DIRECT_POLL_MIN_MS,
  DirectDeliveryService,
} from './direct-delivery.service';
import type { PartnerDeliverySlots } from './partner-delivery.slots';
import { drivenExchange, PENDING_DELIVERY as known } from './testing/delivery-test.helpers';

/**
 * A service whose attempts get no slot and never a loaded delivery: dispatched refs wait in their line.
 * Handing them to the job path is recorded, nothing else.
 */
function waitingService(handedToJobs: string[]): DirectDeliveryService {
  const never = () => new Promise<never>(() => undefined);
  const config = { webhooks: { timeoutMs: 10, retryScheduleMs: [0] } } as unknown as AppConfig;
  return new DirectDeliveryService(
    config,
    { loadForAttempt: never, releaseClaims: async () => undefined } as unknown as DeliveryAttemptsRepository,
    {
      jobId: (r: { id: string }) => r.id,
      enqueueMany: async (refs: Array<{ id: string }>) => void handedToJobs.push(...refs.map((r) => r.id)),
    } as unknown as DeliveryScheduler,
    // No slot, answered a little later (after the test's synchronous checks).
    { acquire: () => new Promise((r) => setTimeout(() => r(null), 20)) } as unknown as PartnerDeliverySlots,
    {} as DeliveryExchange,
    {} as DeliveryAttemptService,
  );
}

/** webhook_direct_fallbacks_total for one reason, as /metrics reports it. */
async function fallbacks(reason: string): Promise<number> {
  const metric = register.getSingleMetric('webhook_direct_fallbacks_total');
  if (!metric) return 0;
  const { values } = await metric.get();
  return values.find((v) => v.labels.reason === reason)?.value ?? 0;
}

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

  test('a partner is saturated for the relay when its line cannot take the batch asked for', async () => {
    const jobs: string[] = [];
    const s = waitingService(jobs);
    const shutdownBefore = await fallbacks('shutdown');
    let rooms = 0;
    s.onRoom = () => rooms++;
    const refs = (n: number, partnerId: string) =>
      Array.from({ length: n }, (_, i) => ({ id: `${partnerId}${i}`, partnerId, attempts: 0 }));
    await s.dispatch([
      ...refs(DIRECT_MAX_PER_PARTNER / 2, 'a'),
      ...refs(DIRECT_MAX_PER_PARTNER / 2 + 1, 'b'),
    ]);
    // a holds half its bound: room for exactly one more half-bound batch; b one attempt more.
    assert.deepEqual(s.saturated(DIRECT_MAX_PER_PARTNER / 2), ['b']);
    assert.deepEqual(s.saturated(), [], 'neither line is full');
    // Asking for more room than half the bound asks for half: below half, onRoom fires and the relay runs.
    assert.deepEqual(s.saturated(DIRECT_MAX_PER_PARTNER * 10), ['b']);
    await s.onModuleDestroy();
    assert.equal(jobs.length, DIRECT_MAX_PER_PARTNER + 1, 'waiting attempts go to the job path on shutdown');
    assert.equal(await fallbacks('shutdown'), shutdownBefore + DIRECT_MAX_PER_PARTNER + 1);
    assert.equal(rooms, 1, "b's line fell below half once");
  });
});

/**
 * A service with an exchange the test drives and slots acquired by `acquire`: hand-offs to the job path and slot
 * releases are recorded.
 */
function drivenService(acquire: () => Promise<string | null>) {
  const handedToJobs: string[] = [];
  const releases: Array<{ token: string; answer?: ExchangeAnswer }> = [];
  const { exchange, exchangeStarted, finish } = drivenExchange();
  const config = { webhooks: { timeoutMs: 10_000, retryScheduleMs: [0] } } as unknown as AppConfig;
  const s = new DirectDeliveryService(
    config,
    { releaseClaims: async () => undefined } as unknown as DeliveryAttemptsRepository,
    {
      jobId: (r: { id: string }) => r.id,
      enqueueMany: async (refs: Array<{ id: string }>) => void handedToJobs.push(...refs.map((r) => r.id)),
    } as unknown as DeliveryScheduler,
    { acquire } as unknown as PartnerDeliverySlots,
    exchange,
    {
      release: async (_partnerId: string, token: string, answer?: ExchangeAnswer) => {
        releases.push({ token, answer });
        return { free: 1, handedOff: 0 };
      },
    } as unknown as DeliveryAttemptService,
  );
  return { s, handedToJobs, releases, exchangeStarted, finish };
}

/**
 * A partner whose slots are all held elsewhere (another worker process) for the first `busyAcquires` acquires,
 * then free; the time of each acquire is recorded.
 */
function sharedSlotsService(busyAcquires: number) {
  const acquiredAt: number[] = [];
  const service = drivenService(async () => (acquiredAt.push(Date.now()) > busyAcquires ? 'lease-1' : null));
  return { ...service, acquiredAt };
}

describe('direct delivery while other processes hold the slots', () => {
  // The service's timers do not hold the process open (unref): the test does, while it waits on them.
  let keepAlive: NodeJS.Timeout;
  beforeEach(() => (keepAlive = setInterval(() => undefined, 1000)));
  afterEach(() => clearInterval(keepAlive));

  test("a line holding none of its partner's slots asks again, backing off, and sends once one is free", async () => {
    const { s, acquiredAt, handedToJobs, exchangeStarted, finish } = sharedSlotsService(4);
    const noSlotBefore = await fallbacks('no_slot');
    await s.dispatch([{ id: known.id, partnerId: known.partnerId, attempts: 0, known }]);
    const onAnswer = await Promise.race([
      exchangeStarted,
      new Promise<never>((_, reject) =>
        setTimeout(
          () => reject(new Error(`never sent; handed to the job path: [${handedToJobs.join(', ')}]`)),
          DIRECT_MAX_WAIT_MS + 1000,
        ),
      ),
    ]);
    assert.equal(acquiredAt.length, 5, 'four misses, then the slot');
    const gaps = acquiredAt.slice(1).map((t, i) => t - acquiredAt[i]);
    // 5, 10, 20 and 40 ms (a timer never fires early; a slow machine only makes the gaps longer).
    const backoff = [1, 2, 4, 8].map((k) => k * DIRECT_POLL_MIN_MS);
    gaps.forEach((gap, i) => assert.ok(gap >= backoff[i] - 1, `gap ${i}: ${gaps.join(', ')} ms`));
    assert.deepEqual(handedToJobs, [], 'not handed to the job path');
    onAnswer({ durationMs: 1, answered: true });
    finish({ run: 'DELIVERED', durationMs: 1, answered: true });
    await s.onModuleDestroy();
    assert.deepEqual(handedToJobs, []);
    assert.equal(await fallbacks('no_slot'), noSlotBefore);
  });

  test('a line that gets no slot within the wait bound goes to the job path, and stops asking', async () => {
    const { s, acquiredAt, handedToJobs } = sharedSlotsService(Infinity);
    const noSlotBefore = await fallbacks('no_slot');
    const dispatchedAt = Date.now();
    await s.dispatch([{ id: known.id, partnerId: known.partnerId, attempts: 0, known }]);
    const deadline = Date.now() + DIRECT_MAX_WAIT_MS + 3000;
    while (!handedToJobs.length && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    assert.deepEqual(handedToJobs, [known.id]);
    assert.ok(Date.now() - dispatchedAt >= DIRECT_MAX_WAIT_MS, 'it waited the whole bound');
    assert.equal(await fallbacks('no_slot'), noSlotBefore + 1, 'counted as a fallback for want of a slot');
    const asked = acquiredAt.length;
    assert.ok(asked > 1, `asked again before giving up (${asked})`);
    await new Promise((r) => setTimeout(r, 3 * DIRECT_POLL_MAX_MS));
    assert.equal(acquiredAt.length, asked, 'no acquire once the line is empty');
    await s.onModuleDestroy();
  });
});

/** A service with one slot to give and an exchange the test drives; slot releases are recorded. */
function sendingService() {
  return drivenService(async () => 'lease-1');
}

describe('direct delivery attempt', () => {
  test("the partner's slot goes back when its endpoint answers, before the attempt is recorded", async () => {
    const { s, releases, exchangeStarted, finish } = sendingService();
    await s.dispatch([{ id: known.id, partnerId: known.partnerId, attempts: 0, known }]);
    const onAnswer = await exchangeStarted;
    assert.deepEqual(releases, [], 'the slot is held while the request is in flight');
    onAnswer({ durationMs: 3, answered: true });
    await new Promise((r) => setImmediate(r));
    assert.deepEqual(releases, [{ token: 'lease-1', answer: { durationMs: 3, answered: true } }]);
    finish({ run: 'DELIVERED', durationMs: 3, answered: true }); // the record completes
    await s.onModuleDestroy();
    assert.equal(releases.length, 1, 'released once');
  });

  test('an attempt that ends in an error without an answer gives its slot back as "nothing sent"', async () => {
    const { s, releases, exchangeStarted, finish } = sendingService();
    await s.dispatch([{ id: known.id, partnerId: known.partnerId, attempts: 0, known }]);
    await exchangeStarted;
    finish(new Error('the partner secret could not be opened')); // before any request
    await s.onModuleDestroy();
    assert.deepEqual(releases, [{ token: 'lease-1', answer: undefined }]);
  });
});

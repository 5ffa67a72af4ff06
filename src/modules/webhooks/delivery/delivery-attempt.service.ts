import { Inject, Injectable, Logger } from '@nestjs/common';
import { DelayedError, Job } from 'bullmq';
import { APP_CONFIG, AppConfig } from '@app/config/app-config';
import { DeliveryAttemptsRepository, DeliveryForAttempt } from './delivery-attempts.repository';
import { DeliveryJobData, DeliveryScheduler } from './delivery.scheduler';
import { AttemptRun, DeliveryExchange, ExchangeAnswer, ExchangeResult } from './delivery.exchange';
import { PartnerDeliverySlots, SLOW_ATTEMPT_MS } from './partner-delivery.slots';

export type { AttemptRun } from './delivery.exchange';

/**
 * Fallback wait of a job whose partner had every slot busy; normally a freed slot promotes it sooner
 * (PartnerDeliverySlots.wait/nextWaiting). Randomised so stragglers do not return together.
 */
const busyDelayMs = () => 30_000 + Math.floor(Math.random() * 5000);
/** Stale ids popped from a partner's waiting list before giving up on the hand-off. */
const MAX_STALE_HANDOFFS = 5;

/**
 * One delivery attempt, as a job: take one of the partner's slots, check the delivery still wants this attempt,
 * hold the event back while an earlier event of its order is unsettled, then run the exchange (sign, POST,
 * record, schedule what follows). Nothing waits inside a worker: whatever has to wait becomes a delayed job
 * again, and an exchange still running after SLOW_ATTEMPT_MS is detached from its worker slot (it finishes and
 * records in the background, holding only the partner's slot) while its job waits as a delayed fallback. So a
 * slow or dead endpoint holds a few of that partner's slots, never the workers other partners need.
 */
@Injectable()
export class DeliveryAttemptService {
  private readonly logger = new Logger('WebhookDelivery');
  private readonly pending = new Set<Promise<unknown>>();
  private readonly slowMs: number;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly repo: DeliveryAttemptsRepository,
    private readonly scheduler: DeliveryScheduler,
    private readonly slots: PartnerDeliverySlots,
    private readonly exchange: DeliveryExchange,
  ) {
    this.slowMs = Math.min(SLOW_ATTEMPT_MS, config.webhooks.timeoutMs);
  }

  async run(job: Job<DeliveryJobData>, token?: string): Promise<AttemptRun> {
    const { deliveryId, partnerId, attempt } = job.data;
    // The slot and the delivery in parallel (two round trips in one wait); a load for a job that finds no slot
    // is wasted, but it shares its batch with others.
    const [slot, loaded] = await Promise.all([
      this.slots.acquire(partnerId, job.id!),
      this.repo.loadForAttempt(deliveryId),
    ]);
    if (!slot) {
      await job.moveToDelayed(Date.now() + busyDelayMs(), token);
      await this.slots.wait(partnerId, job.id!);
      // A slot freed between the failed acquire and the registration had no one to hand over to: look again.
      await this.fill(partnerId, await this.slots.free(partnerId));
      throw new DelayedError();
    }
    let outcome: ExchangeResult | undefined;
    let detached = false;
    // The partner's slot goes back once its endpoint has answered, before the record (it bounds requests at
    // the endpoint), or when the attempt ends without a request.
    let released = false;
    const releaseSlot = (answer?: ExchangeAnswer): void => {
      if (released) return;
      released = true;
      this.background(this.release(partnerId, slot, answer));
    };
    try {
      const ready = await this.prepare(job, token, loaded, attempt);
      if (typeof ready === 'string') return ready;
      const exchange = this.exchange.perform(ready.delivery, ready.endpoint, attempt, releaseSlot);
      outcome = await this.within(exchange, this.slowMs);
      if (outcome) return outcome.run;
      // Slow endpoint: let it finish (and record) in the background, free this worker slot now.
      detached = true;
      this.background(
        exchange.then(
          (r) => releaseSlot(r),
          (err: Error) => {
            this.logger.warn(`detached attempt of ${deliveryId} failed: ${err.message}`);
            releaseSlot();
          },
        ),
      );
      // Fallback if this process dies first: the job comes back after the exchange can no longer be running,
      // and the delivery says so too, so nothing that wakes the job early (a retry, a hand-off) re-sends it.
      const fallbackAt = new Date(Date.now() + this.config.webhooks.timeoutMs + 10_000);
      await this.repo.markInFlight(deliveryId, attempt, fallbackAt);
      await job.moveToDelayed(fallbackAt.getTime(), token);
      throw new DelayedError();
    } finally {
      // The attempt is recorded (or there was none): the job may complete while its slot is handed back. The
      // release goes out before the job's completion, so the next job this worker fetches sees the slot free.
      if (!detached) releaseSlot(outcome);
    }
  }

  /** Waits for detached exchanges and slot releases to finish (graceful shutdown), at most until they time out. */
  async drain(): Promise<void> {
    const deadline = new Promise((r) => setTimeout(r, this.config.webhooks.timeoutMs + 1000).unref());
    await Promise.race([Promise.allSettled([...this.pending]), deadline]);
  }

  /**
   * The delivery as this attempt needs it, or why there is nothing to send: 'stale' (the attempt was made or
   * the delivery settled), 'FAILED' (no endpoint); waiting (not due, earlier event unsettled) throws DelayedError.
   */
  private async prepare(
    job: Job<DeliveryJobData>,
    token: string | undefined,
    d: DeliveryForAttempt | null,
    expected: number,
  ): Promise<AttemptRun | { delivery: DeliveryForAttempt; endpoint: string }> {
    if (!d || d.status !== 'PENDING') return 'stale';
    if (d.attempts !== expected) {
      // This job's attempt was recorded by an earlier run that died before scheduling the next one.
      if (d.attempts > expected) await this.scheduler.ensure(d, d.nextAttemptAt);
      return 'stale';
    }
    const dueIn = (d.nextAttemptAt?.getTime() ?? 0) - Date.now();
    if (dueIn > 1000) return this.later(job, token, dueIn);

    const endpoint = d.partner.webhookUrl;
    if (!endpoint || d.partner.webhookDisabledAt) return this.failUnsendable(d, expected);
    // Read with the delivery: an earlier event of its order that is still unsettled.
    if (d.blocker) {
      await job.moveToDelayed(Date.now() + orderingDelay(d.blocker.dueAt), token);
      await this.wakeIfUnblocked(d.id, job.id!);
      throw new DelayedError();
    }
    return { delivery: d, endpoint };
  }

  /** No endpoint, or the endpoint is disabled (410): the delivery is FAILED without an HTTP attempt. */
  async failUnsendable(d: DeliveryForAttempt, expected: number): Promise<'FAILED'> {
    const why = !d.partner.webhookUrl
      ? 'no webhook endpoint configured'
      : `webhook endpoint disabled since ${d.partner.webhookDisabledAt!.toISOString()} (it answered 410 Gone)`;
    if (await this.repo.failWithoutAttempt(d.id, expected, why)) {
      this.exchange.settled('FAILED');
      await this.exchange.releaseNext(d);
    }
    return 'FAILED';
  }

  /**
   * A delivery held back behind an earlier event of its order has just had its job delayed: look once more.
   * The earlier event may have settled after our read and before the delay, when its hand-off
   * (`DeliveryExchange.releaseNext`) found this job still running, or this delivery still claimed by its direct
   * attempt, and woke nothing; the event would then wait out its whole fallback delay (up to a minute). Either
   * the hand-off sees the job delayed, or this read, made after the delay, sees the earlier event settled.
   */
  async wakeIfUnblocked(deliveryId: string, jobId: string): Promise<void> {
    try {
      const d = await this.repo.loadForAttempt(deliveryId);
      if (d?.status === 'PENDING' && !d.blocker) await this.scheduler.promoteJob(jobId);
    } catch (err) {
      // The job keeps its fallback delay.
      this.logger.warn(`re-checking the order of ${deliveryId} failed: ${(err as Error).message}`);
    }
  }

  /** The exchange's result if it completes within `ms`, else undefined (it keeps running). */
  private async within(exchange: Promise<ExchangeResult>, ms: number): Promise<ExchangeResult | undefined> {
    let timer: NodeJS.Timeout | undefined;
    const slow = new Promise<undefined>((r) => (timer = setTimeout(() => r(undefined), ms)));
    try {
      return await Promise.race([exchange, slow]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** Work that outlives its job (a detached exchange, a slot release); shutdown waits for it. */
  private background(p: Promise<unknown>): void {
    const tracked = p.catch(() => undefined);
    this.pending.add(tracked);
    void tracked.finally(() => this.pending.delete(tracked));
  }

  /** Frees the partner slot (adjusting its concurrency from how the attempt went) and fills free slots. */
  async release(
    partnerId: string,
    slot: string,
    outcome?: ExchangeAnswer,
  ): Promise<{ free: number; handedOff: number }> {
    const { free, waiting } = await this.slots.release(partnerId, slot, outcome);
    await this.fill(partnerId, free, waiting);
    return { free, handedOff: waiting.length };
  }

  /**
   * Promotes up to `free` of the partner's waiting jobs, oldest first: those the release already took off the
   * waiting set (never more than `free`), then, while some of them were stale ids, more one by one.
   */
  private async fill(partnerId: string, free: number, taken?: string[]): Promise<void> {
    let promoted = 0;
    if (taken) {
      for (const jobId of taken) if (await this.scheduler.promoteJob(jobId)) promoted++;
      if (taken.length < free) return; // the waiting set ran dry
    }
    for (let tries = 0; promoted < free && tries < free + MAX_STALE_HANDOFFS; tries++) {
      const jobId = await this.slots.nextWaiting(partnerId);
      if (!jobId) return;
      if (await this.scheduler.promoteJob(jobId)) promoted++;
    }
  }

  /** Puts this job back as a delayed job (same id) and frees the worker. */
  private async later(job: Job<DeliveryJobData>, token: string | undefined, delayMs: number): Promise<never> {
    await job.moveToDelayed(Date.now() + Math.max(1, Math.round(delayMs)), token);
    throw new DelayedError();
  }
}

/**
 * How long an event waits for an earlier event of its order: until the earlier one's next attempt when that is
 * in the future (it is promoted sooner when the earlier one settles), else a short re-check.
 */
export function orderingDelay(blockerDueAt: Date | null): number {
  const until = blockerDueAt ? blockerDueAt.getTime() - Date.now() : 0;
  return until > 0 ? Math.min(until + 250, 60_000) : 1000 + Math.floor(Math.random() * 500);
}

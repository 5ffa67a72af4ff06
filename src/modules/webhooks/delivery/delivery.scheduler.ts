import { InjectQueue } from '@nestjs/bullmq';
import { Injectable } from '@nestjs/common';
import type { JobsOptions, Queue } from 'bullmq';
import { QUEUES, WebhookDeliveryJob, jobIds } from '@app/infra/queue/queue.names';

/** Job payload: `attempt` is the delivery's attempt count when the job was made (the job is for attempt+1). */
export interface DeliveryJobData extends WebhookDeliveryJob {
  partnerId: string;
  attempt: number;
}

/** What the scheduler needs to know about a delivery's current state. */
export interface DeliveryRef {
  id: string;
  partnerId: string;
  /** Attempts made so far (never reset: a retry raises maxAttempts instead). */
  attempts: number;
}

const JOB_OPTIONS: JobsOptions = {
  // Only infrastructure failures (database down) fail a job; partner-side failures are recorded, not thrown.
  attempts: 10,
  backoff: { type: 'exponential', delay: 1000 },
  removeOnComplete: { age: 3600, count: 10_000 },
  removeOnFail: { age: 7 * 24 * 3600 },
};

/**
 * One BullMQ job per (delivery, attempt number): the id `dlv:<delivery>:<attempts so far>` is deterministic,
 * so whoever enqueues an attempt twice (relay run twice, sweeper, a re-run of a stalled job) adds it once, and
 * attempt numbers only grow, so an id is never reused for a different attempt.
 */
@Injectable()
export class DeliveryScheduler {
  constructor(@InjectQueue(QUEUES.webhookDelivery) private readonly queue: Queue<DeliveryJobData>) {}

  jobId(d: DeliveryRef): string {
    return jobIds.webhookDelivery(d.id, d.attempts);
  }

  async enqueue(d: DeliveryRef, delayMs = 0): Promise<void> {
    await this.queue.add(
      'deliver',
      { deliveryId: d.id, partnerId: d.partnerId, attempt: d.attempts },
      { ...JOB_OPTIONS, jobId: this.jobId(d), delay: Math.max(0, Math.round(delayMs)) },
    );
  }

  /** First attempts of new deliveries, in one round trip (the relay's batch); `delayMs` per delivery. */
  async enqueueMany(ds: Array<DeliveryRef & { delayMs?: number }>): Promise<void> {
    if (!ds.length) return;
    await this.queue.addBulk(
      ds.map((d) => ({
        name: 'deliver',
        data: { deliveryId: d.id, partnerId: d.partnerId, attempt: d.attempts },
        opts: { ...JOB_OPTIONS, jobId: this.jobId(d), delay: Math.max(0, Math.round(d.delayMs ?? 0)) },
      })),
    );
  }

  /**
   * Makes sure the job for the delivery's pending attempt exists (sweeper after a crash or a Redis data loss):
   * adds it when missing, re-runs it when it failed for infrastructure reasons, otherwise leaves it alone.
   */
  async ensure(d: DeliveryRef, dueAt: Date | null): Promise<'added' | 'retried' | 'present'> {
    const job = await this.queue.getJob(this.jobId(d));
    const delay = dueAt ? dueAt.getTime() - Date.now() : 0;
    if (!job) {
      await this.enqueue(d, delay);
      return 'added';
    }
    const state = await job.getState();
    if (state === 'failed') {
      await job.retry('failed');
      return 'retried';
    }
    if (state === 'completed' || state === 'unknown') {
      // A finished job for an attempt that is still pending (should not happen): replace it.
      await job.remove().catch(() => undefined);
      await this.enqueue(d, delay);
      return 'added';
    }
    return 'present';
  }

  /** Promotes a delayed job now; false when it is gone or no longer delayed. */
  async promoteJob(jobId: string): Promise<boolean> {
    const job = await this.queue.getJob(jobId);
    if (!job) return false;
    return job.promote().then(
      () => true,
      () => false,
    );
  }

  /** Runs the pending attempt now instead of at its scheduled time (partner retry, order unblocked). */
  async runNow(d: DeliveryRef): Promise<void> {
    const job = await this.queue.getJob(this.jobId(d));
    if (!job) return this.enqueue(d, 0);
    const state = await job.getState();
    // A job that moved on meanwhile (to active) is fine as it is.
    if (state === 'delayed') await job.promote().catch(() => undefined);
    else if (state !== 'waiting' && state !== 'active' && state !== 'prioritized') await this.ensure(d, null);
  }
}

import { InjectQueue } from '@nestjs/bullmq';
import { Injectable } from '@nestjs/common';
import type { JobsOptions, Queue } from 'bullmq';
import { jobIds, OrderSubmissionJob, QUEUES } from '@app/infra/queue/queue.names';

export const SUBMISSION_JOB_NAME = 'submit';

/**
 * Named retry presets for the orders queues. Submission retries only what sent nothing (TruBit unavailable,
 * rate limited, merchant not approved yet): exponential from 1 s over ~1 h, about an order's lifetime.
 */
export const RETRY_PRESETS = {
  submission: {
    attempts: 12,
    backoff: { type: 'exponential', delay: 1000, jitter: 0.2 },
    removeOnComplete: { age: 24 * 3600, count: 10_000 },
    // Failed jobs stay for operators (Bull Board) for a week.
    removeOnFail: { age: 7 * 24 * 3600 },
  },
} satisfies Record<string, JobsOptions>;

/** Producer side of the submission queue; job ids are deterministic (order id + attempt). */
@Injectable()
export class SubmissionQueue {
  constructor(@InjectQueue(QUEUES.orderSubmission) private readonly queue: Queue<OrderSubmissionJob>) {}

  async enqueue(orderId: string, attempt: number): Promise<void> {
    await this.queue.add(
      SUBMISSION_JOB_NAME,
      { orderId },
      { jobId: jobIds.orderSubmission(orderId, attempt), ...RETRY_PRESETS.submission },
    );
  }

  /** First submission jobs of newly funded orders, in one round trip. */
  async enqueueMany(orderIds: string[]): Promise<void> {
    await this.queue.addBulk(
      orderIds.map((orderId) => ({
        name: SUBMISSION_JOB_NAME,
        data: { orderId },
        opts: { jobId: jobIds.orderSubmission(orderId, 0), ...RETRY_PRESETS.submission },
      })),
    );
  }

  /** Runs a delayed job now (a job that is not delayed, or gone, is left as it is). */
  async promote(jobId: string): Promise<void> {
    const job = await this.queue.getJob(jobId);
    if (!job) return;
    await job.promote().catch(() => {
      /* not delayed (any more): it runs, or has run, anyway */
    });
  }

  /**
   * Makes sure a QUEUED order has a live job: adds it when missing (an enqueue lost after commit), or retries
   * it when it ran out of attempts. Returns what it did.
   */
  async ensure(orderId: string, attempt: number): Promise<'added' | 'retried' | 'present'> {
    const job = await this.queue.getJob(jobIds.orderSubmission(orderId, attempt));
    if (!job) {
      await this.enqueue(orderId, attempt);
      return 'added';
    }
    const state = await job.getState();
    if (state === 'failed') {
      await job.retry('failed');
      return 'retried';
    }
    if (state === 'completed') {
      // Finished as a no-op while the order was not QUEUED (e.g. requeued since): run it again.
      await job.remove();
      await this.enqueue(orderId, attempt);
      return 'added';
    }
    return 'present';
  }
}

import { InjectQueue } from '@nestjs/bullmq';
import { Injectable } from '@nestjs/common';
import type { JobsOptions, Queue } from 'bullmq';
import { QUEUES, TrubitCallbackJob, jobIds } from '@app/infra/queue/queue.names';

/**
 * A callback whose order we do not know yet is retried on this backoff (1 s, 2 s, 4 s, 8 s, 16 s: about half
 * a minute, long enough for an order/add answer still being committed) and then left in the inbox,
 * unprocessed: reconciliation reads TruBit's own state for every order, so nothing depends on it afterwards.
 */
const JOB_OPTIONS: JobsOptions = {
  attempts: 6,
  backoff: { type: 'exponential', delay: 1000 },
  removeOnComplete: { age: 3600, count: 10_000 },
  removeOnFail: { age: 7 * 24 * 3600 },
};

/** Job lookups the sweeper sends at once. */
const ENSURE_CHUNK = 50;

/** Enqueues "apply callback N" under the deterministic id `cb:N`: enqueuing it twice adds one job. */
@Injectable()
export class CallbackJobs {
  constructor(@InjectQueue(QUEUES.trubitCallbacks) private readonly queue: Queue<TrubitCallbackJob>) {}

  async enqueue(callbackId: string): Promise<void> {
    await this.queue.add(
      'apply',
      { callbackId },
      { ...JOB_OPTIONS, jobId: jobIds.trubitCallback(callbackId) },
    );
  }

  /** The same for many callbacks in one Redis round trip (the ingestion path enqueues per stored batch). */
  async enqueueMany(callbackIds: string[]): Promise<void> {
    if (callbackIds.length === 0) return;
    if (callbackIds.length === 1) return this.enqueue(callbackIds[0]);
    await this.queue.addBulk(
      callbackIds.map((callbackId) => ({
        name: 'apply',
        data: { callbackId },
        opts: { ...JOB_OPTIONS, jobId: jobIds.trubitCallback(callbackId) },
      })),
    );
  }

  /**
   * Adds the jobs that are missing; a failed one (order never found) is left alone for reconciliation. Returns
   * how many were added.
   */
  async ensureMany(callbackIds: string[]): Promise<number> {
    let added = 0;
    for (let i = 0; i < callbackIds.length; i += ENSURE_CHUNK) {
      const chunk = callbackIds.slice(i, i + ENSURE_CHUNK);
      const jobs = await Promise.all(chunk.map((id) => this.queue.getJob(jobIds.trubitCallback(id))));
      const missing = chunk.filter((_, j) => !jobs[j]);
      await this.enqueueMany(missing);
      added += missing.length;
    }
    return added;
  }
}

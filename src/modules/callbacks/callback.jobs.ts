import { InjectQueue } from '@nestjs/bullmq';
import { Injectable } from '@nestjs/common';
import type { JobsOptions, Queue } from 'bullmq';
import { QUEUES, TrubitCallbackJob, jobIds } from '@app/infra/queue/queue.names';

/**
 * Jobs exist only for callbacks whose order is known (see CallbackInboxService), so an attempt fails only on
 * an error (database away…): retried at 1, 2, 4, 8, 16 s, then left failed for operators, its row unapplied
 * (reconciliation reads TruBit's own state for every order, so nothing depends on it afterwards).
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
   * Adds the jobs that are missing. A failed one (it ran out of attempts) is left alone. Returns the ids added
   * and the ids whose job completed (a job completes without applying its callback only when the order was not
   * known when it ran), which the caller applies itself.
   */
  async ensureMany(callbackIds: string[]): Promise<{ added: string[]; completed: string[] }> {
    const added: string[] = [];
    const completed: string[] = [];
    for (let i = 0; i < callbackIds.length; i += ENSURE_CHUNK) {
      const chunk = callbackIds.slice(i, i + ENSURE_CHUNK);
      const jobs = await Promise.all(chunk.map((id) => this.queue.getJob(jobIds.trubitCallback(id))));
      const states = await Promise.all(
        jobs.map((job) => (job ? job.getState() : Promise.resolve(undefined))),
      );
      const missing = chunk.filter((_, j) => !jobs[j]);
      await this.enqueueMany(missing);
      added.push(...missing);
      completed.push(...chunk.filter((_, j) => states[j] === 'completed'));
    }
    return { added, completed };
  }
}

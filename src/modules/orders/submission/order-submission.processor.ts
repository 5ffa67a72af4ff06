import { Processor, WorkerHost } from '@nestjs/bullmq';
import { DelayedError, Job } from 'bullmq';
import { OrderSubmissionJob, QUEUES } from '@app/infra/queue/queue.names';
import { OrderSubmitter, SubmitOutcome } from './order-submitter.service';
import { SubmissionDeferred } from './submission.errors';

/**
 * Thin and idempotent: a job for an order that is not QUEUED does nothing (see OrderSubmitter). Jobs running at
 * the same time share their database statements (SubmissionRepository), so more of them in flight make the
 * worker cheaper per order; TruBit's own limits are kept by each account's line (SubmissionAdmission) and the
 * client's rate limiter, not by this number. A job that must wait its turn becomes a delayed job without
 * spending an attempt.
 */
@Processor(QUEUES.orderSubmission, { concurrency: 32 })
export class OrderSubmissionProcessor extends WorkerHost {
  constructor(private readonly submitter: OrderSubmitter) {
    super();
  }

  async process(job: Job<OrderSubmissionJob>, token?: string): Promise<SubmitOutcome> {
    try {
      return await this.submitter.submit(job.data.orderId, job.id!);
    } catch (err) {
      if (!(err instanceof SubmissionDeferred)) throw err;
      await job.moveToDelayed(Date.now() + err.delayMs, token);
      await err.afterParked();
      throw new DelayedError();
    }
  }
}

import { Processor, WorkerHost } from '@nestjs/bullmq';
import type { Job } from 'bullmq';
import { OrderSubmissionJob, QUEUES } from '@app/infra/queue/queue.names';
import { OrderSubmitter, SubmitOutcome } from './order-submitter.service';

/**
 * Thin and idempotent: a job for an order that is not QUEUED does nothing (see OrderSubmitter). Jobs running at
 * the same time share their database statements (SubmissionRepository), so more of them in flight make the
 * worker cheaper per order; TruBit's own limits are kept by the client's rate limiter, not by this number.
 */
@Processor(QUEUES.orderSubmission, { concurrency: 32 })
export class OrderSubmissionProcessor extends WorkerHost {
  constructor(private readonly submitter: OrderSubmitter) {
    super();
  }

  process(job: Job<OrderSubmissionJob>): Promise<SubmitOutcome> {
    return this.submitter.submit(job.data.orderId);
  }
}

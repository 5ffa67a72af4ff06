import { Processor, WorkerHost } from '@nestjs/bullmq';
import type { Job } from 'bullmq';
import { OrderSubmissionJob, QUEUES } from '@app/infra/queue/queue.names';
import { OrderSubmitter, SubmitOutcome } from './order-submitter.service';

/** Thin and idempotent: a job for an order that is not QUEUED does nothing (see OrderSubmitter). */
@Processor(QUEUES.orderSubmission, { concurrency: 8 })
export class OrderSubmissionProcessor extends WorkerHost {
  constructor(private readonly submitter: OrderSubmitter) {
    super();
  }

  process(job: Job<OrderSubmissionJob>): Promise<SubmitOutcome> {
    return this.submitter.submit(job.data.orderId);
  }
}

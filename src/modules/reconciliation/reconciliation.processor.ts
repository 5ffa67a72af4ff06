import { Processor, WorkerHost } from '@nestjs/bullmq';
import type { Job } from 'bullmq';
import { QUEUES } from '@app/infra/queue/queue.names';
import { ReconciliationPassService, type PassReport } from './reconciliation-pass.service';

export const RECONCILE_PASS_JOB = 'pass';

/** Runs the repeatable reconciliation pass. A failed pass is simply retried by the next repetition. */
@Processor(QUEUES.reconciliation, { concurrency: 1 })
export class ReconciliationProcessor extends WorkerHost {
  constructor(private readonly pass: ReconciliationPassService) {
    super();
  }

  async process(job: Job): Promise<PassReport | null | undefined> {
    if (job.name !== RECONCILE_PASS_JOB) return undefined;
    return this.pass.run();
  }
}

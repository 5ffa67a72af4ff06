import { Processor, WorkerHost } from '@nestjs/bullmq';
import type { Job } from 'bullmq';
import { QUEUES } from '@app/infra/queue/queue.names';
import { KycSyncReport, KycSyncService } from './kyc-sync.service';

export const KYC_SYNC_JOB = 'kyc-sync';

/** Runs the repeatable merchant KYC pass. A failed pass is simply retried by the next repetition. */
@Processor(QUEUES.kycSync, { concurrency: 1 })
export class KycSyncProcessor extends WorkerHost {
  constructor(private readonly sync: KycSyncService) {
    super();
  }

  async process(job: Job): Promise<KycSyncReport | undefined> {
    if (job.name !== KYC_SYNC_JOB) return undefined;
    return this.sync.run();
  }
}

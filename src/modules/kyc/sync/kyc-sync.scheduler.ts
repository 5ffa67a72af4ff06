import { InjectQueue } from '@nestjs/bullmq';
import { Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import type { Queue } from 'bullmq';
import { APP_CONFIG, AppConfig } from '@app/config/app-config';
import { QUEUES } from '@app/infra/queue/queue.names';
import { KYC_SYNC_JOB } from './kyc-sync.processor';

const SCHEDULER_ID = 'kyc-sync';

/**
 * Registers the repeatable pass (same cadence as reconciliation). Upserting is idempotent, so every worker
 * replica may do it; BullMQ produces one job per interval for the whole deployment.
 */
@Injectable()
export class KycSyncScheduler implements OnApplicationBootstrap {
  constructor(
    @InjectQueue(QUEUES.kycSync) private readonly queue: Queue,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.queue.upsertJobScheduler(
      SCHEDULER_ID,
      { every: this.config.reconcile.intervalMs },
      { name: KYC_SYNC_JOB, opts: { removeOnComplete: 100, removeOnFail: 500 } },
    );
  }
}

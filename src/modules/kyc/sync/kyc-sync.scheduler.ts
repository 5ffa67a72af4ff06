import { InjectQueue } from '@nestjs/bullmq';
import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import type { Queue } from 'bullmq';
import { APP_CONFIG, AppConfig } from '@app/config/app-config';
import { QUEUES } from '@app/infra/queue/queue.names';
import { ScheduleKeeper } from '@app/infra/queue/schedule-keeper';
import { KYC_SYNC_JOB } from './kyc-sync.processor';

/** Registers the repeatable KYC sync pass (same cadence as reconciliation) and keeps it registered. */
@Injectable()
export class KycSyncScheduler implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly keeper: ScheduleKeeper;

  constructor(@InjectQueue(QUEUES.kycSync) queue: Queue, @Inject(APP_CONFIG) config: AppConfig) {
    this.keeper = new ScheduleKeeper(
      queue,
      [
        {
          id: 'kyc-sync',
          everyMs: config.reconcile.intervalMs,
          jobName: KYC_SYNC_JOB,
          opts: { removeOnComplete: 100, removeOnFail: 500 },
        },
      ],
      new Logger('KycSyncScheduler'),
    );
  }

  onApplicationBootstrap(): Promise<void> {
    return this.keeper.start();
  }

  onApplicationShutdown(): void {
    this.keeper.stop();
  }
}

import { InjectQueue } from '@nestjs/bullmq';
import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import type { Queue } from 'bullmq';
import { APP_CONFIG, AppConfig } from '@app/config/app-config';
import { QUEUES } from '@app/infra/queue/queue.names';
import { ScheduleKeeper } from '@app/infra/queue/schedule-keeper';
import { RECONCILE_PASS_JOB } from './reconciliation.processor';

/** Registers the repeatable reconciliation pass and keeps it registered (see ScheduleKeeper). */
@Injectable()
export class ReconciliationScheduler implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly keeper: ScheduleKeeper;

  constructor(@InjectQueue(QUEUES.reconciliation) queue: Queue, @Inject(APP_CONFIG) config: AppConfig) {
    this.keeper = new ScheduleKeeper(
      queue,
      [
        {
          id: 'reconcile-pass',
          everyMs: config.reconcile.intervalMs,
          jobName: RECONCILE_PASS_JOB,
          opts: { removeOnComplete: 100, removeOnFail: 500 },
        },
      ],
      new Logger('ReconciliationScheduler'),
    );
  }

  onApplicationBootstrap(): Promise<void> {
    return this.keeper.start();
  }

  onApplicationShutdown(): void {
    this.keeper.stop();
  }
}

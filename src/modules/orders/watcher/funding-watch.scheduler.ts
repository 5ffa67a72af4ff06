import { InjectQueue } from '@nestjs/bullmq';
import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import type { Queue } from 'bullmq';
import { APP_CONFIG, AppConfig } from '@app/config/app-config';
import { QUEUES } from '@app/infra/queue/queue.names';
import { ScheduleKeeper } from '@app/infra/queue/schedule-keeper';

export const FUNDING_WATCH_JOB = 'funding-watch';
export const IDEMPOTENCY_PURGE_JOB = 'idempotency-purge';
const PURGE_EVERY_MS = 10 * 60 * 1000;

/** Registers the funding watcher and idempotency purge passes and keeps them registered (see ScheduleKeeper). */
@Injectable()
export class FundingWatchScheduler implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly keeper: ScheduleKeeper;

  constructor(@Inject(APP_CONFIG) config: AppConfig, @InjectQueue(QUEUES.fundingWatch) queue: Queue) {
    const opts = { removeOnComplete: 100, removeOnFail: 100 };
    this.keeper = new ScheduleKeeper(
      queue,
      [
        {
          id: FUNDING_WATCH_JOB,
          everyMs: config.trading.fundingWatchIntervalMs,
          jobName: FUNDING_WATCH_JOB,
          opts,
        },
        { id: IDEMPOTENCY_PURGE_JOB, everyMs: PURGE_EVERY_MS, jobName: IDEMPOTENCY_PURGE_JOB, opts },
      ],
      new Logger('FundingWatchScheduler'),
    );
  }

  onApplicationBootstrap(): Promise<void> {
    return this.keeper.start();
  }

  onApplicationShutdown(): void {
    this.keeper.stop();
  }
}

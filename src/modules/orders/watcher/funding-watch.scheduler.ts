import { InjectQueue } from '@nestjs/bullmq';
import { Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import type { Queue } from 'bullmq';
import { APP_CONFIG, AppConfig } from '@app/config/app-config';
import { QUEUES } from '@app/infra/queue/queue.names';

export const FUNDING_WATCH_JOB = 'funding-watch';
export const IDEMPOTENCY_PURGE_JOB = 'idempotency-purge';
const PURGE_EVERY_MS = 10 * 60 * 1000;

/** Registers the repeatable jobs (upserts are idempotent: every worker replica may do it at start-up). */
@Injectable()
export class FundingWatchScheduler implements OnApplicationBootstrap {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @InjectQueue(QUEUES.fundingWatch) private readonly queue: Queue,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const opts = { removeOnComplete: 100, removeOnFail: 100 };
    await this.queue.upsertJobScheduler(
      FUNDING_WATCH_JOB,
      { every: this.config.trading.fundingWatchIntervalMs },
      { name: FUNDING_WATCH_JOB, opts },
    );
    await this.queue.upsertJobScheduler(
      IDEMPOTENCY_PURGE_JOB,
      { every: PURGE_EVERY_MS },
      { name: IDEMPOTENCY_PURGE_JOB, opts },
    );
  }
}

import { InjectQueue } from '@nestjs/bullmq';
import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import type { Queue } from 'bullmq';
import { APP_CONFIG, AppConfig } from '@app/config/app-config';
import { QUEUES } from '@app/infra/queue/queue.names';
import { RECONCILE_PASS_JOB } from './reconciliation.processor';

const SCHEDULER_ID = 'reconcile-pass';

/**
 * Registers the repeatable pass. Upserting is idempotent, so every worker replica may do it at start-up;
 * BullMQ then produces one job per interval for the whole deployment. It is upserted again every minute, so a
 * Redis that lost its data (restart without persistence) gets the schedule back without a worker restart.
 */
@Injectable()
export class ReconciliationScheduler implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('ReconciliationScheduler');
  private timer?: NodeJS.Timeout;

  constructor(
    @InjectQueue(QUEUES.reconciliation) private readonly queue: Queue,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.upsert();
    this.timer = setInterval(() => {
      this.upsert().catch((err: Error) =>
        this.logger.warn(`re-registering the reconciliation schedule failed: ${err.message}`),
      );
    }, 60_000);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  private async upsert(): Promise<void> {
    await this.queue.upsertJobScheduler(
      SCHEDULER_ID,
      { every: this.config.reconcile.intervalMs },
      { name: RECONCILE_PASS_JOB, opts: { removeOnComplete: 100, removeOnFail: 500 } },
    );
  }
}

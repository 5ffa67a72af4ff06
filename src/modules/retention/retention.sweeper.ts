import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '@app/config/app-config';
import { PeriodicTask } from '@app/infra/clock/periodic-task';
import { RetentionMetrics } from './retention.metrics';
import { RetentionRepository } from './retention.repository';

export const RETENTION_SWEEP_MS = 10 * 60_000;
const DAY_MS = 24 * 3600_000;
/** Rows per DELETE (for the outbox: how many of its oldest rows one DELETE looks at). */
export const RETENTION_BATCH = 1000;
/** Batches per table per run: a large first prune is spread over several runs rather than one long one. */
const MAX_BATCHES = 50;

export interface RetentionReport {
  outboxEvents: number;
  foreignCallbacks: number;
}

/**
 * Deletes plumbing rows nobody needs once they are old, so the tables do not grow forever:
 * - outbox events already relayed (`OUTBOX_RETENTION_DAYS`): each one's payload lives on as its delivery's body,
 *   and every reader of the outbox only looks at rows not relayed yet;
 * - TruBit callbacks about orders that are not ours (`CALLBACK_FOREIGN_RETENTION_DAYS`): other systems' orders on
 *   the same TruBit account. They can only become ours when reconciliation links an unknown submission, and it
 *   reads TruBit's own state when it does, so nothing is lost if the callbacks are gone.
 * Webhook deliveries and their attempts, and the callbacks of our orders, are kept: they are the partner's
 * webhook log and the record of what TruBit told us. Every worker replica runs it; batches skip rows another
 * replica is deleting, and deleting a row twice deletes nothing.
 */
@Injectable()
export class RetentionSweeper implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('Retention');
  private readonly task = new PeriodicTask(this.logger, RETENTION_SWEEP_MS, () => this.sweep());

  constructor(
    private readonly repo: RetentionRepository,
    private readonly metrics: RetentionMetrics,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    this.task.start();
  }

  async sweep(now = new Date()): Promise<RetentionReport> {
    const { outboxDays, foreignCallbackDays } = this.config.retention;
    const report: RetentionReport = {
      outboxEvents: outboxDays
        ? await this.drain('outbox_events', (n) =>
            this.repo.deleteRelayedOutbox(new Date(now.getTime() - outboxDays * DAY_MS), n),
          )
        : 0,
      foreignCallbacks: foreignCallbackDays
        ? await this.drain('trubit_callbacks', (n) =>
            this.repo.deleteForeignCallbacks(new Date(now.getTime() - foreignCallbackDays * DAY_MS), n),
          )
        : 0,
    };
    if (report.outboxEvents || report.foreignCallbacks)
      this.logger.log(`deleted past retention: ${JSON.stringify(report)}`);
    return report;
  }

  /**
   * Batch after batch until one deletes nothing or the run's bound is reached. (Not until a short batch: an
   * outbox head with a row still owed to a partner deletes fewer than a batch and still has more behind it.)
   */
  private async drain(table: string, batch: (limit: number) => Promise<number>): Promise<number> {
    let total = 0;
    for (let i = 0; i < MAX_BATCHES; i++) {
      const deleted = await batch(RETENTION_BATCH);
      total += deleted;
      if (deleted) this.metrics.deleted.inc({ table }, deleted);
      if (!deleted) break;
    }
    return total;
  }

  async onModuleDestroy(): Promise<void> {
    await this.task.stop();
  }
}

import { Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { PeriodicTask } from '@app/infra/clock/periodic-task';
import { CallbackInboxRepository } from './callback-inbox.repository';
import { CallbackJobs } from './callback.jobs';

export const CALLBACK_SWEEP_MS = 5000;
/** Unapplied this long after arrival: its job may never have been enqueued (crash, Redis outage). */
export const CALLBACK_SWEEP_GRACE_MS = 10_000;
/** Older unapplied callbacks are reconciliation's business (their order was never found). */
const SWEEP_HORIZON_MS = 24 * 3600 * 1000;

/**
 * Re-enqueues stored callbacks that were never applied and have no job: the API answers SUCCESS once the row
 * is committed and enqueues after, so a crash or a Redis outage in between must not lose the callback.
 */
@Injectable()
export class CallbackSweeper implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('CallbackSweeper');
  private readonly task = new PeriodicTask(this.logger, CALLBACK_SWEEP_MS, () => this.sweep());

  constructor(
    private readonly inbox: CallbackInboxRepository,
    private readonly jobs: CallbackJobs,
  ) {}

  onApplicationBootstrap(): void {
    this.task.start();
  }

  async sweep(graceMs = CALLBACK_SWEEP_GRACE_MS): Promise<number> {
    const now = Date.now();
    const ids = await this.inbox.unprocessed(new Date(now - graceMs), new Date(now - SWEEP_HORIZON_MS), 500);
    let added = 0;
    for (const id of ids) if (await this.jobs.ensure(id)) added++;
    if (added) this.logger.log(`re-enqueued ${added} unapplied callback(s)`);
    return added;
  }

  async onModuleDestroy(): Promise<void> {
    await this.task.stop();
  }
}

import { Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { PeriodicTask } from '@app/infra/clock/periodic-task';
import { CallbackInboxRepository } from './callback-inbox.repository';
import { CallbackJobs } from './callback.jobs';

export const CALLBACK_SWEEP_MS = 5000;
/** Unapplied this long after arrival: its job may never have been enqueued (crash, Redis outage). */
export const CALLBACK_SWEEP_GRACE_MS = 10_000;
/** Older unapplied callbacks are reconciliation's business (their order was never found). */
const SWEEP_HORIZON_MS = 24 * 3600 * 1000;
const SWEEP_PAGE = 500;

/**
 * Re-enqueues stored callbacks that were never applied and have no job: the API answers SUCCESS once the row
 * is committed and enqueues after, so a crash or a Redis outage in between must not lose the callback.
 *
 * Each sweep checks the newest page of candidates (where a recent loss is) and one page of a walk through the
 * older ones: callbacks whose job failed for good stay unapplied for a day, and however many there are, they
 * must not hide a newer loss behind a fixed first page.
 */
@Injectable()
export class CallbackSweeper implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('CallbackSweeper');
  private readonly task = new PeriodicTask(this.logger, CALLBACK_SWEEP_MS, () => this.sweep());
  /** Where the walk through older candidates goes on (it checks ids below this one); unset: start over. */
  private walkBelow?: string;

  constructor(
    private readonly inbox: CallbackInboxRepository,
    private readonly jobs: CallbackJobs,
  ) {}

  onApplicationBootstrap(): void {
    this.task.start();
  }

  async sweep(graceMs = CALLBACK_SWEEP_GRACE_MS): Promise<number> {
    const now = Date.now();
    const olderThan = new Date(now - graceMs);
    const notBefore = new Date(now - SWEEP_HORIZON_MS);
    const newest = await this.inbox.unprocessed(olderThan, notBefore, SWEEP_PAGE);
    let older: string[] = [];
    if (newest.length === SWEEP_PAGE) {
      const oldestNew = newest[newest.length - 1];
      const below = this.walkBelow && BigInt(this.walkBelow) < BigInt(oldestNew) ? this.walkBelow : oldestNew;
      older = await this.inbox.unprocessed(olderThan, notBefore, SWEEP_PAGE, below);
      this.walkBelow = older.length === SWEEP_PAGE ? older[older.length - 1] : undefined;
    } else {
      this.walkBelow = undefined;
    }
    const added = await this.jobs.ensureMany([...newest, ...older]);
    if (added) this.logger.log(`re-enqueued ${added} unapplied callback(s)`);
    return added;
  }

  async onModuleDestroy(): Promise<void> {
    await this.task.stop();
  }
}

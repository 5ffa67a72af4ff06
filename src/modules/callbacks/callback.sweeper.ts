import { Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { PeriodicTask } from '@app/infra/clock/periodic-task';
import { CallbackApplier } from './callback-applier.service';
import { CallbackInboxRepository } from './callback-inbox.repository';
import { CallbackJobs } from './callback.jobs';

export const CALLBACK_SWEEP_MS = 5000;
/** Unapplied this long after arrival: its job may never have been enqueued (crash, Redis outage). */
export const CALLBACK_SWEEP_GRACE_MS = 10_000;
/** Older unapplied callbacks are reconciliation's business. */
const SWEEP_HORIZON_MS = 24 * 3600 * 1000;
const SWEEP_PAGE = 500;

/**
 * Re-enqueues stored callbacks that were never applied and have no job: the API answers SUCCESS once the row
 * is committed and enqueues after, so a crash or a Redis outage in between must not lose the callback; nor
 * may a failure of WaitingCallbacks after a TruBit order id was recorded. Only callbacks whose order is known
 * are candidates: the others cannot be applied yet, and are applied when their order id is recorded.
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
    private readonly applier: CallbackApplier,
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
    const { added, completed } = await this.jobs.ensureMany([...newest, ...older]);
    if (added.length) this.logger.log(`re-enqueued ${added.length} unapplied callback(s)`);
    // Its job ran before the order was known (and a job id is not reused while the job is kept): apply here.
    for (const id of completed)
      await this.applier
        .apply(id)
        .catch((err: Error) => this.logger.warn(`callback ${id} not applied: ${err.message}`));
    return added.length + completed.length;
  }

  async onModuleDestroy(): Promise<void> {
    await this.task.stop();
  }
}

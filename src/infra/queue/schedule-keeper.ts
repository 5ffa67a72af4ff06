import { Logger } from '@nestjs/common';
import type { JobsOptions, Queue } from 'bullmq';

export interface JobSchedule {
  /** The scheduler id (one per repeatable job). */
  id: string;
  everyMs: number;
  jobName: string;
  opts?: JobsOptions;
}

/** How often the schedules are upserted again. */
export const RESCHEDULE_EVERY_MS = 60_000;

/**
 * Keeps a queue's repeatable jobs registered. Upserting a job scheduler is idempotent, so every worker replica
 * may do it; BullMQ still produces one job per interval for the whole deployment. Upserting again every minute
 * means a Redis that lost its data (a restart without persistence) gets its schedules back without a worker
 * restart.
 */
export class ScheduleKeeper {
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly queue: Pick<Queue, 'upsertJobScheduler'>,
    private readonly schedules: JobSchedule[],
    private readonly logger: Pick<Logger, 'warn'>,
  ) {}

  /** Registers the schedules now (throws if Redis refuses) and keeps them registered until stop(). */
  async start(): Promise<void> {
    await this.upsertAll();
    this.timer = setInterval(() => {
      this.upsertAll().catch((err: Error) =>
        this.logger.warn(`re-registering schedules ${this.ids()} failed: ${err.message}`),
      );
    }, RESCHEDULE_EVERY_MS);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  private async upsertAll(): Promise<void> {
    for (const s of this.schedules) {
      await this.queue.upsertJobScheduler(s.id, { every: s.everyMs }, { name: s.jobName, opts: s.opts });
    }
  }

  private ids(): string {
    return this.schedules.map((s) => s.id).join(', ');
  }
}

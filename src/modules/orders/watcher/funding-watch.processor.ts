import { Processor, WorkerHost } from '@nestjs/bullmq';
import type { Job } from 'bullmq';
import { IdempotencyStore } from '@app/common/idempotency/idempotency.store';
import { Clock } from '@app/infra/clock/clock';
import { QUEUES } from '@app/infra/queue/queue.names';
import { FundingWatcher } from './funding-watcher.service';
import { FUNDING_WATCH_JOB, IDEMPOTENCY_PURGE_JOB } from './funding-watch.scheduler';

/** The orders worker's housekeeping queue: one watcher pass, or the purge of expired idempotency records. */
@Processor(QUEUES.fundingWatch, { concurrency: 1 })
export class FundingWatchProcessor extends WorkerHost {
  constructor(
    private readonly watcher: FundingWatcher,
    private readonly idempotency: IdempotencyStore,
    private readonly clock: Clock,
  ) {
    super();
  }

  async process(job: Job): Promise<unknown> {
    if (job.name === FUNDING_WATCH_JOB) return this.watcher.tick();
    if (job.name === IDEMPOTENCY_PURGE_JOB)
      return { purged: await this.idempotency.purgeExpired(this.clock.now()) };
    return { ignored: job.name };
  }
}

import { OnWorkerEvent, Processor, WorkerHost } from '@nestjs/bullmq';
import { Logger, OnModuleDestroy } from '@nestjs/common';
import { Job } from 'bullmq';
import { QUEUES, TrubitCallbackJob } from '@app/infra/queue/queue.names';
import { ApplyResult, CallbackApplier } from './callback-applier.service';

@Processor(QUEUES.trubitCallbacks, { concurrency: 16 })
export class TrubitCallbackProcessor extends WorkerHost implements OnModuleDestroy {
  private readonly logger = new Logger('TrubitCallbacks');
  private lastErrorLogAt = 0;

  constructor(private readonly applier: CallbackApplier) {
    super();
  }

  /** Redis away: BullMQ reconnects by itself; the inbox sweeper re-enqueues whatever Redis lost. */
  @OnWorkerEvent('error')
  onError(err: Error): void {
    if (Date.now() - this.lastErrorLogAt < 10_000) return;
    this.lastErrorLogAt = Date.now();
    this.logger.warn(`callback worker: ${err.message}`);
  }

  process(job: Job<TrubitCallbackJob>): Promise<ApplyResult> {
    return this.applier.apply(job.data.callbackId);
  }

  @OnWorkerEvent('failed')
  onFailed(job: Job<TrubitCallbackJob> | undefined, err: Error): void {
    if (!job || job.attemptsMade < (job.opts.attempts ?? 1)) return;
    this.logger.error(`callback ${job.data.callbackId} failed for good: ${err.message}`);
  }

  /** Finish in-flight callbacks before Prisma and Redis close (SIGTERM). */
  async onModuleDestroy(): Promise<void> {
    await this.worker.close();
  }
}

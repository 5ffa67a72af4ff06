import { OnWorkerEvent, Processor, WorkerHost } from '@nestjs/bullmq';
import { Logger, OnModuleDestroy } from '@nestjs/common';
import { Job } from 'bullmq';
import { QUEUES } from '@app/infra/queue/queue.names';
import { DeliveryJobData } from './delivery.scheduler';
import { AttemptRun, DeliveryAttemptService } from './delivery-attempt.service';

/** Parallel attempts per worker process (an attempt slower than SLOW_ATTEMPT_MS gives its slot back). */
export const DELIVERY_CONCURRENCY = 64;

@Processor(QUEUES.webhookDelivery, {
  concurrency: DELIVERY_CONCURRENCY,
  // A killed worker's jobs are picked up again after the lock lapses; a job whose attempt was already
  // recorded is a no-op the second time (see DeliveryAttemptsRepository.recordAttempt).
  lockDuration: 15_000,
  stalledInterval: 5000,
  maxStalledCount: 5,
})
export class WebhookDeliveryProcessor extends WorkerHost implements OnModuleDestroy {
  private readonly logger = new Logger('WebhookDelivery');
  private lastErrorLogAt = 0;

  constructor(private readonly attempts: DeliveryAttemptService) {
    super();
  }

  /** Redis away or a job lost with it: BullMQ reconnects by itself and the sweeper restores lost jobs. */
  @OnWorkerEvent('error')
  onError(err: Error): void {
    if (Date.now() - this.lastErrorLogAt < 10_000) return;
    this.lastErrorLogAt = Date.now();
    this.logger.warn(`delivery worker: ${err.message}`);
  }

  process(job: Job<DeliveryJobData>, token?: string): Promise<AttemptRun> {
    return this.attempts.run(job, token);
  }

  /** Stop taking jobs and let in-flight attempts finish before Prisma and Redis close (SIGTERM). */
  async onModuleDestroy(): Promise<void> {
    await this.worker.close();
    await this.attempts.drain();
  }
}

import { Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { PeriodicTask } from '@app/infra/clock/periodic-task';
import { DeliveryAttemptsRepository } from './delivery-attempts.repository';
import { DeliveryScheduler } from './delivery.scheduler';

export const DELIVERY_SWEEP_MS = 5000;
/** A pending attempt this overdue may have lost its job (crash between commit and enqueue, Redis data loss). */
export const DELIVERY_SWEEP_GRACE_MS = 10_000;
const SWEEP_BATCH = 500;

/**
 * Backstop for the delivery pipeline: every few seconds, pending deliveries whose attempt is overdue get their
 * job re-created if it is missing (same deterministic id, so a job that exists is left alone). This is what
 * makes "commit, then enqueue" safe and lets the workers heal after Redis loses its data.
 */
@Injectable()
export class DeliverySweeper implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('DeliverySweeper');
  private readonly task = new PeriodicTask(this.logger, DELIVERY_SWEEP_MS, () => this.sweep());
  private cursor?: { nextAttemptAt: Date; id: string };

  constructor(
    private readonly repo: DeliveryAttemptsRepository,
    private readonly scheduler: DeliveryScheduler,
  ) {}

  onApplicationBootstrap(): void {
    this.task.start();
  }

  /**
   * Re-creates missing jobs of one batch of overdue pending deliveries; returns how many it added or re-ran.
   * Each call continues where the previous one stopped and starts over after the last batch.
   */
  async sweep(graceMs = DELIVERY_SWEEP_GRACE_MS): Promise<number> {
    const overdue = await this.repo.overdue(new Date(Date.now() - graceMs), SWEEP_BATCH, this.cursor);
    const last = overdue[overdue.length - 1];
    this.cursor =
      overdue.length === SWEEP_BATCH && last?.nextAttemptAt
        ? { nextAttemptAt: last.nextAttemptAt, id: last.id }
        : undefined;
    let fixed = 0;
    for (const d of overdue) if ((await this.scheduler.ensure(d, d.nextAttemptAt)) !== 'present') fixed++;
    if (fixed) this.logger.log(`re-created ${fixed} missing delivery job(s)`);
    return fixed;
  }

  async onModuleDestroy(): Promise<void> {
    await this.task.stop();
  }
}

import { Inject, Injectable, Logger } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '@app/config/app-config';
import { ReconciliationLock } from './reconciliation.lock';
import { ReconciliationMetrics } from './reconciliation.metrics';
import { OrderStatusSyncer, type SyncReport } from './sync/order-status.syncer';
import { UnknownSubmissionResolver, type UnknownResolution } from './unknown/unknown-submission.resolver';

export interface PassReport {
  unknown: Partial<Record<UnknownResolution, number>>;
  sync: SyncReport;
  durationMs: number;
}

/**
 * One reconciliation pass: unknown submissions first (they decide whether an order exists at TruBit at
 * all), then the status sync. A Redis lease makes passes exclusive across worker replicas; a replica that
 * finds it taken skips (the holder is doing the same work).
 */
@Injectable()
export class ReconciliationPassService {
  private readonly logger = new Logger('Reconciliation');

  constructor(
    private readonly lock: ReconciliationLock,
    private readonly unknowns: UnknownSubmissionResolver,
    private readonly syncer: OrderStatusSyncer,
    private readonly metrics: ReconciliationMetrics,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** null when another replica holds the pass. */
  async run(): Promise<PassReport | null> {
    const started = performance.now();
    const ttl = Math.max(30_000, 4 * this.config.reconcile.intervalMs);
    const lease = await this.lock.acquire('reconcile-pass', ttl);
    if (!lease) {
      this.metrics.passDuration.observe({ result: 'skipped' }, (performance.now() - started) / 1000);
      return null;
    }
    try {
      const resolutions = await this.unknowns.resolveAll();
      const unknown: PassReport['unknown'] = {};
      for (const r of resolutions.values()) unknown[r] = (unknown[r] ?? 0) + 1;
      const sync = await this.syncer.syncAll();
      const durationMs = performance.now() - started;
      const partial = sync.failedAccounts > 0 || (unknown.undecided ?? 0) > 0;
      this.metrics.passDuration.observe({ result: partial ? 'partial' : 'ok' }, durationMs / 1000);
      this.metrics.lastPass.set(Date.now() / 1000);
      if (resolutions.size || sync.updated || sync.failedAccounts)
        this.logger.log(`pass: unknown ${JSON.stringify(unknown)}, sync ${JSON.stringify(sync)}`);
      return { unknown, sync, durationMs };
    } finally {
      await lease.release();
    }
  }
}

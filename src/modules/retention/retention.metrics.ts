import { Injectable } from '@nestjs/common';
import { Counter } from 'prom-client';
import { MetricsService } from '@app/modules/metrics/metrics.service';

/** Rows deleted by retention, per table (get-or-create: API and worker apps of one test process share it). */
@Injectable()
export class RetentionMetrics {
  readonly deleted: Counter<'table'>;

  constructor(metrics: MetricsService) {
    const registry = metrics.registry;
    const name = 'retention_rows_deleted_total';
    this.deleted =
      (registry.getSingleMetric(name) as Counter<'table'> | undefined) ??
      new Counter({
        name,
        help: 'Rows deleted past their retention (table: outbox_events | trubit_callbacks)',
        labelNames: ['table'],
        registers: [registry],
      });
  }
}

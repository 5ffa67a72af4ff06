import { Injectable } from '@nestjs/common';
import { Counter, Gauge, Histogram } from 'prom-client';
import { MetricsService } from '@app/modules/metrics/metrics.service';

export type UnknownOutcome = 'linked' | 'requeued' | 'abandoned';

/**
 * Reconciliation's Prometheus metrics, in the process registry (get-or-create: the API and worker apps of
 * one test process share prom-client's global registry).
 */
@Injectable()
export class ReconciliationMetrics {
  /** Orders whose stored TruBit status changed because reconciliation saw something new. */
  readonly reconciled: Counter<'source'>;
  /** UNKNOWN / stuck SUBMITTING submissions resolved, by outcome. */
  readonly unknownResolved: Counter<'outcome'>;
  /** Submitted orders TruBit refused to describe (by TruBit code). */
  readonly anomalies: Counter<'code'>;
  readonly lastPass: Gauge;
  readonly passDuration: Histogram<'result'>;

  constructor(metrics: MetricsService) {
    const registry = metrics.registry;
    const get = <T>(name: string, make: () => T): T =>
      (registry.getSingleMetric(name) as T | undefined) ?? make();
    this.reconciled = get(
      'reconcile_orders_reconciled_total',
      () =>
        new Counter({
          name: 'reconcile_orders_reconciled_total',
          help: 'Orders updated by reconciliation from TruBit (source: pending_list | detail | admin)',
          labelNames: ['source'],
          registers: [registry],
        }),
    );
    this.unknownResolved = get(
      'reconcile_unknown_resolved_total',
      () =>
        new Counter({
          name: 'reconcile_unknown_resolved_total',
          help: 'Submissions with an unknown outcome resolved: linked to the TruBit order found, or requeued',
          labelNames: ['outcome'],
          registers: [registry],
        }),
    );
    this.anomalies = get(
      'reconcile_anomalies_total',
      () =>
        new Counter({
          name: 'reconcile_anomalies_total',
          help: 'Submitted orders whose order/detail TruBit refused (e.g. -2013 order does not exist)',
          labelNames: ['code'],
          registers: [registry],
        }),
    );
    this.lastPass = get(
      'reconcile_last_pass_timestamp_seconds',
      () =>
        new Gauge({
          name: 'reconcile_last_pass_timestamp_seconds',
          help: 'Unix time at which the last complete reconciliation pass finished',
          registers: [registry],
        }),
    );
    this.passDuration = get(
      'reconcile_pass_duration_seconds',
      () =>
        new Histogram({
          name: 'reconcile_pass_duration_seconds',
          help: 'Duration of reconciliation passes (result: ok | partial | skipped)',
          labelNames: ['result'],
          buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
          registers: [registry],
        }),
    );
  }
}

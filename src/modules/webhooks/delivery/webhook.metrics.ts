import { Counter, Histogram, register, type Registry } from 'prom-client';

export type AttemptOutcome = 'delivered' | 'http_error' | 'gone' | 'timeout' | 'network' | 'refused';

/**
 * Why a first attempt the relay handed to the direct sender went to the job path instead: no slot of the
 * partner within the wait bound, an earlier event of its order still unsettled, the delivery could not be
 * loaded, or the worker was stopping.
 */
export type DirectFallbackReason = 'no_slot' | 'ordering' | 'load_failed' | 'shutdown';

export interface WebhookMetrics {
  attempts: Counter<'outcome'>;
  finished: Counter<'status'>;
  attemptDuration: Histogram<'outcome'>;
  deliveryLatency: Histogram;
  directFallbacks: Counter<'reason'>;
}

function getOrCreate<T>(registry: Registry, name: string, create: () => T): T {
  return (registry.getSingleMetric(name) as T | undefined) ?? create();
}

/**
 * Delivery metrics on prom-client's global registry (shared with /metrics). Created once per registry: a
 * second worker app in the same process (tests) reuses them instead of failing on double registration.
 */
export function webhookMetrics(registry: Registry = register): WebhookMetrics {
  const registers = [registry];
  return {
    attempts: getOrCreate(
      registry,
      'webhook_delivery_attempts_total',
      () =>
        new Counter({
          name: 'webhook_delivery_attempts_total',
          help: 'Webhook delivery attempts by outcome',
          labelNames: ['outcome'] as const,
          registers,
        }),
    ),
    finished: getOrCreate(
      registry,
      'webhook_deliveries_finished_total',
      () =>
        new Counter({
          name: 'webhook_deliveries_finished_total',
          help: 'Webhook deliveries that reached a final status (DELIVERED or FAILED)',
          labelNames: ['status'] as const,
          registers,
        }),
    ),
    attemptDuration: getOrCreate(
      registry,
      'webhook_delivery_attempt_duration_seconds',
      () =>
        new Histogram({
          name: 'webhook_delivery_attempt_duration_seconds',
          help: 'Duration of one webhook POST (until the partner answered or the attempt failed)',
          labelNames: ['outcome'] as const,
          buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
          registers,
        }),
    ),
    deliveryLatency: getOrCreate(
      registry,
      'webhook_delivery_latency_seconds',
      () =>
        new Histogram({
          name: 'webhook_delivery_latency_seconds',
          help: 'From the event being recorded to the partner acknowledging it (delivered events only)',
          buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 1800, 7200],
          registers,
        }),
    ),
    directFallbacks: getOrCreate(
      registry,
      'webhook_direct_fallbacks_total',
      () =>
        new Counter({
          name: 'webhook_direct_fallbacks_total',
          help: 'First attempts handed from the direct sender to the job path, by reason',
          labelNames: ['reason'] as const,
          registers,
        }),
    ),
  };
}

import { Counter, Gauge, Histogram, register as defaultRegister, type Registry } from 'prom-client';

/**
 * Upstream metrics. Metric objects are shared per registry: a second client in the same process (tests,
 * or several named clients) reuses them instead of failing on double registration. The `client` label keeps
 * their series apart.
 */

export type TrubitCallOutcome =
  | 'success'
  | 'business_error'
  | 'auth_error'
  | 'rate_limited'
  | 'limiter_rejected'
  | 'unavailable'
  | 'unknown_outcome'
  | 'upstream_error';

export const TRUBIT_BREAKER_STATE_VALUE = { CLOSED: 0, HALF_OPEN: 1, OPEN: 2 } as const;

export interface TrubitMetrics {
  requests: Counter<'client' | 'endpoint' | 'outcome'>;
  latency: Histogram<'client' | 'endpoint' | 'outcome'>;
  breakerState: Gauge<'client'>;
}

export const TRUBIT_METRIC_NAMES = {
  requests: 'trubit_upstream_requests_total',
  latency: 'trubit_upstream_request_duration_seconds',
  breakerState: 'trubit_circuit_breaker_state',
} as const;

function getOrCreate<T>(registry: Registry, name: string, create: () => T): T {
  const existing = registry.getSingleMetric(name);
  return existing ? (existing as unknown as T) : create();
}

export function trubitMetrics(registry: Registry = defaultRegister): TrubitMetrics {
  const registers = [registry];
  return {
    requests: getOrCreate(
      registry,
      TRUBIT_METRIC_NAMES.requests,
      () =>
        new Counter({
          name: TRUBIT_METRIC_NAMES.requests,
          help: 'Calls to the TruBit OTC API by endpoint and outcome (limiter_rejected/unavailable never left the process)',
          labelNames: ['client', 'endpoint', 'outcome'] as const,
          registers,
        }),
    ),
    latency: getOrCreate(
      registry,
      TRUBIT_METRIC_NAMES.latency,
      () =>
        new Histogram({
          name: TRUBIT_METRIC_NAMES.latency,
          help: 'Latency of TruBit OTC HTTP calls that were sent, in seconds',
          labelNames: ['client', 'endpoint', 'outcome'] as const,
          buckets: [0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
          registers,
        }),
    ),
    breakerState: getOrCreate(
      registry,
      TRUBIT_METRIC_NAMES.breakerState,
      () =>
        new Gauge({
          name: TRUBIT_METRIC_NAMES.breakerState,
          help: 'TruBit circuit breaker state: 0 closed, 1 half-open, 2 open',
          labelNames: ['client'] as const,
          registers,
        }),
    ),
  };
}

import { Injectable } from '@nestjs/common';
import { Counter, Histogram, Registry, collectDefaultMetrics, register } from 'prom-client';

/**
 * The process's Prometheus registry (prom-client's global one, so library metrics — the TruBit client's,
 * BullMQ's — land in the same /metrics) and the gateway's HTTP metrics.
 */
@Injectable()
export class MetricsService {
  readonly registry: Registry = register;
  readonly httpDuration: Histogram<'method' | 'route' | 'status'>;
  readonly partnerRequests: Counter<'partner' | 'status'>;

  constructor() {
    if (!this.registry.getSingleMetric('process_cpu_user_seconds_total'))
      collectDefaultMetrics({ register: this.registry });
    this.httpDuration = this.getOrCreate(
      'http_request_duration_seconds',
      () =>
        new Histogram({
          name: 'http_request_duration_seconds',
          help: 'HTTP request duration by route and status',
          labelNames: ['method', 'route', 'status'],
          buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
          registers: [this.registry],
        }),
    );
    this.partnerRequests = this.getOrCreate(
      'partner_requests_total',
      () =>
        new Counter({
          name: 'partner_requests_total',
          help: 'Partner API responses by partner and status code',
          labelNames: ['partner', 'status'],
          registers: [this.registry],
        }),
    );
  }

  private getOrCreate<T>(name: string, make: () => T): T {
    return (this.registry.getSingleMetric(name) as T | undefined) ?? make();
  }

  async render(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }
}

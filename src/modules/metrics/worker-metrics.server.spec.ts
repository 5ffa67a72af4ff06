import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { describe, it } from 'node:test';
import { Counter } from 'prom-client';
import type { AppConfig } from '@app/config/app-config';
import { MetricsService } from './metrics.service';
import { WorkerMetricsServer } from './worker-metrics.server';

const configWith = (metricsPort: number | null) =>
  ({ worker: { metricsPort }, http: { host: '127.0.0.1' } }) as unknown as AppConfig;

describe('WorkerMetricsServer', () => {
  it('serves the process registry on GET /metrics, and nothing else', async () => {
    const metrics = new MetricsService();
    const counter =
      (metrics.registry.getSingleMetric('worker_metrics_test_total') as Counter | undefined) ??
      new Counter({ name: 'worker_metrics_test_total', help: 'test', registers: [metrics.registry] });
    counter.inc(3);
    const server = new WorkerMetricsServer(configWith(0), metrics);
    await server.onApplicationBootstrap();
    try {
      const base = `http://127.0.0.1:${server.address()!.port}`;
      const res = await fetch(`${base}/metrics`);
      assert.equal(res.status, 200);
      assert.match(res.headers.get('content-type') ?? '', /text\/plain/);
      const body = await res.text();
      assert.match(body, /^worker_metrics_test_total 3$/m);
      assert.match(body, /process_cpu_user_seconds_total/);
      assert.equal((await fetch(`${base}/`)).status, 404);
      assert.equal((await fetch(`${base}/metrics`, { method: 'POST' })).status, 404);
    } finally {
      await server.onApplicationShutdown();
    }
    assert.equal(server.address(), null);
  });

  it('is off without a port, and a taken port does not stop the worker', async () => {
    const off = new WorkerMetricsServer(configWith(null), new MetricsService());
    await off.onApplicationBootstrap();
    assert.equal(off.address(), null);

    const blocker = createServer();
    await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', r));
    const taken = (blocker.address() as { port: number }).port;
    try {
      const clash = new WorkerMetricsServer(configWith(taken), new MetricsService());
      await clash.onApplicationBootstrap();
      assert.equal(clash.address(), null);
      await clash.onApplicationShutdown();
    } finally {
      blocker.close();
    }
  });
});

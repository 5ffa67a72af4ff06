import { Module } from '@nestjs/common';
import { WorkerMetricsServer } from './worker-metrics.server';

/** GET /metrics of the worker process (MetricsModule, global, provides the registry). */
@Module({ providers: [WorkerMetricsServer] })
export class WorkerMetricsModule {}

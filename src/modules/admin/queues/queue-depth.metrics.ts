import { Injectable, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { Gauge, register } from 'prom-client';
import { QueueRegistry } from './queue-registry';

const STATES = ['waiting', 'active', 'delayed', 'prioritized', 'failed', 'completed'] as const;
const COLLECT_TIMEOUT_MS = 1000;

type Collector = () => Promise<Array<{ queue: string; state: string; count: number }>>;
/** The live collectors of this process (an API app registers one on start and removes it on close). */
const collectors = new Set<Collector>();

function withTimeout<T>(p: Promise<T>): Promise<T | null> {
  return Promise.race([p, new Promise<null>((r) => setTimeout(() => r(null), COLLECT_TIMEOUT_MS).unref())]);
}

/**
 * `bullmq_queue_jobs{queue,state}`: job counts per queue, read from Redis when Prometheus scrapes. Registered
 * once on the global registry; a scrape while Redis is away returns no series for the queues (never hangs).
 */
function ensureGauge(): void {
  if (register.getSingleMetric('bullmq_queue_jobs')) return;
  new Gauge({
    name: 'bullmq_queue_jobs',
    help: 'BullMQ jobs per queue and state, read at scrape time',
    labelNames: ['queue', 'state'] as const,
    registers: [register],
    async collect() {
      this.reset();
      const latest = [...collectors].pop();
      for (const s of (await latest?.()) ?? []) this.set({ queue: s.queue, state: s.state }, s.count);
    },
  });
}

@Injectable()
export class QueueDepthMetrics implements OnModuleInit, OnModuleDestroy {
  private readonly collector: Collector = async () => {
    const rows = await Promise.all(
      this.queues.all().map(async (q) => {
        const counts = await withTimeout(q.getJobCounts(...STATES)).catch(() => null);
        return counts ? STATES.map((state) => ({ queue: q.name, state, count: counts[state] ?? 0 })) : [];
      }),
    );
    return rows.flat();
  };

  constructor(private readonly queues: QueueRegistry) {}

  onModuleInit(): void {
    ensureGauge();
    collectors.add(this.collector);
  }

  onModuleDestroy(): void {
    collectors.delete(this.collector);
  }
}

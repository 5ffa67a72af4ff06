import type { RedisOptions } from 'bullmq';

/** BullMQ connection options for a redis:// URL (workers need maxRetriesPerRequest: null; reconnect forever). */
export function bullConnection(redisUrl: string): RedisOptions {
  return {
    url: redisUrl,
    maxRetriesPerRequest: null,
    enableReadyCheck: false,
    retryStrategy: (times: number) => Math.min(times * 100, 2000),
  };
}

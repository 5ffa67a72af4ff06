import { Inject, Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import { Redis, RedisOptions } from 'ioredis';
import { APP_CONFIG, AppConfig } from '@app/config/app-config';

type MessageHandler = (message: string) => void;

/**
 * Redis connections of a process: `client` for commands (auto-pipelined, so concurrent requests share round
 * trips), a lazily opened `subscriber` for pub/sub, and `key()` to put every key under the deployment prefix.
 */
@Injectable()
export class RedisService implements OnModuleDestroy {
  private readonly logger = new Logger('Redis');
  readonly client: Redis;
  readonly prefix: string;
  private subscriber?: Redis;
  private readonly handlers = new Map<string, Set<MessageHandler>>();
  private readonly reconnectHandlers: Array<() => void> = [];
  private subscriberConnectedOnce = false;

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {
    this.prefix = config.redis.prefix;
    this.client = new Redis(config.redis.url, RedisService.options());
    this.client.on('error', (err) => this.logger.warn(`redis error: ${err.message}`));
  }

  static options(extra: RedisOptions = {}): RedisOptions {
    return {
      enableAutoPipelining: true,
      maxRetriesPerRequest: 2,
      // Reconnect forever with a capped backoff: a Redis restart must heal by itself.
      retryStrategy: (times) => Math.min(times * 100, 2000),
      ...extra,
    };
  }

  key(...parts: Array<string | number>): string {
    return this.prefix + parts.join(':');
  }

  /** A new connection for a component that needs its own (BullMQ workers need maxRetriesPerRequest: null). */
  duplicate(extra: RedisOptions = {}): Redis {
    return new Redis(this.config.redis.url, RedisService.options(extra));
  }

  async publish(channel: string, message: string): Promise<void> {
    await this.client.publish(this.key('ch', channel), message);
  }

  async subscribe(channel: string, handler: MessageHandler): Promise<void> {
    const full = this.key('ch', channel);
    if (!this.subscriber) {
      this.subscriber = this.duplicate({ maxRetriesPerRequest: null });
      this.subscriber.on('error', (err) => this.logger.warn(`redis subscriber error: ${err.message}`));
      this.subscriber.on('ready', () => {
        if (this.subscriberConnectedOnce) for (const fn of this.reconnectHandlers) fn();
        this.subscriberConnectedOnce = true;
      });
      this.subscriber.on('message', (ch: string, msg: string) => {
        for (const h of this.handlers.get(ch) ?? []) h(msg);
      });
    }
    let set = this.handlers.get(full);
    if (!set) {
      set = new Set();
      this.handlers.set(full, set);
      await this.subscriber.subscribe(full);
    }
    set.add(handler);
  }

  /**
   * Runs `fn` whenever the subscriber connection comes back after a drop: messages published meanwhile are
   * lost, so whoever caches on the strength of those messages must drop the cache.
   */
  onReconnect(fn: () => void): void {
    this.reconnectHandlers.push(fn);
  }

  async onModuleDestroy(): Promise<void> {
    await Promise.allSettled([close(this.client), this.subscriber ? close(this.subscriber) : undefined]);
  }
}

/** QUIT politely when connected (bounded), otherwise just drop the socket: never hang a shutdown on Redis. */
async function close(conn: Redis): Promise<void> {
  if (conn.status !== 'ready') {
    conn.disconnect();
    return;
  }
  await Promise.race([
    conn.quit().catch(() => conn.disconnect()),
    new Promise((r) => setTimeout(r, 1000).unref()),
  ]);
  if ((conn.status as string) !== 'end') conn.disconnect();
}

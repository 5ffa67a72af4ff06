import { Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { RedisService } from '@app/infra/redis/redis.service';
import { DirectDeliveryService } from '@app/modules/webhooks/delivery/direct-delivery.service';
import { OUTBOX_CHANNEL } from './outbox.nudge';
import { OutboxRelay, RELAY_BATCH } from './outbox.relay';

/** Poll interval: the relay's latency bound when no nudge arrives (the query is an index probe when idle). */
export const OUTBOX_POLL_MS = 250;

/**
 * Drives the relay in each worker process: on a short interval and at once on a pub/sub nudge, one run at a
 * time per process (a nudge during a run schedules one more), batches back to back while they come back full.
 * Several processes may run it together: SKIP LOCKED splits the rows between them.
 */
@Injectable()
export class OutboxRelayRunner implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('OutboxRelay');
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;
  private again = false;
  private stopped = false;
  private lastErrorLogAt = 0;

  constructor(
    private readonly relay: OutboxRelay,
    private readonly redis: RedisService,
    private readonly direct: DirectDeliveryService,
  ) {}

  onApplicationBootstrap(): void {
    this.direct.onRoom = () => this.kick();
    this.redis.subscribe(OUTBOX_CHANNEL, () => this.kick()).catch(() => undefined);
    this.timer = setInterval(() => this.kick(), OUTBOX_POLL_MS);
    this.timer.unref();
    this.kick();
  }

  kick(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.drain().finally(() => {
      this.running = undefined;
      if (this.again) {
        this.again = false;
        this.kick();
      }
    });
  }

  private async drain(): Promise<void> {
    try {
      while (!this.stopped && (await this.relay.relayBatch()) === RELAY_BATCH) {
        /* full batch: there may be more */
      }
    } catch (err) {
      // Database or Redis away: the next tick tries again. Log at most every 10 s.
      if (Date.now() - this.lastErrorLogAt > 10_000) {
        this.lastErrorLogAt = Date.now();
        this.logger.warn(`relay failed: ${(err as Error).message}`);
      }
    }
  }

  async onModuleDestroy(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    // Let a batch in progress finish, but never hang a shutdown on it (its rows stay unpublished or swept).
    await Promise.race([this.running, new Promise((r) => setTimeout(r, 5000).unref())]);
  }
}

import { Injectable } from '@nestjs/common';
import { RedisService } from '@app/infra/redis/redis.service';

/** Pub/sub channel (under the deployment prefix) that wakes every outbox relay at once. */
export const OUTBOX_CHANNEL = 'outbox';

/**
 * Tells the relays "new outbox rows were committed" so webhooks go out without waiting for the next poll.
 * Best effort: a lost nudge only costs the poll interval. Call it after the transaction commits.
 */
@Injectable()
export class OutboxNudge {
  constructor(private readonly redis: RedisService) {}

  nudge(): void {
    this.redis.publish(OUTBOX_CHANNEL, '1').catch(() => undefined);
  }
}

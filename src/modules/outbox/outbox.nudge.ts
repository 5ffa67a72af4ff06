import { Injectable } from '@nestjs/common';
import { RedisService } from '@app/infra/redis/redis.service';

/** Pub/sub channel (under the deployment prefix) that wakes every outbox relay at once. */
export const OUTBOX_CHANNEL = 'outbox';

/**
 * Tells the relays "new outbox rows were committed" so webhooks go out without waiting for the next poll.
 * Best effort: a lost nudge only costs the poll interval. Call it after the transaction commits.
 *
 * Nudges coalesce: while one PUBLISH is in flight, any number of further nudges cause exactly one more after it
 * (that one is sent after their commits, which the in-flight one may not have been). Under load a process
 * committing hundreds of events a second then publishes once per Redis round trip, not once per event.
 */
@Injectable()
export class OutboxNudge {
  private inFlight = false;
  private again = false;

  constructor(private readonly redis: RedisService) {}

  nudge(): void {
    if (this.inFlight) {
      this.again = true;
      return;
    }
    this.inFlight = true;
    this.redis
      .publish(OUTBOX_CHANNEL, '1')
      .catch(() => undefined)
      .finally(() => {
        this.inFlight = false;
        if (this.again) {
          this.again = false;
          this.nudge();
        }
      });
  }
}

import { Injectable } from '@nestjs/common';
import type { ClientContext, Result } from 'ioredis';
import { RedisService } from '@app/infra/redis/redis.service';

export interface RateDecision {
  allowed: boolean;
  limit: number;
  remaining: number;
  /** Unix seconds when the window resets */
  resetAt: number;
  retryAfterSeconds: number;
}

// INCRBY and set the expiry in one atomic step: one round trip, and no key lives on without a TTL.
const INCR_WINDOW = `
local c = redis.call('INCRBY', KEYS[1], ARGV[2])
if c == tonumber(ARGV[2]) then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
return c`;

/** Tokens an instance has already reserved in Redis for one bucket and window, spent without a round trip. */
interface Lease {
  window: number;
  available: number;
  /** The bucket's shared count when this lease was taken (every instance's reservations included). */
  sharedCount: number;
  exhausted?: boolean;
  pending?: Promise<void>;
}

declare module 'ioredis' {
  interface RedisCommander<Context extends ClientContext> {
    gwIncrWindow(key: string, ttlMs: number, by: number): Result<number, Context>;
  }
}

/**
 * Fixed one-minute windows counted in Redis, so every gateway instance spends from one budget per subject
 * (partner id, or client IP for failed authentications).
 */
@Injectable()
export class RedisRateLimiter {
  static readonly WINDOW_MS = 60_000;
  private readonly leases = new Map<string, Lease>();

  constructor(private readonly redis: RedisService) {
    if (typeof (redis.client as { gwIncrWindow?: unknown }).gwIncrWindow !== 'function') {
      redis.client.defineCommand('gwIncrWindow', { numberOfKeys: 1, lua: INCR_WINDOW });
    }
  }

  private window(nowMs: number) {
    const index = Math.floor(nowMs / RedisRateLimiter.WINDOW_MS);
    const endMs = (index + 1) * RedisRateLimiter.WINDOW_MS;
    return { index, endMs };
  }

  /** Spends one unit from `bucket` and says whether it was within `limit`. */
  async consume(bucket: string, limit: number, nowMs = Date.now()): Promise<RateDecision> {
    const { index, endMs } = this.window(nowMs);
    const count = await this.redis.client.gwIncrWindow(
      this.redis.key('rl', bucket, index),
      RedisRateLimiter.WINDOW_MS + 5000,
      1,
    );
    return this.decide(count, limit, nowMs, endMs);
  }

  /**
   * Like consume(), but for large budgets an instance reserves a small chunk (1% of the limit, at most 100)
   * in one Redis call and spends it locally, so the hot path rarely pays a round trip. The shared count in
   * Redis includes every reservation, so all instances together never exceed the limit; what a lease leaves
   * unspent at the end of a window (at most one chunk per instance) is simply not used. Small budgets
   * (under 1000/min, e.g. FREE and GROWTH) take chunks of one: exact, one round trip per request, as consume().
   */
  async consumeLeased(bucket: string, limit: number, nowMs = Date.now()): Promise<RateDecision> {
    const chunk = limit >= 1000 ? Math.min(100, Math.floor(limit / 100)) : 1;
    if (chunk === 1) return this.consume(bucket, limit, nowMs);
    const { index, endMs } = this.window(nowMs);
    let lease = this.leases.get(bucket);
    if (!lease || lease.window !== index) {
      lease = { window: index, available: 0, sharedCount: 0 };
      this.leases.set(bucket, lease);
      if (this.leases.size > 10_000) this.pruneLeases(index);
    }
    while (lease.available <= 0) {
      if (lease.exhausted) return this.decide(Math.max(lease.sharedCount, limit + 1), limit, nowMs, endMs);
      // One reservation in flight per bucket: concurrent requests wait for it instead of each reserving.
      lease.pending ??= this.reserve(bucket, lease, chunk, limit, index).finally(
        () => (lease.pending = undefined),
      );
      await lease.pending;
    }
    lease.available--;
    return this.decide(Math.max(0, lease.sharedCount - lease.available), limit, nowMs, endMs);
  }

  private async reserve(
    bucket: string,
    lease: Lease,
    chunk: number,
    limit: number,
    index: number,
  ): Promise<void> {
    const count = await this.redis.client.gwIncrWindow(
      this.redis.key('rl', bucket, index),
      RedisRateLimiter.WINDOW_MS + 5000,
      chunk,
    );
    // Only the part of this chunk that fits under the limit is usable.
    const granted = Math.max(0, Math.min(chunk, limit - (count - chunk)));
    lease.available += granted;
    lease.sharedCount = count;
    // Nothing left in this window for anyone: later requests are refused without another round trip.
    if (granted === 0) lease.exhausted = true;
  }

  private pruneLeases(current: number): void {
    for (const [k, l] of this.leases) if (l.window !== current) this.leases.delete(k);
  }

  /** Reads the current count without spending (used before doing expensive work). */
  async peek(bucket: string, limit: number, nowMs = Date.now()): Promise<RateDecision> {
    const { index, endMs } = this.window(nowMs);
    const raw = await this.redis.client.get(this.redis.key('rl', bucket, index));
    return this.decide(Number(raw ?? 0), limit, nowMs, endMs, true);
  }

  private decide(count: number, limit: number, nowMs: number, endMs: number, peeking = false): RateDecision {
    const allowed = peeking ? count < limit : count <= limit;
    return {
      allowed,
      limit,
      remaining: Math.max(0, limit - count),
      resetAt: Math.ceil(endMs / 1000),
      retryAfterSeconds: Math.max(1, Math.ceil((endMs - nowMs) / 1000)),
    };
  }
}

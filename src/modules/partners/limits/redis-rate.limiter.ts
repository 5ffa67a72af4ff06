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

// INCR and set the expiry in one atomic step: one round trip, and no key lives on without a TTL.
const INCR_WINDOW = `
local c = redis.call('INCR', KEYS[1])
if c == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
return c`;

declare module 'ioredis' {
  interface RedisCommander<Context extends ClientContext> {
    gwIncrWindow(key: string, ttlMs: number): Result<number, Context>;
  }
}

/**
 * Fixed one-minute windows counted in Redis, so every gateway instance spends from one budget per subject
 * (partner id, or client IP for failed authentications).
 */
@Injectable()
export class RedisRateLimiter {
  static readonly WINDOW_MS = 60_000;

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
    );
    return this.decide(count, limit, nowMs, endMs);
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

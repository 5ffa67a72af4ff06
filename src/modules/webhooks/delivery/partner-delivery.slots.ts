import { Inject, Injectable } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { APP_CONFIG, AppConfig } from '@app/config/app-config';
import { RedisService } from '@app/infra/redis/redis.service';

/** In-flight attempts a partner always gets (a new partner, or one that is slow or failing). */
export const MIN_PARTNER_CONCURRENCY = 4;
/**
 * In-flight attempts a partner can earn with fast answers, across every worker process. A partner that was
 * healthy and suddenly hangs can fill a worker's slots for at most SLOW_ATTEMPT_MS: then its attempts are
 * detached from the workers (they keep only these slots) and it is back to the minimum.
 */
export const MAX_PARTNER_CONCURRENCY = 64;
/** An attempt slower than this (or a timeout, or a connection error) resets the partner's earned concurrency. */
export const SLOW_ATTEMPT_MS = 2000;

// KEYS: leases (zset: token → lease expiry), credit (earned extra concurrency), waiting (zset: job id → since).
// ARGV: now, lease expiry, lease token, min, max, key ttl, "stuck" score bound, job id.
// Expired leases are dropped first (a killed worker's slots free themselves). A partner with a request in
// flight for longer than SLOW_ATTEMPT_MS is treated as slow at once, before any attempt has finished.
const ACQUIRE = `
local now = tonumber(ARGV[1])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
local cap = tonumber(ARGV[4])
if redis.call('ZCOUNT', KEYS[1], '-inf', ARGV[7]) == 0 then
  cap = math.min(tonumber(ARGV[5]), cap + tonumber(redis.call('GET', KEYS[2]) or '0'))
end
if redis.call('ZCARD', KEYS[1]) < cap then
  redis.call('ZADD', KEYS[1], ARGV[2], ARGV[3])
  redis.call('PEXPIRE', KEYS[1], ARGV[6])
  redis.call('ZREM', KEYS[3], ARGV[8])
  return 1
end
return 0`;

// KEYS: leases, credit. ARGV: now, min, max, "stuck" bound. How many slots are free right now.
const FREE = `
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[1])
local cap = tonumber(ARGV[2])
if redis.call('ZCOUNT', KEYS[1], '-inf', ARGV[4]) == 0 then
  cap = math.min(tonumber(ARGV[3]), cap + tonumber(redis.call('GET', KEYS[2]) or '0'))
end
return math.max(0, cap - redis.call('ZCARD', KEYS[1]))`;

// KEYS: leases, credit. ARGV: token, outcome (1 fast, 0 slow/failed, -1 nothing sent), min, max, ttl, now,
// "stuck" bound. Frees the lease, earns one more slot for a fast answer (up to the maximum) or drops back to
// the minimum, and returns how many slots are free now: that many waiting jobs can be promoted.
const RELEASE = `
redis.call('ZREM', KEYS[1], ARGV[1])
local min = tonumber(ARGV[3])
local max = tonumber(ARGV[4])
if ARGV[2] == '1' then
  local c = redis.call('INCR', KEYS[2])
  if c > max - min then redis.call('SET', KEYS[2], max - min) end
  redis.call('PEXPIRE', KEYS[2], ARGV[5])
elseif ARGV[2] == '0' then
  redis.call('SET', KEYS[2], 0, 'PX', ARGV[5])
end
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[6])
local cap = min
if redis.call('ZCOUNT', KEYS[1], '-inf', ARGV[7]) == 0 then
  cap = math.min(max, min + tonumber(redis.call('GET', KEYS[2]) or '0'))
end
return math.max(0, cap - redis.call('ZCARD', KEYS[1]))`;

const KEY_TTL_MS = 3_600_000;

/**
 * Per-partner delivery slots, so one partner's slow or dead endpoint never delays another's deliveries:
 * a Redis semaphore with expiring leases whose size adapts to the partner (AIMD-like). Every partner may have
 * MIN_PARTNER_CONCURRENCY attempts in flight; each fast answer earns one more slot up to
 * MAX_PARTNER_CONCURRENCY; a slow answer, a timeout or a connection error drops it back to the minimum, and so
 * does any request still in flight after SLOW_ATTEMPT_MS. A job that finds no free slot is put back as a
 * delayed job (never waits inside a worker) and registers in the partner's waiting set; whoever frees a slot
 * promotes the oldest waiting job, so a busy but healthy partner keeps its slots full without polling.
 */
@Injectable()
export class PartnerDeliverySlots {
  private readonly leaseMs: number;
  private readonly slowMs: number;

  constructor(
    private readonly redis: RedisService,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.leaseMs = config.webhooks.timeoutMs + 5000;
    this.slowMs = Math.min(SLOW_ATTEMPT_MS, config.webhooks.timeoutMs);
  }

  // One hash tag per partner: a Redis Cluster keeps a partner's keys (used together by the scripts) in one slot.
  private key(partnerId: string, what: 'slots' | 'credit' | 'waiting'): string {
    return this.redis.key('wh', `{${partnerId}}`, what);
  }

  /**
   * A lease token for job `jobId`, or null when the partner already has all the attempts in flight it may
   * have. A job that gets its slot leaves the waiting set, so a later hand-off can never wake it early.
   */
  async acquire(partnerId: string, jobId: string): Promise<string | null> {
    const token = randomBytes(8).toString('hex');
    const now = Date.now();
    const ok = await this.redis.client.eval(
      ACQUIRE,
      3,
      this.key(partnerId, 'slots'),
      this.key(partnerId, 'credit'),
      this.key(partnerId, 'waiting'),
      now,
      now + this.leaseMs,
      token,
      MIN_PARTNER_CONCURRENCY,
      MAX_PARTNER_CONCURRENCY,
      KEY_TTL_MS,
      now + this.leaseMs - this.slowMs,
      jobId,
    );
    return ok === 1 ? token : null;
  }

  /**
   * Frees the slot and adjusts what the partner may use from how the attempt went (`undefined`: nothing was
   * sent). Returns how many of the partner's waiting jobs may start now.
   */
  async release(
    partnerId: string,
    token: string,
    outcome?: { durationMs: number; answered: boolean },
  ): Promise<number> {
    const now = Date.now();
    const fast = outcome ? (outcome.answered && outcome.durationMs < this.slowMs ? '1' : '0') : '-1';
    const free = await this.redis.client
      .eval(
        RELEASE,
        2,
        this.key(partnerId, 'slots'),
        this.key(partnerId, 'credit'),
        token,
        fast,
        MIN_PARTNER_CONCURRENCY,
        MAX_PARTNER_CONCURRENCY,
        KEY_TTL_MS,
        now,
        now + this.leaseMs - this.slowMs,
      )
      .catch(() => 0);
    return Number(free) || 0;
  }

  /** Slots of the partner free right now (nothing changes). */
  async free(partnerId: string): Promise<number> {
    const now = Date.now();
    const n = await this.redis.client.eval(
      FREE,
      2,
      this.key(partnerId, 'slots'),
      this.key(partnerId, 'credit'),
      now,
      MIN_PARTNER_CONCURRENCY,
      MAX_PARTNER_CONCURRENCY,
      now + this.leaseMs - this.slowMs,
    );
    return Number(n) || 0;
  }

  /** Remembers a job that found no free slot (call after it was put back as a delayed job); first wait counts. */
  async wait(partnerId: string, jobId: string): Promise<void> {
    const key = this.key(partnerId, 'waiting');
    await this.redis.client.multi().zadd(key, 'NX', Date.now(), jobId).pexpire(key, KEY_TTL_MS).exec();
  }

  /** The longest-waiting job of the partner, if any (the caller promotes it if it is still delayed). */
  async nextWaiting(partnerId: string): Promise<string | null> {
    const popped = await this.redis.client.zpopmin(this.key(partnerId, 'waiting'));
    return popped[0] ?? null;
  }
}

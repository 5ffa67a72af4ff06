import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '@app/config/app-config';
import { RedisScript } from '@app/infra/redis/redis-script';
import { RedisService } from '@app/infra/redis/redis.service';
import type { FundingAccount } from '@app/modules/funding/accounts/funding-accounts';

/**
 * How long a job that is not admitted sleeps (as a delayed job) before it asks again; a departing job wakes the
 * next one long before that, so this only bounds the wait when that wake-up was lost (a crash).
 */
export const PARKED_MS = 60_000;
/**
 * A member not seen for this long is dropped from its line: its job is gone (completed without leaving in a
 * crash, removed by an operator). Parked jobs ask again every PARKED_MS, admitted ones finish well within it.
 */
const STALE_MS = 4 * PARKED_MS;
const KEY_TTL_MS = 3_600_000;

// KEYS: line (zset: job id → place in arrival order), seen (zset: job id → last asked). ARGV: now, job id, heads,
// stale cutoff, ttl. Drops members not seen since the cutoff, joins the line once (behind its last member: the
// place is the order Redis ran the joins, so jobs arriving in the same millisecond, or from instances whose
// clocks differ, still keep their arrival order), answers 1 if the job is among the first `heads`, else 0.
const ADMIT = new RedisScript(
  `
local stale = redis.call('ZRANGEBYSCORE', KEYS[2], '-inf', ARGV[4], 'LIMIT', 0, 100)
for _, member in ipairs(stale) do
  redis.call('ZREM', KEYS[1], member)
  redis.call('ZREM', KEYS[2], member)
end
if not redis.call('ZSCORE', KEYS[1], ARGV[2]) then
  local last = redis.call('ZRANGE', KEYS[1], -1, -1, 'WITHSCORES')
  redis.call('ZADD', KEYS[1], (tonumber(last[2]) or 0) + 1, ARGV[2])
end
redis.call('ZADD', KEYS[2], ARGV[1], ARGV[2])
redis.call('PEXPIRE', KEYS[1], ARGV[5])
redis.call('PEXPIRE', KEYS[2], ARGV[5])
if redis.call('ZRANK', KEYS[1], ARGV[2]) < tonumber(ARGV[3]) then return 1 end
return 0`,
  2,
);

// KEYS: line, seen. ARGV: job id, heads. Leaves the line; answers the job that has just become one of the first
// `heads` (to be woken), if any.
const LEAVE = new RedisScript(
  `
redis.call('ZREM', KEYS[1], ARGV[1])
redis.call('ZREM', KEYS[2], ARGV[1])
local next = redis.call('ZRANGE', KEYS[1], tonumber(ARGV[2]) - 1, tonumber(ARGV[2]) - 1)
return next[1] or false`,
  2,
);

/**
 * First come, first submitted, per TruBit account. TruBit takes a few order/add a second per API key, so a
 * burst of funded orders waits; without a line, every job raced for the rate limiter, a job that lost twice in
 * a row was retried on an exponential backoff, and the oldest orders of a burst were submitted last (measured:
 * 1,500 orders at 8 a second, 64% of the jobs retried, one of the first hundred orders submitted 1,452nd).
 *
 * Each account has a line (a Redis sorted set, in arrival order). Only its first `heads` jobs may claim their orders
 * and wait for the limiter (two seconds of the account's rate: enough to keep it busy while TruBit answers, few
 * enough that a head seldom waits out the limiter, and one that does keeps its place); the others park as
 * delayed jobs, holding no worker slot, so one account's backlog never blocks another account's orders. A job
 * that leaves the line (submitted, failed, skipped) wakes the one that has just become a head. Waiting in line
 * is not a failed attempt. The heads race each other for the limiter, so orders go out in arrival order give or
 * take a few places, not strictly.
 */
@Injectable()
export class SubmissionAdmission {
  /** Jobs of an account that may be past the line at once: two seconds of its order rate. */
  readonly heads: number;

  constructor(
    private readonly redis: RedisService,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.heads = Math.max(1, Math.ceil(2 * config.trubit.limiter.ordersPerSecond));
  }

  private keys(account: Pick<FundingAccount, 'id'>): [string, string] {
    // One hash tag per account: a Redis Cluster keeps both keys (used together by the scripts) in one slot.
    return [
      this.redis.key('sub', `{${account.id}}`, 'line'),
      this.redis.key('sub', `{${account.id}}`, 'seen'),
    ];
  }

  /** How many submission jobs of the account are in its line (the heads included): the operators' view. */
  async waiting(account: Pick<FundingAccount, 'id'>): Promise<number> {
    return this.redis.client.zcard(this.keys(account)[0]);
  }

  /** Joins the account's line (or keeps its place in it); true if the job may go on now. */
  async admit(account: Pick<FundingAccount, 'id'>, jobId: string): Promise<boolean> {
    const now = Date.now();
    const answer = await ADMIT.run(this.redis, [
      ...this.keys(account),
      now,
      jobId,
      this.heads,
      now - STALE_MS,
      KEY_TTL_MS,
    ]);
    return answer === 1;
  }

  /** Leaves the line; returns the job to wake (it has just become a head), if any. */
  async leave(account: Pick<FundingAccount, 'id'>, jobId: string): Promise<string | null> {
    const next = await LEAVE.run(this.redis, [...this.keys(account), jobId, this.heads]);
    return typeof next === 'string' ? next : null;
  }
}

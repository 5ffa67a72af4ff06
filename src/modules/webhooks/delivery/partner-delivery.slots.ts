import { Inject, Injectable } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { APP_CONFIG, AppConfig } from '@app/config/app-config';
import { GroupCommit } from '@app/infra/batching/group-commit';
import { RedisScript } from '@app/infra/redis/redis-script';
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
// ARGV: now, lease expiry, "stuck" score bound, min, max, key ttl, then one operation per 4 arguments, applied in
// order, each with the semantics it would have alone:
//   'a', token, job id, -      acquire: 1 if the partner had a free slot (leased to `token`; the job leaves the
//                              waiting set), else 0
//   'r', token, outcome, n     release (outcome 1 fast, 0 slow/failed, -1 nothing sent): frees the lease, earns one
//                              more slot for a fast answer (up to the maximum) or drops back to the minimum, and
//                              answers {free slots, up to n longest-waiting job ids taken off the waiting set}
// Expired leases are dropped first (a killed worker's slots free themselves). A partner with a request in flight
// for longer than SLOW_ATTEMPT_MS is treated as slow at once, before any attempt has finished.
const OPERATIONS = `
local now, expiry, stuck = ARGV[1], ARGV[2], ARGV[3]
local min, max, ttl = tonumber(ARGV[4]), tonumber(ARGV[5]), ARGV[6]
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
local function cap()
  if redis.call('ZCOUNT', KEYS[1], '-inf', stuck) > 0 then return min end
  return math.min(max, min + tonumber(redis.call('GET', KEYS[2]) or '0'))
end
local out = {}
for i = 7, #ARGV, 4 do
  local op, token = ARGV[i], ARGV[i + 1]
  if op == 'a' then
    if redis.call('ZCARD', KEYS[1]) < cap() then
      redis.call('ZADD', KEYS[1], expiry, token)
      redis.call('PEXPIRE', KEYS[1], ttl)
      redis.call('ZREM', KEYS[3], ARGV[i + 2])
      out[#out + 1] = 1
    else
      out[#out + 1] = 0
    end
  else
    redis.call('ZREM', KEYS[1], token)
    local outcome = ARGV[i + 2]
    if outcome == '1' then
      if redis.call('INCR', KEYS[2]) > max - min then redis.call('SET', KEYS[2], max - min) end
      redis.call('PEXPIRE', KEYS[2], ttl)
    elseif outcome == '0' then
      redis.call('SET', KEYS[2], 0, 'PX', ttl)
    end
    local free = math.max(0, cap() - redis.call('ZCARD', KEYS[1]))
    local handoff = math.min(free, tonumber(ARGV[i + 3]))
    if handoff > 0 then
      out[#out + 1] = {free, redis.call('ZPOPMIN', KEYS[3], handoff)}
    else
      out[#out + 1] = {free, {}}
    end
  end
end
return out`;

// KEYS: leases, credit. ARGV: now, min, max, "stuck" bound. How many slots are free right now.
const FREE = `
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[1])
local cap = tonumber(ARGV[2])
if redis.call('ZCOUNT', KEYS[1], '-inf', ARGV[4]) == 0 then
  cap = math.min(tonumber(ARGV[3]), cap + tonumber(redis.call('GET', KEYS[2]) or '0'))
end
return math.max(0, cap - redis.call('ZCARD', KEYS[1]))`;

const KEY_TTL_MS = 3_600_000;

const SCRIPTS = {
  operations: new RedisScript(OPERATIONS, 3),
  free: new RedisScript(FREE, 2),
};

type SlotOperation =
  | { partnerId: string; kind: 'a'; token: string; jobId: string }
  | { partnerId: string; kind: 'r'; token: string; outcome: '1' | '0' | '-1'; handoff: number };
type SlotAnswer = number | [number, string[]];

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
  /** Lease tokens: unique per process (random prefix) and per lease (counter). */
  private readonly tokenPrefix = `${randomBytes(6).toString('hex')}.`;
  private leases = 0;
  /**
   * Acquires and releases issued together (the jobs a BullMQ fetch started, the attempts a group commit
   * recorded) travel as one script call per partner instead of one each.
   */
  private readonly operations = new GroupCommit<SlotOperation, SlotAnswer>((ops) => this.apply(ops), {
    maxBatch: 128,
    concurrency: 8,
  });

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
    const token = `${this.tokenPrefix}${(this.leases++).toString(36)}`;
    const ok = await this.operations.submit({ partnerId, kind: 'a', token, jobId });
    return ok === 1 ? token : null;
  }

  /**
   * Frees the slot and adjusts what the partner may use from how the attempt went (`undefined`: nothing was
   * sent). Returns how many of the partner's waiting jobs may start now, and the longest-waiting of them (up to
   * `handoff`), already taken off the waiting set: the caller promotes them (same round trip as the release).
   */
  async release(
    partnerId: string,
    token: string,
    outcome?: { durationMs: number; answered: boolean },
    handoff = MAX_PARTNER_CONCURRENCY,
  ): Promise<{ free: number; waiting: string[] }> {
    const fast = outcome ? (outcome.answered && outcome.durationMs < this.slowMs ? '1' : '0') : '-1';
    const reply = await this.operations
      .submit({ partnerId, kind: 'r', token, outcome: fast, handoff })
      .catch(() => null);
    if (!Array.isArray(reply)) return { free: 0, waiting: [] };
    // ZPOPMIN answers member, score, member, score…
    const waiting = (reply[1] ?? []).filter((_, i) => i % 2 === 0);
    return { free: Number(reply[0]) || 0, waiting };
  }

  /** One script call per partner for the operations of a batch (in submission order). */
  private async apply(ops: SlotOperation[]): Promise<SlotAnswer[]> {
    const byPartner = new Map<string, number[]>();
    ops.forEach((op, i) => {
      const list = byPartner.get(op.partnerId);
      if (list) list.push(i);
      else byPartner.set(op.partnerId, [i]);
    });
    const answers = new Array<SlotAnswer>(ops.length);
    const now = Date.now();
    await Promise.all(
      [...byPartner].map(async ([partnerId, indexes]) => {
        const args: Array<string | number> = [
          this.key(partnerId, 'slots'),
          this.key(partnerId, 'credit'),
          this.key(partnerId, 'waiting'),
          now,
          now + this.leaseMs,
          now + this.leaseMs - this.slowMs,
          MIN_PARTNER_CONCURRENCY,
          MAX_PARTNER_CONCURRENCY,
          KEY_TTL_MS,
        ];
        for (const i of indexes) {
          const op = ops[i];
          if (op.kind === 'a') args.push('a', op.token, op.jobId, 0);
          else args.push('r', op.token, op.outcome, op.handoff);
        }
        const replies = (await SCRIPTS.operations.run(this.redis, args)) as SlotAnswer[];
        indexes.forEach((opIndex, k) => (answers[opIndex] = replies[k]));
      }),
    );
    return answers;
  }

  /** Slots of the partner free right now (nothing changes). */
  async free(partnerId: string): Promise<number> {
    const now = Date.now();
    const n = await SCRIPTS.free.run(this.redis, [
      this.key(partnerId, 'slots'),
      this.key(partnerId, 'credit'),
      now,
      MIN_PARTNER_CONCURRENCY,
      MAX_PARTNER_CONCURRENCY,
      now + this.leaseMs - this.slowMs,
    ]);
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

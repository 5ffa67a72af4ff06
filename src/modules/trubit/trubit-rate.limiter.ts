import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { TrubitLimiterOptions } from './trubit.options';
import { InMemoryTrubitRateLimiter } from './trubit-memory-rate.limiter';
import {
  ORDER_WINDOW_MS,
  type TrubitAcquireRequest,
  type TrubitBudget,
  type TrubitLimitReason,
  TrubitRateLimiterBase,
  trubitKeyId,
  type TryAcquireResult,
  WEIGHT_WINDOW_MS,
} from './trubit-rate-limiter.base';

/**
 * One Lua script, three modes, all atomic on Redis and timed by Redis' own clock (TIME), so every gateway
 * instance sees the same windows whatever its local clock says.
 *
 * KEYS[1] = `<prefix>{<keyId>}`; every key the script touches extends it, so they share one hash slot.
 *
 *   acquire: ARGV = mode, weight, isOrder(0|1), weightLimit, ordersLimit, weightWindowMs, ordersWindowMs
 *            -> {allowed 0|1, waitMs (-1 = never fits), reason 0 none|1 weight|2 orders|3 backoff}
 *   peek:    same ARGV -> {weightUsed, ordersUsed, backoffRemainingMs} (strings, nothing booked)
 *   backoff: ARGV = mode, ms -> {1, remainingMs}
 */
export const TRUBIT_LIMITER_LUA = `
local base = KEYS[1]
local mode = ARGV[1]
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local boKey = base .. ':bo'
local boUntil = tonumber(redis.call('GET', boKey) or '0')

if mode == 'backoff' then
  local ms = tonumber(ARGV[2])
  local untilMs = now + ms
  if untilMs > boUntil then
    redis.call('SET', boKey, untilMs, 'PX', ms)
    boUntil = untilMs
  end
  return {1, boUntil - now}
end

local weight = tonumber(ARGV[2])
local isOrder = ARGV[3] == '1'
local wLimit = tonumber(ARGV[4])
local oLimit = tonumber(ARGV[5])
local wWin = tonumber(ARGV[6])
local oWin = tonumber(ARGV[7])

local function window(name, win)
  local idx = math.floor(now / win)
  local curKey = base .. ':' .. name .. ':' .. idx
  local cur = tonumber(redis.call('GET', curKey) or '0')
  local prev = tonumber(redis.call('GET', base .. ':' .. name .. ':' .. (idx - 1)) or '0')
  return curKey, cur, prev, now - idx * win
end

local function waitFor(cost, limit, cur, prev, elapsed, win)
  if cost > limit then return -1 end
  local est = prev * (win - elapsed) / win + cur
  if est + cost <= limit + 1e-9 then return 0 end
  if cur + cost > limit then
    local w = win - elapsed
    if w < 1 then w = 1 end
    return w
  end
  local need = win - (limit - cur - cost) * win / prev
  local w = math.ceil(need - elapsed)
  if w < 1 then w = 1 end
  return w
end

local wKey, wCur, wPrev, wEl = window('w', wWin)
local oKey, oCur, oPrev, oEl = window('o', oWin)

if mode == 'peek' then
  local wEst = wPrev * (wWin - wEl) / wWin + wCur
  local oEst = oPrev * (oWin - oEl) / oWin + oCur
  local bo = boUntil - now
  if bo < 0 then bo = 0 end
  return {tostring(wEst), tostring(oEst), tostring(bo)}
end

if boUntil > now then return {0, boUntil - now, 3} end

local wWait = waitFor(weight, wLimit, wCur, wPrev, wEl, wWin)
local oWait = 0
if isOrder then oWait = waitFor(1, oLimit, oCur, oPrev, oEl, oWin) end
if wWait < 0 then return {0, -1, 1} end
if oWait < 0 then return {0, -1, 2} end
if wWait > 0 or oWait > 0 then
  if wWait >= oWait then return {0, wWait, 1} end
  return {0, oWait, 2}
end

redis.call('INCRBY', wKey, weight)
redis.call('PEXPIRE', wKey, wWin * 2 + 1000)
if isOrder then
  redis.call('INCR', oKey)
  redis.call('PEXPIRE', oKey, oWin * 2 + 1000)
end
return {1, 0, 0}
`;

const REASONS: Record<number, TrubitLimitReason | undefined> = { 1: 'weight', 2: 'orders', 3: 'backoff' };
const SCRIPT_SHA = createHash('sha1').update(TRUBIT_LIMITER_LUA).digest('hex');

/**
 * The shared outbound budget. All instances pointing at the same Redis and keyPrefix share one budget
 * per TruBit API key. If Redis fails, the call is not blocked: this instance falls back to its own
 * in-memory budget (TruBit's 429s and our backoff still protect the key), and getBudget reports `degraded`.
 */
export class RedisTrubitRateLimiter extends TrubitRateLimiterBase {
  private readonly fallback: InMemoryTrubitRateLimiter;
  private lastRedisError: { at: number; message: string } | null = null;

  constructor(
    private readonly redis: Redis,
    options: TrubitLimiterOptions,
    now: () => number = Date.now,
  ) {
    super(options);
    this.fallback = new InMemoryTrubitRateLimiter(options, now);
  }

  private baseKey(keyId: string): string {
    return `${this.options.keyPrefix}{${keyId}}`;
  }

  private async run(keyId: string, args: Array<string | number>): Promise<unknown> {
    const key = this.baseKey(keyId);
    try {
      return await this.redis.evalsha(SCRIPT_SHA, 1, key, ...args);
    } catch (err) {
      if (err instanceof Error && err.message.includes('NOSCRIPT')) {
        return this.redis.eval(TRUBIT_LIMITER_LUA, 1, key, ...args);
      }
      throw err;
    }
  }

  private windowArgs(
    mode: string,
    req?: Pick<TrubitAcquireRequest, 'weight' | 'isOrder'>,
  ): Array<string | number> {
    return [
      mode,
      req?.weight ?? 0,
      req?.isOrder ? 1 : 0,
      this.options.weightPerMinute,
      this.options.ordersPerSecond,
      WEIGHT_WINDOW_MS,
      ORDER_WINDOW_MS,
    ];
  }

  private noteRedisError(err: unknown): void {
    this.lastRedisError = { at: Date.now(), message: err instanceof Error ? err.message : String(err) };
  }

  async tryAcquire(keyId: string, req: TrubitAcquireRequest): Promise<TryAcquireResult> {
    let reply: unknown;
    try {
      reply = await this.run(keyId, this.windowArgs('acquire', req));
    } catch (err) {
      this.noteRedisError(err);
      return this.fallback.tryAcquire(keyId, req);
    }
    this.lastRedisError = null;
    const [allowed, waitMs, reason] = reply as [number, number, number];
    return { allowed: allowed === 1, waitMs: Number(waitMs), reason: REASONS[Number(reason)] };
  }

  async recordBackoff(apiKey: string, ms: number): Promise<void> {
    const wait = Math.max(1, Math.ceil(ms));
    await this.fallback.recordBackoff(apiKey, wait);
    try {
      await this.run(trubitKeyId(apiKey), ['backoff', wait]);
    } catch (err) {
      this.noteRedisError(err);
    }
  }

  async getBudget(apiKey: string): Promise<TrubitBudget> {
    const keyId = trubitKeyId(apiKey);
    try {
      const [w, o, bo] = (await this.run(keyId, this.windowArgs('peek'))) as [string, string, string];
      return {
        keyId,
        backend: 'redis',
        weight: {
          used: Math.ceil(Number(w) - 1e-9),
          limit: this.options.weightPerMinute,
          windowMs: WEIGHT_WINDOW_MS,
        },
        orders: {
          used: Math.ceil(Number(o) - 1e-9),
          limit: this.options.ordersPerSecond,
          windowMs: ORDER_WINDOW_MS,
        },
        backoffRemainingMs: Math.max(0, Math.ceil(Number(bo))),
        degraded: this.lastRedisError !== null,
      };
    } catch (err) {
      this.noteRedisError(err);
      return { ...(await this.fallback.getBudget(apiKey)), degraded: true };
    }
  }
}

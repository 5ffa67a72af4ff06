import type { TrubitLimiterOptions } from './trubit.options';
import {
  ORDER_WINDOW_MS,
  slidingWait,
  type TrubitAcquireRequest,
  type TrubitBudget,
  TrubitRateLimiterBase,
  trubitKeyId,
  type TryAcquireResult,
  WEIGHT_WINDOW_MS,
} from './trubit-rate-limiter.base';

interface Counter {
  idx: number;
  cur: number;
  prev: number;
}

interface KeyState {
  weight: Counter;
  orders: Counter;
  backoffUntil: number;
}

/**
 * Same algorithm as the Redis limiter, for one process: used when no Redis is given (unit tests, tools) and
 * as the fallback while Redis is unreachable.
 */
export class InMemoryTrubitRateLimiter extends TrubitRateLimiterBase {
  private readonly keys = new Map<string, KeyState>();

  constructor(
    options: TrubitLimiterOptions,
    private readonly now: () => number = Date.now,
  ) {
    super(options);
  }

  private state(keyId: string): KeyState {
    let s = this.keys.get(keyId);
    if (!s) {
      s = { weight: { idx: 0, cur: 0, prev: 0 }, orders: { idx: 0, cur: 0, prev: 0 }, backoffUntil: 0 };
      this.keys.set(keyId, s);
    }
    return s;
  }

  private static roll(c: Counter, now: number, windowMs: number): number {
    const idx = Math.floor(now / windowMs);
    if (idx !== c.idx) {
      c.prev = idx === c.idx + 1 ? c.cur : 0;
      c.cur = 0;
      c.idx = idx;
    }
    return now - idx * windowMs;
  }

  async tryAcquire(keyId: string, req: TrubitAcquireRequest): Promise<TryAcquireResult> {
    const now = this.now();
    const s = this.state(keyId);
    if (s.backoffUntil > now) return { allowed: false, waitMs: s.backoffUntil - now, reason: 'backoff' };
    const wEl = InMemoryTrubitRateLimiter.roll(s.weight, now, WEIGHT_WINDOW_MS);
    const oEl = InMemoryTrubitRateLimiter.roll(s.orders, now, ORDER_WINDOW_MS);
    const wWait = slidingWait(
      req.weight,
      this.options.weightPerMinute,
      s.weight.cur,
      s.weight.prev,
      wEl,
      WEIGHT_WINDOW_MS,
    );
    const oWait = req.isOrder
      ? slidingWait(1, this.options.ordersPerSecond, s.orders.cur, s.orders.prev, oEl, ORDER_WINDOW_MS)
      : 0;
    if (wWait < 0 || oWait < 0)
      return { allowed: false, waitMs: -1, reason: wWait < 0 ? 'weight' : 'orders' };
    if (wWait > 0 || oWait > 0) {
      return { allowed: false, waitMs: Math.max(wWait, oWait), reason: wWait >= oWait ? 'weight' : 'orders' };
    }
    s.weight.cur += req.weight;
    if (req.isOrder) s.orders.cur += 1;
    return { allowed: true, waitMs: 0 };
  }

  async recordBackoff(apiKey: string, ms: number): Promise<void> {
    const s = this.state(trubitKeyId(apiKey));
    s.backoffUntil = Math.max(s.backoffUntil, this.now() + Math.max(0, ms));
  }

  async getBudget(apiKey: string): Promise<TrubitBudget> {
    const keyId = trubitKeyId(apiKey);
    const now = this.now();
    const s = this.state(keyId);
    const wEl = InMemoryTrubitRateLimiter.roll(s.weight, now, WEIGHT_WINDOW_MS);
    const oEl = InMemoryTrubitRateLimiter.roll(s.orders, now, ORDER_WINDOW_MS);
    const est = (c: Counter, el: number, w: number) => Math.ceil((c.prev * (w - el)) / w + c.cur);
    return {
      keyId,
      backend: 'memory',
      weight: {
        used: est(s.weight, wEl, WEIGHT_WINDOW_MS),
        limit: this.options.weightPerMinute,
        windowMs: WEIGHT_WINDOW_MS,
      },
      orders: {
        used: est(s.orders, oEl, ORDER_WINDOW_MS),
        limit: this.options.ordersPerSecond,
        windowMs: ORDER_WINDOW_MS,
      },
      backoffRemainingMs: Math.max(0, s.backoffUntil - now),
    };
  }
}

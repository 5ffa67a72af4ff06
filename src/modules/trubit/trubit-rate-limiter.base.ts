import { createHash } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { TrubitLimiterOptions } from './trubit.options';
import { TrubitRateLimitError } from './trubit.errors';

/**
 * Outbound budget towards TruBit, per TruBit API key: REQUESTS_WEIGHT per minute and ORDERS per second,
 * plus a shared pause after TruBit answers 429/418. Both windows are sliding-window counters
 * (previous fixed window weighted by its remaining overlap + current window), which never lets a
 * burst straddling a window edge exceed the budget the way plain fixed windows can.
 */

export const WEIGHT_WINDOW_MS = 60_000;
export const ORDER_WINDOW_MS = 1_000;

export interface TrubitAcquireRequest {
  apiKey: string;
  weight: number;
  /** Counts against ORDERS per second (order/add). */
  isOrder: boolean;
  /** For error messages only. */
  endpoint: string;
}

export type TrubitLimitReason = 'weight' | 'orders' | 'backoff';

export interface TrubitBudget {
  /** sha256(apiKey) prefix: the API key itself is never exposed or stored. */
  keyId: string;
  backend: 'redis' | 'memory';
  weight: { used: number; limit: number; windowMs: number };
  orders: { used: number; limit: number; windowMs: number };
  /** > 0 while a 429/418 pause is in force for this key. */
  backoffRemainingMs: number;
  /** Redis failed and this instance fell back to its own in-memory budget. */
  degraded?: boolean;
}

export interface TrubitRateLimiter {
  /** Waits (bounded by maxWaitMs) until the call fits the budget and books it; else throws TrubitRateLimitError. */
  acquire(req: TrubitAcquireRequest): Promise<void>;
  /** Pauses this API key on every instance for `ms` (extends, never shortens, an existing pause). */
  recordBackoff(apiKey: string, ms: number): Promise<void>;
  getBudget(apiKey: string): Promise<TrubitBudget>;
}

export interface TryAcquireResult {
  allowed: boolean;
  /** ms to wait before trying again; -1 when the call can never fit (weight > limit). */
  waitMs: number;
  reason?: TrubitLimitReason;
}

export function trubitKeyId(apiKey: string): string {
  return createHash('sha256').update(apiKey, 'utf8').digest('hex').slice(0, 16);
}

/** ms until `cost` fits under `limit` in a sliding-window counter; 0 if it fits now, -1 if never. */
export function slidingWait(
  cost: number,
  limit: number,
  cur: number,
  prev: number,
  elapsed: number,
  windowMs: number,
): number {
  if (cost > limit) return -1;
  const est = (prev * (windowMs - elapsed)) / windowMs + cur;
  if (est + cost <= limit + 1e-9) return 0;
  // The current window alone is full: only the next window can help (re-evaluated then).
  if (cur + cost > limit) return Math.max(1, windowMs - elapsed);
  // Wait until prev's weighted share has shrunk enough: prev*(W-e')/W <= limit-cur-cost.
  const needElapsed = windowMs - ((limit - cur - cost) * windowMs) / prev;
  return Math.max(1, Math.ceil(needElapsed - elapsed));
}

export abstract class TrubitRateLimiterBase implements TrubitRateLimiter {
  protected constructor(protected readonly options: TrubitLimiterOptions) {}

  /** One attempt: books the call if it fits now, else says how long to wait. */
  abstract tryAcquire(keyId: string, req: TrubitAcquireRequest): Promise<TryAcquireResult>;
  abstract recordBackoff(apiKey: string, ms: number): Promise<void>;
  abstract getBudget(apiKey: string): Promise<TrubitBudget>;

  async acquire(req: TrubitAcquireRequest): Promise<void> {
    const keyId = trubitKeyId(req.apiKey);
    const startedAt = performance.now();
    for (;;) {
      const res = await this.tryAcquire(keyId, req);
      if (res.allowed) return;
      const waited = performance.now() - startedAt;
      const remaining = this.options.maxWaitMs - waited;
      if (res.waitMs < 0 || res.waitMs > remaining) {
        throw new TrubitRateLimitError({
          endpoint: req.endpoint,
          source: 'limiter',
          msg: `${res.reason ?? 'budget'} budget for this TruBit key exhausted`,
          retryAfterMs: res.waitMs < 0 ? WEIGHT_WINDOW_MS : res.waitMs,
        });
      }
      // A little jitter so instances woken together do not race for the same slot in lock-step.
      await sleep(res.waitMs + Math.floor(Math.random() * Math.min(25, res.waitMs / 4 + 1)));
    }
  }
}

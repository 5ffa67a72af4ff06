// REQUESTS_WEIGHT limiting per trubit-otc.md §7: each route costs a weight, a caller (API key, or IP when
// no key is sent) has a budget per window; going over answers 429 -1003, and a caller that keeps sending
// after its 429s is banned with 418 -1003 "IP banned until <ms>". Repeat bans double, as BHEX escalates
// "from 2 minutes to 3 days". Everything reads the live config so tests can shrink the limits.
import { otcErrors } from '@sim/common/otc.error';
import type { SimLimits } from '@sim/simulator.options';

interface Bucket {
  windowStart: number;
  used: number;
  /** Requests refused with 429 in this window. */
  refused: number;
  bannedUntil: number;
  bans: number;
}

export class WeightLimiter {
  private readonly buckets = new Map<string, Bucket>();

  constructor(
    private readonly limits: () => SimLimits,
    private readonly clock: () => number,
  ) {}

  /** Charges `weight` to the caller or throws the 429 / 418 OtcError. */
  consume(caller: string, weight: number): void {
    const { weightPerWindow, windowMs, banAfter, banMs, maxBanMs } = this.limits();
    const now = this.clock();
    const bucket = this.bucket(caller, now);
    if (bucket.bannedUntil > now) throw otcErrors.banned(bucket.bannedUntil);
    if (now - bucket.windowStart >= windowMs) {
      bucket.windowStart = now;
      bucket.used = 0;
      bucket.refused = 0;
    }
    if (bucket.used + weight <= weightPerWindow) {
      bucket.used += weight;
      return;
    }
    bucket.refused += 1;
    if (bucket.refused > banAfter + 1) {
      bucket.bans += 1;
      bucket.bannedUntil = now + Math.min(banMs * 2 ** (bucket.bans - 1), maxBanMs);
      // The ban outlives the window: the caller starts from a clean window once it ends.
      bucket.windowStart = bucket.bannedUntil;
      bucket.used = 0;
      bucket.refused = 0;
      throw otcErrors.banned(bucket.bannedUntil);
    }
    throw otcErrors.tooManyRequests(weightPerWindow);
  }

  reset(): void {
    this.buckets.clear();
  }

  private bucket(caller: string, now: number): Bucket {
    let bucket = this.buckets.get(caller);
    if (!bucket) {
      bucket = { windowStart: now, used: 0, refused: 0, bannedUntil: 0, bans: 0 };
      this.buckets.set(caller, bucket);
    }
    return bucket;
  }
}

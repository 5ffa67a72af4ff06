// The ORDERS limit on order/add (§7: 10 per second per key): a sliding one-second window; going over
// answers 429 with -1015 TOO_MANY_ORDERS and creates nothing.
import { otcErrors } from '@sim/common/otc.error';

export class OrderRateLimiter {
  private readonly recent = new Map<string, number[]>();

  constructor(
    private readonly perSecond: () => number,
    private readonly clock: () => number,
  ) {}

  consume(apiKey: string): void {
    const now = this.clock();
    const limit = this.perSecond();
    const stamps = (this.recent.get(apiKey) ?? []).filter((t) => now - t < 1000);
    if (stamps.length >= limit) {
      this.recent.set(apiKey, stamps);
      throw otcErrors.tooManyOrders(limit);
    }
    stamps.push(now);
    this.recent.set(apiKey, stamps);
  }

  reset(): void {
    this.recent.clear();
  }
}

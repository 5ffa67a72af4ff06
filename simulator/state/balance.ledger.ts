// Balances of one API account, per asset, as free + locked (total is always their sum). SELL orders lock
// crypto on creation and burn it on release; cancellations unlock; BUY releases credit free.
import type Decimal from 'decimal.js';
import { formatPlain, money } from '@sim/common/money.math';
import { otcErrors } from '@sim/common/otc.error';

export interface BalanceView {
  asset: string;
  assetId: string;
  assetName: string;
  total: string;
  free: string;
  locked: string;
}

interface Slot {
  free: Decimal;
  locked: Decimal;
}

export class BalanceLedger {
  private readonly slots = new Map<string, Slot>();
  updateTime = 0;

  constructor(private readonly clock: () => number = Date.now) {}

  free(asset: string): Decimal {
    return this.slot(asset).free;
  }

  locked(asset: string): Decimal {
    return this.slot(asset).locked;
  }

  credit(asset: string, amount: Decimal): void {
    const s = this.slot(asset);
    s.free = s.free.plus(amount);
    this.touch();
  }

  /** Sets free/locked outright (account seeding). */
  set(asset: string, free: Decimal, locked: Decimal = money(0)): void {
    this.slots.set(asset, { free, locked });
    this.touch();
  }

  /** free -> locked, or -2010 insufficient balance. */
  lock(asset: string, amount: Decimal): void {
    const s = this.slot(asset);
    if (s.free.lessThan(amount)) throw otcErrors.insufficientBalance();
    s.free = s.free.minus(amount);
    s.locked = s.locked.plus(amount);
    this.touch();
  }

  unlock(asset: string, amount: Decimal): void {
    const s = this.slot(asset);
    const moved = amount.greaterThan(s.locked) ? s.locked : amount;
    s.locked = s.locked.minus(moved);
    s.free = s.free.plus(moved);
    this.touch();
  }

  /** Locked crypto leaves the account (a SELL was released). */
  burnLocked(asset: string, amount: Decimal): void {
    const s = this.slot(asset);
    s.locked = s.locked.minus(amount.greaterThan(s.locked) ? s.locked : amount);
    this.touch();
  }

  view(): BalanceView[] {
    if (!this.slots.has('USDT')) this.slot('USDT'); // the core asset is always listed, even at 0
    return [...this.slots.entries()].map(([asset, s]) => ({
      asset,
      assetId: asset,
      assetName: asset,
      total: formatPlain(s.free.plus(s.locked)),
      free: formatPlain(s.free),
      locked: formatPlain(s.locked),
    }));
  }

  private slot(asset: string): Slot {
    let s = this.slots.get(asset);
    if (!s) {
      s = { free: money(0), locked: money(0) };
      this.slots.set(asset, s);
    }
    return s;
  }

  private touch(): void {
    this.updateTime = this.clock();
  }
}

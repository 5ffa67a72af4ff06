import Decimal from 'decimal.js';

// A private constructor with room for every digit: amount (≤ 13 significant digits) × rate must be exact
// before flooring, which the global default precision (20) does not guarantee.
const D = Decimal.clone({ precision: 60, rounding: Decimal.ROUND_HALF_UP, toExpNeg: -60, toExpPos: 60 });
type Num = Decimal.Value | { toString(): string };
const d = (v: Num) => new D(typeof v === 'number' || typeof v === 'string' ? v : v.toString());

export interface SellPricing {
  grossAmountMxn: Decimal;
  feeAmountMxn: Decimal;
  netAmountMxn: Decimal;
  /** What the order will sell at TruBit for the user: floor4(net / rate) (partner-api.md §4). */
  sellQuantity: Decimal;
}

/**
 * partner-api.md §4, in decimal arithmetic only:
 * gross = floor2(amount × rate); fee = round2_half_up(gross × feePercent / 100); net = gross − fee.
 */
export function priceSell(amount: Num, rate: Num, feePercent: Num): SellPricing {
  const r = d(rate);
  const gross = d(amount).times(r).toDecimalPlaces(2, D.ROUND_DOWN);
  const fee = gross.times(d(feePercent)).dividedBy(100).toDecimalPlaces(2, D.ROUND_HALF_UP);
  const net = gross.minus(fee);
  const sellQuantity = r.isZero() ? new D(0) : net.dividedBy(r).toDecimalPlaces(4, D.ROUND_DOWN);
  return { grossAmountMxn: gross, feeAmountMxn: fee, netAmountMxn: net, sellQuantity };
}

import Decimal from 'decimal.js';

/**
 * Amount rules for order/add (trubit-otc.md §3.5, §8.5): fiat is truncated to 2 dp (TruBit rounds
 * `orderAmount` down), crypto to 4 dp. Truncation, never rounding up: we must not ask for more than
 * the partner's quote covers. Results are plain decimal strings with exactly 2 / 4 decimals.
 */

// A private constructor: nobody else's Decimal.set() can change our precision or rounding.
const D = Decimal.clone({ precision: 40, rounding: Decimal.ROUND_DOWN, toExpNeg: -40, toExpPos: 40 });

function toDecimal(value: Decimal.Value, what: string): Decimal {
  let d: Decimal;
  try {
    d = new D(typeof value === 'string' ? value.trim() : value);
  } catch {
    throw new RangeError(`${what}: not a decimal: "${String(value)}"`);
  }
  if (!d.isFinite()) throw new RangeError(`${what}: not a finite decimal: "${String(value)}"`);
  if (d.isNegative() && !d.isZero()) throw new RangeError(`${what}: negative amount "${String(value)}"`);
  return d;
}

/** Fiat amount truncated to 2 decimals: "1000.999" → "1000.99", 3.982 → "3.98". */
export function floor2(value: Decimal.Value): string {
  return toDecimal(value, 'floor2').toFixed(2, Decimal.ROUND_DOWN);
}

/** Crypto amount truncated to 4 decimals: "0.49825" → "0.4982". */
export function floor4(value: Decimal.Value): string {
  return toDecimal(value, 'floor4').toFixed(4, Decimal.ROUND_DOWN);
}

/** BUY: crypto received for a fiat amount at `price` fiat per crypto = floor4(fiat / price). */
export function cryptoForFiat(fiatAmount: Decimal.Value, price: Decimal.Value): string {
  const p = toDecimal(price, 'price');
  if (p.isZero()) throw new RangeError('price must be > 0');
  return floor4(toDecimal(fiatAmount, 'fiatAmount').div(p));
}

/** SELL: fiat received for a crypto quantity at `price` = floor2(quantity × price). */
export function fiatForCrypto(quantity: Decimal.Value, price: Decimal.Value): string {
  return floor2(toDecimal(quantity, 'quantity').mul(toDecimal(price, 'price')));
}

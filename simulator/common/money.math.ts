// Decimal arithmetic for amounts. TruBit truncates (never rounds up) fiat to 2 dp and crypto to 4 dp
// (trubit-otc.md §3.5 / §8.5), so every derived amount goes through floorFiat / floorCrypto.
import Decimal from 'decimal.js';

// A private clone so nobody else's global Decimal settings change our maths; 40 digits is far beyond any
// quantity x rate product we produce.
export const Money = Decimal.clone({ precision: 40, rounding: Decimal.ROUND_DOWN });
export type Money = Decimal;

export const FIAT_DP = 2;
export const CRYPTO_DP = 4;

export function money(value: Decimal.Value): Decimal {
  return new Money(value);
}

export function floorFiat(value: Decimal): Decimal {
  return new Money(value).toDecimalPlaces(FIAT_DP, Decimal.ROUND_DOWN);
}

export function floorCrypto(value: Decimal): Decimal {
  return new Money(value).toDecimalPlaces(CRYPTO_DP, Decimal.ROUND_DOWN);
}

/** Fiat as TruBit prints it: always two decimals ("7000.00"). */
export function formatFiat(value: Decimal): string {
  return new Money(value).toFixed(FIAT_DP, Decimal.ROUND_DOWN);
}

/** Crypto and balances as TruBit prints them: no trailing zeros, never exponent notation ("0.2982", "0"). */
export function formatPlain(value: Decimal): string {
  return new Money(value).toFixed();
}

/** True for a plain non-negative decimal literal like "10", "0.5", "1000.00" (no sign, no exponent). */
export function isDecimalLiteral(text: string): boolean {
  return /^\d+(\.\d+)?$/.test(text);
}

import Decimal from 'decimal.js';

/**
 * Money is computed with decimal.js and leaves the API as JSON numbers with a fixed number of decimals
 * (MXN 2 dp, tokens up to 6 dp, rates up to 8 dp), as the MexicoP2P API shows them.
 */
export type DecimalLike = Decimal | { toString(): string } | string | number;

export const dec = (v: DecimalLike): Decimal => (v instanceof Decimal ? v : new Decimal(v.toString()));

export const floor2 = (v: DecimalLike) => dec(v).toDecimalPlaces(2, Decimal.ROUND_DOWN);
export const floor4 = (v: DecimalLike) => dec(v).toDecimalPlaces(4, Decimal.ROUND_DOWN);
export const roundHalfUp2 = (v: DecimalLike) => dec(v).toDecimalPlaces(2, Decimal.ROUND_HALF_UP);

export const mxn = (v: DecimalLike): number => Number(dec(v).toFixed(2));
export const token = (v: DecimalLike): number =>
  Number(dec(v).toDecimalPlaces(6, Decimal.ROUND_DOWN).toString());
export const rate = (v: DecimalLike): number =>
  Number(dec(v).toDecimalPlaces(8, Decimal.ROUND_HALF_UP).toString());

import Decimal from 'decimal.js';
import { FeeRecipient } from '@app/generated/prisma/enums';
import { dec, DecimalLike, floor2, floor4, roundHalfUp2 } from '@app/common/money/money';

/**
 * Order money maths (partner-api.md §4), in decimals. The user receives `net`: the gateway sells
 * floor4(net / rate) of the token at TruBit; what is left of `amount` stays on the account as the fee.
 */
export function sellQuantityFor(netAmountMxn: DecimalLike, exchangeRate: DecimalLike): Decimal {
  const rate = dec(exchangeRate);
  if (rate.lte(0)) throw new RangeError('exchange rate must be > 0');
  return floor4(dec(netAmountMxn).div(rate));
}

/** What TruBit pays for `quantity` at `rate`: fiat truncated to 2 dp, exactly as TruBit computes it. */
export function trubitOrderAmount(quantity: DecimalLike, exchangeRate: DecimalLike): Decimal {
  return floor2(dec(quantity).mul(dec(exchangeRate)));
}

export interface FeeSplit {
  partnerFeeMxn: Decimal;
  platformFeeMxn: Decimal;
}

/**
 * Splits the quote's fee between partner and platform.
 * - PARTNER: the fee is the partner's revenue; the platform keeps `revenueSharePercent` of it
 *   (round half-up to 2 dp) and the partner gets the rest, so the two always add up to the fee.
 * - USER / NONE: the fee was not set up as partner revenue, so nothing is booked to the partner and the whole
 *   fee (normally 0 with NONE) is the platform's.
 */
export function splitFee(
  feeAmountMxn: DecimalLike,
  feeRecipient: FeeRecipient,
  revenueSharePercent: DecimalLike,
): FeeSplit {
  const fee = dec(feeAmountMxn);
  if (feeRecipient !== 'PARTNER') return { partnerFeeMxn: new Decimal(0), platformFeeMxn: fee };
  const platformFeeMxn = roundHalfUp2(fee.mul(dec(revenueSharePercent)).div(100));
  return { partnerFeeMxn: fee.minus(platformFeeMxn), platformFeeMxn };
}

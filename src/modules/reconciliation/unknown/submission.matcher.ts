import Decimal from 'decimal.js';
import type { TrubitOrderDetail, TrubitOrderSummary } from '@app/modules/trubit/trubit.types';

/**
 * How an unknown order/add is recognised at TruBit (the cross-team contract): a SELL of the same token with
 * quantity == sellQuantity (4 dp), created within [submittedAt − 10 s, submittedAt + 5 min], on the same
 * merchant (and the same payout method when both sides say which). Pure functions: unit tested.
 */

export const MATCH_WINDOW_BEFORE_MS = 10_000;
export const MATCH_WINDOW_AFTER_MS = 5 * 60_000;

export interface SubmissionFacts {
  token: string;
  /** What order/add was asked to sell (the client truncates to 4 dp before sending). */
  sellQuantity: Decimal.Value;
  submittedAt: Date;
  trubitMerchantId: string | null;
  trubitPaymentId: string | null;
}

export interface MatchWindow {
  from: number;
  to: number;
}

export function matchWindow(submittedAt: Date): MatchWindow {
  const at = submittedAt.getTime();
  return { from: at - MATCH_WINDOW_BEFORE_MS, to: at + MATCH_WINDOW_AFTER_MS };
}

function quantity4(value: Decimal.Value): Decimal | null {
  try {
    return new Decimal(value).toDecimalPlaces(4, Decimal.ROUND_DOWN);
  } catch {
    return null;
  }
}

/** Cheap pre-filter on a list row (no createTime or merchant there): type, token, quantity. */
export function summaryMayMatch(s: SubmissionFacts, row: TrubitOrderSummary): boolean {
  if (row.orderType !== 'SELL' || row.cryptoCurrency !== s.token) return false;
  const theirs = quantity4(row.quantity);
  const ours = quantity4(s.sellQuantity);
  return !!theirs && !!ours && theirs.eq(ours);
}

export function epochMs(value: unknown): number | null {
  const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  return typeof n === 'number' && Number.isFinite(n) ? n : null;
}

/** The full check, on order/detail. */
export function detailMatches(s: SubmissionFacts, d: TrubitOrderDetail): boolean {
  if (!summaryMayMatch(s, d)) return false;
  const created = epochMs(d.createTime);
  const w = matchWindow(s.submittedAt);
  if (created === null || created < w.from || created > w.to) return false;
  if (s.trubitMerchantId === null || d.mcId === undefined || String(d.mcId) !== s.trubitMerchantId)
    return false;
  const theirPayment = d.userPaymentInfo?.id;
  if (s.trubitPaymentId !== null && theirPayment != null && String(theirPayment) !== s.trubitPaymentId)
    return false;
  return true;
}

/** Among matching details, the one created closest to our submission time (ties: the older id). */
export function closestMatch(
  s: SubmissionFacts,
  details: TrubitOrderDetail[],
): TrubitOrderDetail | undefined {
  const at = s.submittedAt.getTime();
  let best: { d: TrubitOrderDetail; distance: number } | undefined;
  for (const d of details) {
    if (!detailMatches(s, d)) continue;
    const distance = Math.abs(epochMs(d.createTime)! - at);
    if (
      !best ||
      distance < best.distance ||
      (distance === best.distance && BigInt(d.orderId) < BigInt(best.d.orderId))
    )
      best = { d, distance };
  }
  return best?.d;
}

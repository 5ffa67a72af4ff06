import Decimal from 'decimal.js';
import { ApiError } from '@app/common/errors/api.error';
import { mxn } from '@app/common/money/money';
import { FeeRecipient, KycStatus } from '@app/generated/prisma/enums';
import { newId } from '@app/infra/crypto/ids';
import type { PartnerContext } from '@app/modules/partners/auth/partner-context';
import { ClabeInfo } from '../clabe/clabe.validator';
import { CreateOrderInput } from '../inputs/create-order.input';
import { sellQuantityFor, splitFee } from '../pricing/order-amounts';
import { kycSatisfied } from './order-limits';

/**
 * The decisions of POST /orders for a batch of requests, as pure code over what the batch read under its locks
 * (architecture.md flow 3): quote checks in the spec's order, volume limits, KYC, then funding. Requests are decided
 * in arrival order and each one counts what the earlier ones of the batch took (a quote, volume, funds), so a
 * batch decides exactly what the same requests would have decided one by one.
 */

/** A quote as the order checks see it; decimals as exact text. */
export interface QuoteForOrder {
  id: string;
  partnerId: string;
  userId: string;
  type: string;
  token: string;
  amount: string;
  exchangeRate: string;
  grossAmountMxn: string;
  feePercent: string;
  feeAmountMxn: string;
  feeRecipient: FeeRecipient;
  netAmountMxn: string;
  revenueSharePercent: string;
  expiresAt: Date;
  usedAt: Date | null;
  user: {
    id: string;
    partnerUserRef: string;
    kycStatus: KycStatus;
    kycAttestation: unknown;
    amlRiskLevel: string;
  };
}

export interface OrderRequest {
  partner: PartnerContext;
  input: CreateOrderInput;
  clabe: ClabeInfo;
  /** The TruBit account (its API key) whose balance funds the order. */
  accountKey: string;
}

/** What the batch read after taking its locks. */
export interface AdmissionState {
  now: Date;
  kycThresholdMxn: number;
  orderTtlMinutes: number;
  quotes: Map<string, QuoteForOrder>;
  /** MXN already counted this UTC day / month, per partner. */
  partnerVolume: Map<string, { daily: Decimal; monthly: Decimal }>;
  /** MXN already counted this UTC month, per user. */
  userMonthly: Map<string, Decimal>;
  /** free − committed per `${accountKey}|${token}`; an account missing here has no readable balance. */
  available: Map<string, Decimal>;
  /** Accounts whose balance could be read. */
  fundable: Set<string>;
}

/** The order row to insert, decimals as exact text. */
export interface NewOrder {
  id: string;
  partnerId: string;
  userId: string;
  partnerUserRef: string;
  quoteId: string;
  token: string;
  amount: string;
  exchangeRate: string;
  grossAmountMxn: string;
  feePercent: string;
  feeAmountMxn: string;
  feeRecipient: FeeRecipient;
  netAmountMxn: string;
  sellQuantity: string;
  reservedQuantity: string;
  revenueSharePercent: string;
  partnerFeeMxn: string;
  platformFeeMxn: string;
  sellerClabe: string;
  bankCode: string;
  bankName: string;
  amlRiskLevel: string;
  /** QUEUED when funded (the submission job is enqueued after commit), else NOT_SUBMITTED. */
  submission: 'QUEUED' | 'NOT_SUBMITTED';
  fundedAt: Date | null;
  expiresAt: Date;
  createdAt: Date;
}

export interface Admitted {
  order: NewOrder;
  /** free − committed before this order, when the balance could be read; null when it could not. */
  available: Decimal | null;
}

export type Admission = Admitted | ApiError;

/** Decides every request of the batch in order; an ApiError is that request's answer, nothing is stored for it. */
export function admitOrders(requests: OrderRequest[], state: AdmissionState): Admission[] {
  const taken = new Set<string>();
  const partnerVolume = new Map(state.partnerVolume);
  const userMonthly = new Map(state.userMonthly);
  const available = new Map(state.available);
  return requests.map((req) => {
    try {
      const quote = checkQuote(state.quotes.get(req.input.quoteId), req, taken, state.now);
      const gross = new Decimal(quote.grossAmountMxn);
      const volume = partnerVolume.get(req.partner.id) ?? { daily: new Decimal(0), monthly: new Decimal(0) };
      checkVolume(req.partner, volume, gross);
      const monthlyOfUser = userMonthly.get(quote.userId) ?? new Decimal(0);
      if (!kycSatisfied(req.partner, quote.user)) checkKyc(monthlyOfUser, gross, state.kycThresholdMxn);

      const order = newOrder(req, quote, state);
      const balanceKey = `${req.accountKey}|${order.token}`;
      const free = state.fundable.has(req.accountKey) ? (available.get(balanceKey) ?? new Decimal(0)) : null;
      if (free !== null && free.gte(order.sellQuantity)) {
        order.submission = 'QUEUED';
        order.reservedQuantity = order.sellQuantity;
        order.fundedAt = state.now;
        available.set(balanceKey, free.minus(order.sellQuantity));
      }
      taken.add(quote.id);
      partnerVolume.set(req.partner.id, {
        daily: volume.daily.plus(gross),
        monthly: volume.monthly.plus(gross),
      });
      userMonthly.set(quote.userId, monthlyOfUser.plus(gross));
      return { order, available: free };
    } catch (err) {
      if (err instanceof ApiError) return err;
      throw err;
    }
  });
}

/** INVALID_QUOTE / QUOTE_USER_MISMATCH / QUOTE_USED / QUOTE_EXPIRED, in that order. Another partner's quote is
 *  INVALID_QUOTE, exactly like a missing one. */
function checkQuote(
  quote: QuoteForOrder | undefined,
  req: OrderRequest,
  taken: Set<string>,
  now: Date,
): QuoteForOrder {
  if (!quote || quote.partnerId !== req.partner.id || quote.type !== 'SELL') {
    throw new ApiError('INVALID_QUOTE', 'Quote not found');
  }
  if (quote.user.partnerUserRef !== req.input.partnerUserRef) {
    throw new ApiError('QUOTE_USER_MISMATCH', 'The quote belongs to another partnerUserRef');
  }
  if (quote.usedAt || taken.has(quote.id)) throw new ApiError('QUOTE_USED', 'Quote already used by an order');
  if (quote.expiresAt.getTime() <= now.getTime()) throw new ApiError('QUOTE_EXPIRED', 'Quote expired');
  return quote;
}

function checkVolume(
  partner: PartnerContext,
  used: { daily: Decimal; monthly: Decimal },
  gross: Decimal,
): void {
  const windows = [
    { scope: 'daily', limit: partner.limits.dailyVolumeMxn, used: used.daily },
    { scope: 'monthly', limit: partner.limits.monthlyVolumeMxn, used: used.monthly },
  ];
  for (const w of windows) {
    if (w.limit !== null && w.used.plus(gross).gt(w.limit)) {
      throw new ApiError(
        'VOLUME_LIMIT_EXCEEDED',
        `This order would exceed the partner's ${w.scope} volume limit of ${w.limit} MXN`,
        { scope: w.scope, limitMxn: w.limit, usedMxn: mxn(w.used), orderMxn: mxn(gross) },
      );
    }
  }
}

function checkKyc(userMonthly: Decimal, gross: Decimal, threshold: number): void {
  if (userMonthly.plus(gross).gt(threshold)) {
    throw new ApiError(
      'KYC_REQUIRED',
      `The user's monthly volume would exceed ${threshold} MXN without approved KYC`,
      { thresholdMxn: threshold, monthlyVolumeMxn: mxn(userMonthly), orderMxn: mxn(gross) },
    );
  }
}

function newOrder(req: OrderRequest, quote: QuoteForOrder, state: AdmissionState): NewOrder {
  const sellQuantity = sellQuantityFor(quote.netAmountMxn, quote.exchangeRate);
  if (sellQuantity.lte(0)) throw new ApiError('INVALID_QUOTE', 'Quote amount is too small to trade');
  const fees = splitFee(quote.feeAmountMxn, quote.feeRecipient, quote.revenueSharePercent);
  return {
    id: newId.order(),
    partnerId: req.partner.id,
    userId: quote.userId,
    partnerUserRef: quote.user.partnerUserRef,
    quoteId: quote.id,
    token: quote.token,
    amount: quote.amount,
    exchangeRate: quote.exchangeRate,
    grossAmountMxn: quote.grossAmountMxn,
    feePercent: quote.feePercent,
    feeAmountMxn: quote.feeAmountMxn,
    feeRecipient: quote.feeRecipient,
    netAmountMxn: quote.netAmountMxn,
    sellQuantity: sellQuantity.toString(),
    reservedQuantity: '0',
    revenueSharePercent: quote.revenueSharePercent,
    partnerFeeMxn: fees.partnerFeeMxn.toString(),
    platformFeeMxn: fees.platformFeeMxn.toString(),
    sellerClabe: req.clabe.clabe,
    bankCode: req.clabe.bankCode,
    bankName: req.clabe.bankName,
    amlRiskLevel: quote.user.amlRiskLevel,
    submission: 'NOT_SUBMITTED',
    fundedAt: null,
    expiresAt: new Date(state.now.getTime() + state.orderTtlMinutes * 60_000),
    createdAt: state.now,
  };
}

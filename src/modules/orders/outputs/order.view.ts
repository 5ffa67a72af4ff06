import { Prisma } from '@app/generated/prisma/client';
import { DecimalLike, mxn, rate, token } from '@app/common/money/money';

/** An order row with what its partner-visible view needs. */
export type OrderForView = Prisma.OrderGetPayload<{
  include: { user: { select: { partnerUserRef: true } } };
}>;

export const ORDER_VIEW_INCLUDE = {
  user: { select: { partnerUserRef: true } },
} satisfies Prisma.OrderInclude;

type MoneyColumns =
  | 'amount'
  | 'grossAmountMxn'
  | 'netAmountMxn'
  | 'exchangeRate'
  | 'feePercent'
  | 'feeAmountMxn'
  | 'revenueSharePercent'
  | 'partnerFeeMxn'
  | 'platformFeeMxn';

/** The columns the view reads: a Prisma row, or a row built in memory with decimals as exact text. */
export type OrderViewSource = Pick<
  OrderForView,
  | 'id'
  | 'status'
  | 'user'
  | 'token'
  | 'sellerClabe'
  | 'bankName'
  | 'bankCode'
  | 'amlRiskLevel'
  | 'trubitOrderId'
  | 'cepTrackingKey'
  | 'feeRecipient'
  | 'failureReason'
  | 'expiresAt'
  | 'completedAt'
  | 'createdAt'
  | 'updatedAt'
> &
  Record<MoneyColumns, DecimalLike>;

/**
 * What a partner sees of an order (GET /orders/:id without the timeline, and every webhook's `data`):
 * MexicoP2P field names, money as numbers, TruBit ids as strings. Internal submission state never leaks.
 */
export function toOrderView(o: OrderViewSource) {
  return {
    id: o.id,
    status: o.status,
    partnerUserRef: o.user.partnerUserRef,
    token: o.token,
    amount: token(o.amount),
    amountUsdc: token(o.amount),
    totalMxn: mxn(o.grossAmountMxn),
    netAmountMxn: mxn(o.netAmountMxn),
    exchangeRate: rate(o.exchangeRate),
    sellerClabe: o.sellerClabe,
    bankName: o.bankName,
    bankAccount: { clabe: o.sellerClabe, bankCode: o.bankCode, bankName: o.bankName },
    amlRiskLevel: o.amlRiskLevel,
    trubitOrderId: o.trubitOrderId,
    cepTrackingKey: o.cepTrackingKey,
    fees: {
      feePercent: Number(o.feePercent.toString()),
      feeAmountMxn: mxn(o.feeAmountMxn),
      feeRecipient: o.feeRecipient,
      revenueSharePercent: Number(o.revenueSharePercent.toString()),
      partnerFeeMxn: mxn(o.partnerFeeMxn),
      platformFeeMxn: mxn(o.platformFeeMxn),
    },
    failureReason: o.failureReason,
    expiresAt: o.expiresAt.toISOString(),
    completedAt: o.completedAt?.toISOString() ?? null,
    createdAt: o.createdAt.toISOString(),
    updatedAt: o.updatedAt.toISOString(),
  };
}

export type OrderView = ReturnType<typeof toOrderView>;

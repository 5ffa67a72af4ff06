// The wire shapes of orders (§3.5) with the doc's quirks kept on purpose: ids as strings, orderStatus a
// string in list rows but a number in detail, money as decimal strings, `traclingNumber`, hasSelf = 2 as in
// the examples, and confirm/expire timestamps in seconds. Unset times are null.
import { formatFiat, formatPlain } from '@sim/common/money.math';
import { CRYPTO_LOGOS } from '@sim/state/reference.data';
import type { RuntimeConfig } from '@sim/simulator.options';
import { STATUS_NAMES, type SimOrder } from './order.model';

export function orderSummary(o: SimOrder): Record<string, unknown> {
  return {
    orderId: o.orderId.toString(),
    userId: o.userId,
    accountId: o.accountId,
    cryptoCurrency: o.cryptoCurrency,
    cryptoLogo: CRYPTO_LOGOS[o.cryptoCurrency] ?? '',
    fiatCurrency: o.fiatCurrency,
    orderPrice: formatPlain(o.orderPrice),
    quantity: formatPlain(o.quantity),
    fiatAmount: formatFiat(o.fiatAmount),
    orderType: o.orderType,
    orderStatus: String(o.status),
    deptPaymentMethodName: o.deptPaymentInfo.name,
    deptPaymentMethodColor: o.deptPaymentInfo.color,
    orderApprovedTime: o.orderApprovedTime === null ? null : String(o.orderApprovedTime),
    hasRefund: o.hasRefund,
    hasSelf: 2,
  };
}

export function orderDetail(o: SimOrder, config: RuntimeConfig): Record<string, unknown> {
  const detail: Record<string, unknown> = {
    ...orderSummary(o),
    orderStatus: config.detailStatusAsString ? String(o.status) : o.status,
    paymentType: o.paymentType,
    orderTimeFrameMinute: o.orderTimeFrameMinute,
    orderConfirmTimestamp: o.orderConfirmTimestamp,
    orderExpireTimestamp: o.orderExpireTimestamp,
    completedTime: o.completedTime,
    createTime: o.createTime,
    updateTime: o.updateTime,
    mark: '',
    mcId: o.mcId,
    mcName: o.mcName,
    companyName: o.companyName,
    traclingNumber: o.traclingNumber,
    deptPaymentInfo: o.deptPaymentInfo,
  };
  if (o.userPaymentInfo) detail.userPaymentInfo = o.userPaymentInfo;
  return detail;
}

/** GET /__sim/orders: everything, across accounts, ids and status as strings. */
export function orderGroundTruth(o: SimOrder): Record<string, unknown> {
  return {
    orderId: o.orderId.toString(),
    apiKey: o.apiKey,
    accountId: o.accountId,
    userId: o.userId,
    orderType: o.orderType,
    orderStatus: String(o.status),
    statusName: STATUS_NAMES[o.status],
    mcId: o.mcId,
    paymentId: o.paymentId,
    country: o.country,
    cryptoCurrency: o.cryptoCurrency,
    fiatCurrency: o.fiatCurrency,
    quantity: formatPlain(o.quantity),
    fiatAmount: formatFiat(o.fiatAmount),
    orderPrice: formatPlain(o.orderPrice),
    hasRefund: o.hasRefund,
    traclingNumber: o.traclingNumber,
    createTime: o.createTime,
    updateTime: o.updateTime,
    orderApprovedTime: o.orderApprovedTime,
    orderExpireTimestamp: o.orderExpireTimestamp,
    completedTime: o.completedTime,
    history: o.history.map((h) => ({ status: String(h.status), at: h.at, source: h.source })),
  };
}

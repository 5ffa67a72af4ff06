// The ORDER_WEBHOOK body (trubit-otc.md §6.2). The v2 docs name the amounts fiat/fiatAmount/crypto/
// cryptoAmount and the merchant `merchantId`, while the v1 reference page shows fiatCurrency/orderAmount/
// cryptoCurrency/quantity/mcSettingsId and a `timestamp`; which one v1 really sends is unconfirmed, so the
// body carries both spellings (a client may read either). Every id, amount and time is a string, as in both.
import { randomBytes } from 'node:crypto';
import { formatFiat, formatPlain } from '@sim/common/money.math';
import type { SimOrder } from '@sim/orders/order.model';

export interface OrderWebhookBody {
  webhookId: string;
  eventType: 'ORDER_WEBHOOK';
  orderId: string;
  userId: string;
  merchantId: number;
  mcSettingsId: string;
  orderType: string;
  fiat: string;
  fiatCurrency: string;
  fiatAmount: string;
  orderAmount: string;
  fiatFee: string;
  crypto: string;
  cryptoCurrency: string;
  cryptoAmount: string;
  quantity: string;
  orderPrice: string;
  orderStatus: string;
  hasRefund: number;
  traclingNumber?: string;
  createTime: string;
  updateTime: string;
  timestamp: string;
}

export function buildOrderWebhook(order: SimOrder, at: number): OrderWebhookBody {
  const fiatAmount = formatFiat(order.fiatAmount);
  const quantity = formatPlain(order.quantity);
  const body: OrderWebhookBody = {
    webhookId: randomBytes(16).toString('hex'),
    eventType: 'ORDER_WEBHOOK',
    orderId: order.orderId.toString(),
    userId: order.userId,
    merchantId: order.mcId,
    mcSettingsId: String(order.mcId),
    orderType: order.orderType,
    fiat: order.fiatCurrency,
    fiatCurrency: order.fiatCurrency,
    fiatAmount,
    orderAmount: fiatAmount,
    fiatFee: '0',
    crypto: order.cryptoCurrency,
    cryptoCurrency: order.cryptoCurrency,
    cryptoAmount: quantity,
    quantity,
    orderPrice: formatPlain(order.orderPrice),
    orderStatus: String(order.status),
    hasRefund: order.hasRefund,
    createTime: String(order.createTime),
    updateTime: String(at),
    timestamp: String(at),
  };
  if (order.traclingNumber) body.traclingNumber = order.traclingNumber;
  return body;
}

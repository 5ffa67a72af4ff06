// The order record the simulator keeps (ground truth) and TruBit's status codes (trubit-otc.md §5.1).
import type Decimal from 'decimal.js';
import type { PaymentField } from '@sim/state/reference.data';

export const OrderStatus = {
  PENDING: 10,
  APPROVED: 30,
  PENDING_PAYMENT: 40,
  PAID: 50,
  RELEASED: 60,
  CANCELED: 70,
  REJECTED: 80,
} as const;
export type OrderStatusCode = (typeof OrderStatus)[keyof typeof OrderStatus];

export const STATUS_NAMES: Record<OrderStatusCode, string> = {
  10: 'PENDING',
  30: 'APPROVED',
  40: 'PENDING_PAYMENT',
  50: 'PAID',
  60: 'RELEASED',
  70: 'CANCELED',
  80: 'REJECTED',
};

export const TERMINAL_STATUSES: ReadonlySet<OrderStatusCode> = new Set([60, 70, 80]);
export const PENDING_STATUSES: ReadonlySet<OrderStatusCode> = new Set([10, 30, 40, 50]);

export function isStatusCode(value: number): value is OrderStatusCode {
  return value in STATUS_NAMES;
}

export type OrderType = 'BUY' | 'SELL';

export interface PaymentInfo {
  id: string;
  name: string;
  logo: string;
  color: string;
  realName: string;
  paymentFieldList: PaymentField[];
}

export interface StatusChange {
  status: OrderStatusCode;
  at: number;
  source: string;
}

export interface SimOrder {
  orderId: bigint;
  apiKey: string;
  userId: string;
  accountId: string;
  mcId: number;
  mcName: string;
  companyName: string;
  paymentId: number;
  paymentType: 0 | 1;
  orderType: OrderType;
  status: OrderStatusCode;
  cryptoCurrency: string;
  fiatCurrency: string;
  country: string;
  quantity: Decimal;
  fiatAmount: Decimal;
  orderPrice: Decimal;
  hasRefund: 0 | 1;
  traclingNumber: string | null;
  orderTimeFrameMinute: number;
  createTime: number;
  updateTime: number;
  /** seconds, equals the create time (§3.5) */
  orderConfirmTimestamp: number;
  orderApprovedTime: number | null;
  /** seconds, approval + frame (§3.5) */
  orderExpireTimestamp: number | null;
  completedTime: number | null;
  deptPaymentInfo: PaymentInfo;
  userPaymentInfo: PaymentInfo | null;
  history: StatusChange[];
}

import { token } from '@app/common/money/money';
import { TimelineRow } from '../repositories/orders.repository';
import { OrderForView, OrderView, toOrderView } from './order.view';

export interface TimelineEntry {
  id: string;
  event: string;
  sequence: number;
  data: unknown;
  timestamp: string;
}

/** GET /orders/:id: the order view plus its timeline (order_events by sequence). */
export type OrderDetailView = OrderView & { timeline: TimelineEntry[] };

export function toTimeline(rows: TimelineRow[]): TimelineEntry[] {
  return rows.map((r) => ({
    id: r.id,
    event: r.event,
    sequence: r.sequence,
    data: r.data,
    timestamp: r.createdAt.toISOString(),
  }));
}

export function toOrderDetailView(order: OrderForView, rows: TimelineRow[]): OrderDetailView {
  return { ...toOrderView(order), timeline: toTimeline(rows) };
}

/** What operators see on top of the partner view: the internal submission state and the last TruBit facts. */
export function toAdminOrderView(o: OrderForView) {
  return {
    ...toOrderView(o),
    partnerId: o.partnerId,
    userId: o.userId,
    quoteId: o.quoteId,
    submission: o.submission,
    submitAttempts: o.submitAttempts,
    submittedAt: o.submittedAt?.toISOString() ?? null,
    fundedAt: o.fundedAt?.toISOString() ?? null,
    sellQuantity: token(o.sellQuantity),
    reservedQuantity: token(o.reservedQuantity),
    trubitStatus: o.trubitStatus,
    trubitHasRefund: o.trubitHasRefund,
    trubitSeenAt: o.trubitSeenAt?.toISOString() ?? null,
    trubitMerchantId: o.trubitMerchantId,
    trubitPaymentId: o.trubitPaymentId,
    sequence: o.sequence,
  };
}

export type AdminOrderView = ReturnType<typeof toAdminOrderView>;

import type { OrderReconcileState } from '../reconciliation.repository';

export interface OrderStateView {
  id: string;
  partnerId: string;
  status: string;
  submission: string;
  trubitOrderId: string | null;
  trubitStatus: number | null;
  trubitHasRefund: boolean;
  trubitSeenAt: string | null;
  cepTrackingKey: string | null;
  submitAttempts: number;
  submittedAt: string | null;
  failureReason: string | null;
  updatedAt: string;
}

export interface ReconcileResultView {
  orderId: string;
  /** What reconciliation did (see ReconcileAction). */
  action: string;
  /** Partner-visible status before and after. */
  statusBefore: string;
  order: OrderStateView;
}

/** The operator's view of an order's TruBit side: internal submission state included (admins only). */
export function toOrderStateView(o: OrderReconcileState): OrderStateView {
  return {
    id: o.id,
    partnerId: o.partnerId,
    status: o.status,
    submission: o.submission,
    trubitOrderId: o.trubitOrderId,
    trubitStatus: o.trubitStatus,
    trubitHasRefund: o.trubitHasRefund,
    trubitSeenAt: o.trubitSeenAt?.toISOString() ?? null,
    cepTrackingKey: o.cepTrackingKey,
    submitAttempts: o.submitAttempts,
    submittedAt: o.submittedAt?.toISOString() ?? null,
    failureReason: o.failureReason,
    updatedAt: o.updatedAt.toISOString(),
  };
}

export function toReconcileResultView(
  action: string,
  before: OrderReconcileState,
  after: OrderReconcileState,
): ReconcileResultView {
  return { orderId: after.id, action, statusBefore: before.status, order: toOrderStateView(after) };
}

import { OrderStatus } from '@app/generated/prisma/enums';

/**
 * The partner-facing order state machine (partner-api.md §5) as pure functions. States only move forward;
 * a late or repeated upstream status never moves an order back. When an order skips states (missed
 * callbacks, reconciliation catching up), the path through the skipped main-line states is returned so the
 * partner still sees every event in order.
 */
const MAIN_LINE: OrderStatus[] = ['PENDING_DEPOSIT', 'ACTIVE', 'LOCKED', 'VERIFIED', 'COMPLETED'];

export const TERMINAL_STATUSES: ReadonlySet<OrderStatus> = new Set<OrderStatus>([
  'COMPLETED',
  'CANCELLED',
  'REFUNDED',
  'REJECTED',
  'EXPIRED',
  'FAILED',
]);

/** Side exits and the states each may be entered from. */
const SIDE_EXITS: Partial<Record<OrderStatus, ReadonlySet<OrderStatus>>> = {
  CANCELLED: new Set<OrderStatus>(['PENDING_DEPOSIT', 'ACTIVE', 'LOCKED', 'VERIFIED']),
  // A refund can be flagged on an order TruBit already reported cancelled (70, then 70 + hasRefund).
  REFUNDED: new Set<OrderStatus>(['ACTIVE', 'LOCKED', 'VERIFIED', 'CANCELLED']),
  REJECTED: new Set<OrderStatus>(['PENDING_DEPOSIT', 'ACTIVE', 'LOCKED']),
  EXPIRED: new Set<OrderStatus>(['PENDING_DEPOSIT']),
  FAILED: new Set<OrderStatus>(['PENDING_DEPOSIT']),
};

export const EVENT_FOR_STATUS: Record<OrderStatus, string> = {
  PENDING_DEPOSIT: 'order.created',
  ACTIVE: 'order.active',
  LOCKED: 'order.locked',
  VERIFIED: 'order.payment_verified',
  COMPLETED: 'order.completed',
  CANCELLED: 'order.cancelled',
  REFUNDED: 'order.refunded',
  REJECTED: 'order.rejected',
  EXPIRED: 'order.expired',
  FAILED: 'order.failed',
};

export function isTerminal(status: OrderStatus): boolean {
  return TERMINAL_STATUSES.has(status);
}

/**
 * The statuses to pass through to go from `from` to `to`, in order (excluding `from`), or [] when the move
 * is not allowed (backwards, sideways, out of a terminal state, or to the same state).
 */
export function transitionPath(from: OrderStatus, to: OrderStatus): OrderStatus[] {
  if (from === to) return [];
  const sideFrom = SIDE_EXITS[to];
  if (sideFrom) return sideFrom.has(from) ? [to] : [];
  if (isTerminal(from)) return [];
  const i = MAIN_LINE.indexOf(from);
  const j = MAIN_LINE.indexOf(to);
  if (i < 0 || j <= i) return [];
  return MAIN_LINE.slice(i + 1, j + 1);
}

export function canTransition(from: OrderStatus, to: OrderStatus): boolean {
  return transitionPath(from, to).length > 0;
}

import { OrderStatus } from '@app/generated/prisma/enums';
import { mapTrubitStatus } from '@app/modules/trubit/trubit-status.mapper';
import { transitionPath } from './order-state.machine';

/** Order of TruBit statuses along its machine (10 → 30/31 → 40 → 50 → terminal 60/70/80); unknown = 0. */
export function trubitStatusRank(code: number | null | undefined): number {
  const ranks: Record<number, number> = { 10: 1, 30: 2, 31: 2, 40: 3, 50: 4, 60: 5, 70: 5, 80: 5 };
  return code == null ? 0 : (ranks[code] ?? 0);
}

/** What the order row already records of TruBit's view. */
export interface RecordedTrubitFacts {
  status: OrderStatus;
  trubitStatus: number | null;
  trubitHasRefund: boolean;
  cepTrackingKey: string | null;
}

/** One thing TruBit told us about the order (a callback). */
export interface ObservedTrubitFacts {
  orderStatus: number;
  hasRefund: boolean;
  traclingNumber: string | null;
}

/**
 * Whether applying `observed` through OrderTransitionService.applyTrubitStatus would change nothing but the
 * order's trubitSeenAt: no status move, no fresher TruBit status, no new refund flag or tracking key. The
 * status-10 callback that races the order/add answer is the everyday case: the submitter has just recorded 10
 * and ACTIVE itself.
 *
 * The answer stays true while the order moves on, so it may be read without the row lock: states and TruBit
 * statuses only move forward, and a move the state machine refuses from a state is refused from every state
 * after it (the allowed-from sets are closed under going back along the main line). PENDING_DEPOSIT is never
 * "nothing": applyTrubitStatus makes such an order ACTIVE whatever the code.
 */
export function changesNothing(recorded: RecordedTrubitFacts, observed: ObservedTrubitFacts): boolean {
  if (recorded.status === 'PENDING_DEPOSIT') return false;
  const rank = trubitStatusRank(observed.orderStatus);
  if (rank === 0) return false; // unknown codes: let the full path decide
  // Same rank, other code (30 after 31) would still be recorded: only the same code or an older one is nothing.
  if (observed.orderStatus !== recorded.trubitStatus && rank >= trubitStatusRank(recorded.trubitStatus))
    return false;
  if (observed.hasRefund && !recorded.trubitHasRefund) return false;
  if (observed.traclingNumber && observed.traclingNumber !== recorded.cepTrackingKey) return false;
  const target = mapTrubitStatus(observed.orderStatus, observed.hasRefund);
  return !target || transitionPath(recorded.status, target).length === 0;
}

// The order state machine of trubit-otc.md §5.3 and its side effects on balances and merchant usage.
// Every change goes through transition(), which notifies listeners (callbacks, auto progression), so
// "a callback on every status change" holds whichever actor moved the order.
import { randomBytes } from 'node:crypto';
import type { SimState } from '@sim/state/sim.state';
import { OrderStatus, TERMINAL_STATUSES, type OrderStatusCode, type SimOrder } from './order.model';

export interface TransitionEvent {
  order: SimOrder;
  from: OrderStatusCode | null; // null for creation
  to: OrderStatusCode;
  at: number;
}
export type TransitionListener = (event: TransitionEvent) => void;

export class TransitionError extends Error {}

const FORWARD: OrderStatusCode[] = [10, 30, 40, 50, 60];

/** Direct edges; 70 ("ops cancel" / expiry) from any non-terminal state, 80 only before payment starts. */
function isEdge(from: OrderStatusCode, to: OrderStatusCode): boolean {
  if (TERMINAL_STATUSES.has(from)) return false;
  if (to === OrderStatus.CANCELED) return true;
  if (to === OrderStatus.REJECTED) return from === 10 || from === 30;
  return FORWARD.indexOf(to) === FORWARD.indexOf(from) + 1;
}

export class OrderMachine {
  private readonly listeners: TransitionListener[] = [];

  constructor(private readonly state: SimState) {}

  onTransition(listener: TransitionListener): void {
    this.listeners.push(listener);
  }

  /** Records a freshly created order (status 10) and announces it. */
  created(order: SimOrder): void {
    this.state.orders.add(order);
    order.history.push({ status: order.status, at: order.createTime, source: 'order/add' });
    this.emit({ order, from: null, to: order.status, at: order.createTime });
  }

  canMove(order: SimOrder, to: OrderStatusCode): boolean {
    return isEdge(order.status, to);
  }

  /** One edge of the table, with its side effects. Throws TransitionError for an edge that does not exist. */
  transition(order: SimOrder, to: OrderStatusCode, source: string, opts: { hasRefund?: 0 | 1 } = {}): void {
    const from = order.status;
    if (!isEdge(from, to))
      throw new TransitionError(`order ${order.orderId} cannot move from ${from} to ${to}`);
    const now = this.state.clock();
    this.applySideEffects(order, to, now);
    if (to === OrderStatus.CANCELED && opts.hasRefund !== undefined) order.hasRefund = opts.hasRefund;
    order.status = to;
    order.updateTime = now;
    order.history.push({ status: to, at: now, source });
    this.emit({ order, from, to, at: now });
  }

  /**
   * Moves to `target`, walking the forward chain when it is further ahead (10 -> 60 emits 30, 40, 50, 60),
   * so a test can say "complete this order" in one call and still see every intermediate callback.
   */
  advance(order: SimOrder, target: OrderStatusCode, source: string, opts: { hasRefund?: 0 | 1 } = {}): void {
    if (isEdge(order.status, target)) return this.transition(order, target, source, opts);
    const fromIdx = FORWARD.indexOf(order.status);
    const toIdx = FORWARD.indexOf(target);
    if (fromIdx === -1 || toIdx === -1 || toIdx <= fromIdx) {
      throw new TransitionError(`order ${order.orderId} cannot move from ${order.status} to ${target}`);
    }
    for (const step of FORWARD.slice(fromIdx + 1, toIdx + 1)) this.transition(order, step, source, opts);
  }

  private applySideEffects(order: SimOrder, to: OrderStatusCode, now: number): void {
    const account = this.state.accounts.get(order.apiKey);
    const merchant = this.state.merchants.get(order.mcId);
    switch (to) {
      case OrderStatus.APPROVED:
        order.orderApprovedTime = now;
        break;
      case OrderStatus.PENDING_PAYMENT:
        // Payment window starts at approval (the doc's BUY example: 1725849618 + 15*60 = 1725850518).
        order.orderExpireTimestamp =
          Math.floor((order.orderApprovedTime ?? now) / 1000) + order.orderTimeFrameMinute * 60;
        break;
      case OrderStatus.PAID:
        order.traclingNumber = trackingKey(now);
        break;
      case OrderStatus.RELEASED:
        order.completedTime = now;
        if (order.orderType === 'SELL') {
          account?.balances.burnLocked(order.cryptoCurrency, order.quantity);
          if (merchant) merchant.sellUsed = merchant.sellUsed.plus(order.fiatAmount);
        } else {
          account?.balances.credit(order.cryptoCurrency, order.quantity);
          if (merchant) merchant.buyUsed = merchant.buyUsed.plus(order.fiatAmount);
        }
        break;
      case OrderStatus.CANCELED:
      case OrderStatus.REJECTED:
        order.completedTime = now;
        // The SELL's crypto was locked at creation and never left: give it back.
        if (order.orderType === 'SELL') account?.balances.unlock(order.cryptoCurrency, order.quantity);
        break;
      default:
        break;
    }
  }

  private emit(event: TransitionEvent): void {
    for (const listener of this.listeners) listener(event);
  }
}

/** SPEI tracking keys look like 2024090890706GA27Y4BFDRDHAD3X: date, a 5-digit bank part, 16 alphanumerics. */
export function trackingKey(nowMs: number): string {
  const d = new Date(nowMs);
  const date = `${d.getUTCFullYear()}${String(d.getUTCMonth() + 1).padStart(2, '0')}${String(d.getUTCDate()).padStart(2, '0')}`;
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
  const tail = [...randomBytes(16)].map((b) => alphabet[b % alphabet.length]).join('');
  return `${date}90706${tail}`;
}

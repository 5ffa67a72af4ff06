// Automatic progression: what TruBit's back office does on its own (review, SPEI payout or detection,
// release, expiry, merchant KYC). Each order has at most one pending step; any transition, from whatever
// source, replaces it, so a manual finish or /__sim advance never races a stale timer.
import type { TimerRegistry } from '@sim/common/timer.registry';
import type { SimState } from '@sim/state/sim.state';
import type { SimMerchant } from '@sim/state/merchant.registry';
import type { RuntimeConfig } from '@sim/simulator.options';
import type { OrderMachine, TransitionEvent } from './order.machine';
import { OrderStatus, TERMINAL_STATUSES, type OrderStatusCode, type SimOrder } from './order.model';

const SOURCE = 'auto';

export class OrderAutopilot {
  private readonly steps = new Map<string, NodeJS.Timeout>();
  private readonly expiries = new Map<string, NodeJS.Timeout>();
  private readonly merchantTimers = new Map<number, NodeJS.Timeout>();

  constructor(
    private readonly state: SimState,
    private readonly machine: OrderMachine,
    private readonly config: RuntimeConfig,
    private readonly timers: TimerRegistry,
  ) {
    machine.onTransition((event) => this.onTransition(event));
  }

  /** Call after config.auto changes: off cancels every pending step, on picks up all open orders. */
  resync(): void {
    this.cancelAll();
    if (!this.config.auto) return;
    for (const order of this.state.orders.all()) this.planNext(order);
    for (const merchant of this.state.merchants.listAll())
      if (merchant.status === 1) this.merchantCreated(merchant);
  }

  merchantCreated(merchant: SimMerchant): void {
    const delay = this.config.delays.merchantApproveMs;
    if (!this.config.auto || delay === null || delay < 0) return;
    this.timers.cancel(this.merchantTimers.get(merchant.id));
    this.merchantTimers.set(
      merchant.id,
      this.timers.schedule(delay, () => {
        this.merchantTimers.delete(merchant.id);
        if (merchant.status === 1) this.state.merchants.setStatus(merchant, 2);
      }),
    );
  }

  cancelAll(): void {
    for (const t of [...this.steps.values(), ...this.expiries.values(), ...this.merchantTimers.values()]) {
      this.timers.cancel(t);
    }
    this.steps.clear();
    this.expiries.clear();
    this.merchantTimers.clear();
  }

  private onTransition({ order }: TransitionEvent): void {
    this.clearOrder(order);
    if (this.config.auto) this.planNext(order);
  }

  private planNext(order: SimOrder): void {
    if (TERMINAL_STATUSES.has(order.status)) return;
    const { delays } = this.config;
    const next: Partial<Record<OrderStatusCode, [OrderStatusCode, number]>> = {
      10: [OrderStatus.APPROVED, delays.approveMs],
      30: [OrderStatus.PENDING_PAYMENT, delays.lockMs],
      40: [OrderStatus.PAID, delays.payMs],
      50: [OrderStatus.RELEASED, delays.releaseMs],
    };
    const step = next[order.status];
    if (step && step[1] >= 0) {
      const [to, delay] = step;
      const expected = order.status;
      this.steps.set(
        order.orderId.toString(),
        this.timers.schedule(delay, () => {
          this.steps.delete(order.orderId.toString());
          if (order.status === expected) this.machine.transition(order, to, SOURCE);
        }),
      );
    }
    if (
      order.status === OrderStatus.PENDING_PAYMENT &&
      this.config.expireOrders &&
      order.orderExpireTimestamp
    ) {
      const delay = order.orderExpireTimestamp * 1000 - this.state.clock();
      this.expiries.set(
        order.orderId.toString(),
        this.timers.schedule(delay, () => {
          this.expiries.delete(order.orderId.toString());
          if (order.status === OrderStatus.PENDING_PAYMENT)
            this.machine.transition(order, OrderStatus.CANCELED, 'expired');
        }),
      );
    }
  }

  private clearOrder(order: SimOrder): void {
    const key = order.orderId.toString();
    this.timers.cancel(this.steps.get(key));
    this.timers.cancel(this.expiries.get(key));
    this.steps.delete(key);
    this.expiries.delete(key);
  }
}

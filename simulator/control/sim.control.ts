// What the /__sim control API can do, as plain methods: the routes are a thin HTTP skin over this, and
// in-process tests can call it directly (simulator.control).
import { isDecimalLiteral, money } from '@sim/common/money.math';
import { isFaultMode, type FaultInjector, type FaultInput, type FaultRule } from '@sim/faults/fault.injector';
import type { CallbackDelivery, CallbackDispatcher } from '@sim/callbacks/callback.dispatcher';
import { TransitionError, type OrderMachine } from '@sim/orders/order.machine';
import type { OrderAutopilot } from '@sim/orders/order.autopilot';
import { isStatusCode, type SimOrder } from '@sim/orders/order.model';
import { orderGroundTruth } from '@sim/orders/order.presenter';
import { merchantRow } from '@sim/routes/merchant.routes';
import type { SimAccount } from '@sim/state/account.store';
import type { SimState } from '@sim/state/sim.state';
import {
  applyConfigPatch,
  type AccountSeed,
  type CallbackMode,
  type RuntimeConfig,
  type SimulatorOptions,
} from '@sim/simulator.options';
import { ControlError } from './control.error';

export interface ControlDeps {
  state: SimState;
  config: RuntimeConfig;
  machine: OrderMachine;
  autopilot: OrderAutopilot;
  dispatcher: CallbackDispatcher;
  faults: FaultInjector;
  /** Restores the start-up state (config, seeded accounts) after everything was cleared. */
  reset: () => void;
}

const CALLBACK_MODES: CallbackMode[] = ['normal', 'drop', 'duplicate', 'reorder'];

export class SimControl {
  constructor(private readonly deps: ControlDeps) {}

  createAccount(seed: AccountSeed): { account: Record<string, unknown>; created: boolean } {
    if (
      !seed ||
      typeof seed.apiKey !== 'string' ||
      !seed.apiKey ||
      typeof seed.apiSecret !== 'string' ||
      !seed.apiSecret
    ) {
      throw new ControlError(400, 'apiKey and apiSecret are required strings');
    }
    if (
      seed.callbackUrl !== undefined &&
      seed.callbackUrl !== null &&
      !/^https?:\/\//.test(seed.callbackUrl)
    ) {
      throw new ControlError(400, 'callbackUrl must be an http(s) URL');
    }
    try {
      const { account, created } = this.deps.state.accounts.upsert(seed);
      return { account: accountView(account), created };
    } catch (err) {
      throw new ControlError(400, err instanceof Error ? err.message : String(err));
    }
  }

  account(apiKey: string): Record<string, unknown> {
    return accountView(this.requireAccount(apiKey));
  }

  accounts(): Record<string, unknown>[] {
    return this.deps.state.accounts.list().map(accountView);
  }

  deposit(apiKey: string, asset: unknown, amount: unknown): Record<string, unknown> {
    const account = this.requireAccount(apiKey);
    const text = typeof amount === 'number' ? String(amount) : amount;
    if (typeof asset !== 'string' || !asset) throw new ControlError(400, 'asset is required');
    if (typeof text !== 'string' || !isDecimalLiteral(text) || money(text).lessThanOrEqualTo(0)) {
      throw new ControlError(400, 'amount must be a positive decimal');
    }
    account.balances.credit(asset.toUpperCase(), money(text));
    return accountView(account);
  }

  advanceOrder(orderId: string, status: unknown, hasRefund?: unknown): Record<string, unknown> {
    const order = this.requireOrder(orderId);
    const target = Number(status);
    if (!Number.isInteger(target) || !isStatusCode(target))
      throw new ControlError(400, 'status must be one of 10, 30, 40, 50, 60, 70, 80');
    let refund: 0 | 1 | undefined;
    if (hasRefund !== undefined && hasRefund !== null)
      refund = hasRefund === true || Number(hasRefund) === 1 ? 1 : 0;
    try {
      this.deps.machine.advance(order, target, 'control', { hasRefund: refund });
    } catch (err) {
      if (err instanceof TransitionError) throw new ControlError(409, err.message);
      throw err;
    }
    return orderGroundTruth(order);
  }

  setMerchantStatus(mcId: string, status: unknown): Record<string, unknown> {
    const merchant = this.deps.state.merchants.get(Number(mcId));
    if (!merchant) throw new ControlError(404, `merchant ${mcId} not found`);
    const next = Number(status);
    if (next !== 1 && next !== 2 && next !== 3) throw new ControlError(400, 'status must be 1, 2 or 3');
    this.deps.state.merchants.setStatus(merchant, next);
    return this.merchantView(merchant.id);
  }

  merchants(): Record<string, unknown>[] {
    return this.deps.state.merchants.listAll().map((m) => this.merchantView(m.id));
  }

  addFault(input: Partial<FaultInput> & Record<string, unknown>): FaultRule {
    if (typeof input.route !== 'string' || !input.route.trim())
      throw new ControlError(400, 'route is required ("order/add" or "*")');
    if (!isFaultMode(input.mode))
      throw new ControlError(
        400,
        `mode must be one of error500, error500AfterCommit, timeout, timeoutAfterCommit, latency, rateLimit`,
      );
    const count = input.count === undefined ? undefined : Number(input.count);
    const ms = input.ms === undefined ? undefined : Number(input.ms);
    if (count !== undefined && (!Number.isInteger(count) || count < 0))
      throw new ControlError(400, 'count must be an integer >= 0');
    if (ms !== undefined && (!Number.isFinite(ms) || ms < 0)) throw new ControlError(400, 'ms must be >= 0');
    return this.deps.faults.add({
      route: input.route,
      mode: input.mode,
      count,
      ms,
      persistent: input.persistent === true,
    });
  }

  faults(): FaultRule[] {
    return this.deps.faults.list();
  }

  clearFaults(): number {
    const n = this.deps.faults.list().length;
    this.deps.faults.clear();
    return n;
  }

  setCallbackMode(mode: unknown, windowMs?: unknown): { mode: CallbackMode; windowMs: number } {
    if (typeof mode !== 'string' || !CALLBACK_MODES.includes(mode as CallbackMode)) {
      throw new ControlError(400, `mode must be one of ${CALLBACK_MODES.join(', ')}`);
    }
    const window = windowMs === undefined ? undefined : Number(windowMs);
    if (window !== undefined && (!Number.isFinite(window) || window < 0))
      throw new ControlError(400, 'windowMs must be >= 0');
    this.deps.dispatcher.setMode(mode as CallbackMode, window);
    return this.deps.dispatcher.currentMode;
  }

  callbackMode(): { mode: CallbackMode; windowMs: number } {
    return this.deps.dispatcher.currentMode;
  }

  callbackLog(orderId?: string): CallbackDelivery[] {
    const all = this.deps.dispatcher.log();
    return orderId ? all.filter((d) => d.orderId === orderId) : [...all];
  }

  orders(apiKey?: string): Record<string, unknown>[] {
    return this.deps.state.orders
      .all()
      .filter((o) => !apiKey || o.apiKey === apiKey)
      .map(orderGroundTruth);
  }

  order(orderId: string): Record<string, unknown> {
    return orderGroundTruth(this.requireOrder(orderId));
  }

  configure(patch: SimulatorOptions): RuntimeConfig {
    const autoBefore = this.deps.config.auto;
    applyConfigPatch(this.deps.config, patch);
    // Turning auto on picks up every open order; off stops every pending step. Delay changes apply to the
    // next scheduled step, so re-planning is only needed when auto flips or delays change.
    if (autoBefore !== this.deps.config.auto || patch.delays) this.deps.autopilot.resync();
    return this.deps.config;
  }

  reset(): void {
    this.deps.reset();
  }

  private merchantView(id: number): Record<string, unknown> {
    const m = this.deps.state.merchants.get(id)!;
    return {
      ...merchantRow(this.deps.state, m),
      apiKey: m.apiKey,
      email: m.email,
      merchantType: m.merchantType,
      trench: m.trench,
      details: m.details,
    };
  }

  private requireAccount(apiKey: string): SimAccount {
    const account = this.deps.state.accounts.get(apiKey);
    if (!account) throw new ControlError(404, `account ${apiKey} not found`);
    return account;
  }

  private requireOrder(orderId: string): SimOrder {
    if (!/^\d{1,20}$/.test(orderId)) throw new ControlError(400, 'orderId must be digits');
    const order = this.deps.state.orders.get(orderId);
    if (!order) throw new ControlError(404, `order ${orderId} not found`);
    return order;
  }
}

function accountView(a: SimAccount): Record<string, unknown> {
  return {
    apiKey: a.apiKey,
    accountId: a.accountId,
    userId: a.userId,
    callbackUrl: a.callbackUrl,
    balances: a.balances.view(),
    createdAt: a.createdAt,
  };
}

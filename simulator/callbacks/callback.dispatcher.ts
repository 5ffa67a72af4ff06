// Delivers a signed ORDER_WEBHOOK for every order status change and retries on the configured schedule
// until the receiver answers HTTP 200 with {"callbackStatus":"SUCCESS"} (anything else is "not delivered").
// First attempts for one order go out one after another so "normal" mode arrives in order; retries run on
// their own timers and never hold the next status back. The delivery modes are test hooks for the faults a
// real webhook pipeline sees: lost (drop), repeated (duplicate) and out-of-order (reorder) callbacks.
import type { TimerRegistry } from '@sim/common/timer.registry';
import type { OrderMachine, TransitionEvent } from '@sim/orders/order.machine';
import type { SimState } from '@sim/state/sim.state';
import type { CallbackMode, RuntimeConfig } from '@sim/simulator.options';
import { buildOrderWebhook, type OrderWebhookBody } from './callback.payload';
import type { RsaSigner } from './rsa.signer';

export type DeliveryState = 'pending' | 'held' | 'delivered' | 'failed' | 'dropped' | 'no-url';

export interface DeliveryAttempt {
  at: number;
  httpStatus: number | null;
  response: string | null;
  error: string | null;
  ok: boolean;
}

export interface CallbackDelivery {
  seq: number;
  webhookId: string;
  orderId: string;
  orderStatus: string;
  apiKey: string;
  url: string | null;
  /** The exact bytes sent (and signed). */
  body: string;
  signature: string;
  /** 1, or 2 for the second copy in duplicate mode. */
  copy: number;
  mode: CallbackMode;
  state: DeliveryState;
  attempts: DeliveryAttempt[];
  createdAt: number;
}

const MAX_LOG = 10_000;
const DEFAULT_REORDER_WINDOW_MS = 200;

export class CallbackDispatcher {
  private mode: CallbackMode = 'normal';
  private reorderWindowMs = DEFAULT_REORDER_WINDOW_MS;
  private held: CallbackDelivery[] = [];
  private heldTimer: NodeJS.Timeout | undefined;
  private readonly chains = new Map<string, Promise<void>>();
  private readonly deliveries: CallbackDelivery[] = [];
  private readonly abort = new AbortController();
  private seq = 0;

  constructor(
    machine: OrderMachine,
    private readonly state: SimState,
    private readonly config: RuntimeConfig,
    private readonly signer: RsaSigner,
    private readonly timers: TimerRegistry,
  ) {
    machine.onTransition((event) => this.onTransition(event));
  }

  get currentMode(): { mode: CallbackMode; windowMs: number } {
    return { mode: this.mode, windowMs: this.reorderWindowMs };
  }

  /**
   * normal: deliver each callback once, in order. drop: never send (logged as dropped). duplicate: send every
   * callback twice with the same body and webhookId. reorder: hold callbacks for `windowMs` after the first
   * one, then send the held batch newest first. Leaving reorder flushes whatever is held.
   */
  setMode(mode: CallbackMode, windowMs?: number): void {
    this.mode = mode;
    if (windowMs !== undefined) this.reorderWindowMs = windowMs;
    if (mode !== 'reorder') this.flushHeld();
  }

  log(): CallbackDelivery[] {
    return this.deliveries;
  }

  /** Forgets the log and anything held or pending (used by /__sim/reset). */
  reset(): void {
    this.timers.cancel(this.heldTimer);
    this.heldTimer = undefined;
    this.held = [];
    this.deliveries.length = 0;
    this.chains.clear();
    this.mode = 'normal';
    this.reorderWindowMs = DEFAULT_REORDER_WINDOW_MS;
  }

  close(): void {
    this.abort.abort();
  }

  private onTransition({ order, at }: TransitionEvent): void {
    const payload = buildOrderWebhook(order, at);
    const body = JSON.stringify(payload);
    const account = this.state.accounts.get(order.apiKey);
    const url = account?.callbackUrl ?? this.config.callbackUrl ?? null;
    const copies = this.mode === 'duplicate' ? 2 : 1;
    for (let copy = 1; copy <= copies; copy++) {
      const delivery = this.record(order.apiKey, url, payload, body, copy);
      if (this.mode === 'drop') delivery.state = 'dropped';
      else if (this.mode === 'reorder') this.hold(delivery);
      else this.start(delivery);
    }
  }

  private record(
    apiKey: string,
    url: string | null,
    payload: OrderWebhookBody,
    body: string,
    copy: number,
  ): CallbackDelivery {
    const delivery: CallbackDelivery = {
      seq: ++this.seq,
      webhookId: payload.webhookId,
      orderId: payload.orderId,
      orderStatus: payload.orderStatus,
      apiKey,
      url,
      body,
      signature: this.signer.signHex(body),
      copy,
      mode: this.mode,
      state: 'pending',
      attempts: [],
      createdAt: this.state.clock(),
    };
    this.deliveries.push(delivery);
    if (this.deliveries.length > MAX_LOG) this.deliveries.splice(0, this.deliveries.length - MAX_LOG);
    return delivery;
  }

  private hold(delivery: CallbackDelivery): void {
    delivery.state = 'held';
    this.held.push(delivery);
    this.heldTimer ??= this.timers.schedule(this.reorderWindowMs, () => {
      this.heldTimer = undefined;
      this.flushHeld();
    });
  }

  private flushHeld(): void {
    this.timers.cancel(this.heldTimer);
    this.heldTimer = undefined;
    const batch = this.held.reverse();
    this.held = [];
    for (const delivery of batch) {
      delivery.state = 'pending';
      this.start(delivery);
    }
  }

  private start(delivery: CallbackDelivery): void {
    if (!delivery.url) {
      delivery.state = 'no-url';
      return;
    }
    const previous = this.chains.get(delivery.orderId) ?? Promise.resolve();
    const first = previous.then(() => this.deliverFrom(delivery, 0));
    this.chains.set(delivery.orderId, first);
    // Drop the chain entry once idle so long runs do not keep one promise per order forever.
    void first.then(() => {
      if (this.chains.get(delivery.orderId) === first) this.chains.delete(delivery.orderId);
    });
  }

  /** Runs attempt `index`; schedules the next one without awaiting it. Never rejects. */
  private async deliverFrom(delivery: CallbackDelivery, index: number): Promise<void> {
    const schedule = this.config.callbackRetryMs.length ? this.config.callbackRetryMs : [0];
    const delay = schedule[index] ?? 0;
    if (delay > 0 && !(await this.timers.sleep(delay))) return;
    if (this.abort.signal.aborted) return;
    if (await this.attempt(delivery)) {
      delivery.state = 'delivered';
    } else if (index + 1 < schedule.length) {
      void this.deliverFrom(delivery, index + 1);
    } else {
      delivery.state = 'failed';
    }
  }

  private async attempt(delivery: CallbackDelivery): Promise<boolean> {
    const record: DeliveryAttempt = {
      at: this.state.clock(),
      httpStatus: null,
      response: null,
      error: null,
      ok: false,
    };
    delivery.attempts.push(record);
    try {
      const res = await fetch(delivery.url as string, {
        method: 'POST',
        headers: { 'content-type': 'application/json', signature: delivery.signature },
        body: delivery.body,
        signal: AbortSignal.any([this.abort.signal, AbortSignal.timeout(this.config.callbackTimeoutMs)]),
      });
      record.httpStatus = res.status;
      record.response = (await res.text()).slice(0, 500);
      record.ok = res.status === 200 && isSuccessReply(record.response);
    } catch (err) {
      record.error = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
    }
    return record.ok;
  }
}

function isSuccessReply(text: string): boolean {
  try {
    const parsed = JSON.parse(text) as unknown;
    return (
      typeof parsed === 'object' &&
      parsed !== null &&
      (parsed as { callbackStatus?: unknown }).callbackStatus === 'SUCCESS'
    );
  } catch {
    return false;
  }
}

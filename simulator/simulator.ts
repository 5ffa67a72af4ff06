// createSimulator(): wires the TruBit OTC simulator together. Standalone by design (no NestJS, nothing from
// src/): the gateway must talk to it only over HTTP, exactly as it would to api-otc.trubit.com.
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { RequestAuthenticator } from '@sim/auth/request.authenticator';
import { CallbackDispatcher } from '@sim/callbacks/callback.dispatcher';
import { RsaSigner } from '@sim/callbacks/rsa.signer';
import { TimerRegistry } from '@sim/common/timer.registry';
import { SimControl } from '@sim/control/sim.control';
import { registerControlRoutes } from '@sim/control/control.routes';
import { FaultInjector } from '@sim/faults/fault.injector';
import { OrderRateLimiter } from '@sim/limits/order-rate.limiter';
import { WeightLimiter } from '@sim/limits/weight.limiter';
import { OrderAutopilot } from '@sim/orders/order.autopilot';
import { OrderMachine } from '@sim/orders/order.machine';
import { OrderPlacer } from '@sim/orders/order.placer';
import { accountRoutes } from '@sim/routes/account.routes';
import { baseRoutes } from '@sim/routes/base.routes';
import { buildHttpApp } from '@sim/routes/http.app';
import { merchantRoutes } from '@sim/routes/merchant.routes';
import { orderRoutes } from '@sim/routes/order.routes';
import { registerOtcRoutes } from '@sim/routes/otc.pipeline';
import { paymentRoutes } from '@sim/routes/payment.routes';
import { SimState } from '@sim/state/sim.state';
import { resolveRuntimeConfig, type RuntimeConfig, type SimulatorOptions } from './simulator.options';

export type { AccountSeed, CallbackMode, RuntimeConfig, SimulatorOptions } from './simulator.options';
export type { SimControl } from '@sim/control/sim.control';
export type { FaultMode, FaultRule } from '@sim/faults/fault.injector';
export type { CallbackDelivery } from '@sim/callbacks/callback.dispatcher';

export interface Simulator {
  /** The Fastify instance (app.inject() works for in-process tests without a socket). */
  readonly app: FastifyInstance;
  /** Live configuration; mutate through control.configure() so auto progression re-plans. */
  readonly config: RuntimeConfig;
  /** Ground truth: accounts, balances, merchants, payout methods, orders. */
  readonly state: SimState;
  /** Everything /__sim does, as methods. */
  readonly control: SimControl;
  readonly machine: OrderMachine;
  readonly dispatcher: CallbackDispatcher;
  readonly faults: FaultInjector;
  /** Base64 of the DER SPKI public key callbacks are signed with. */
  readonly publicKeyBase64: string;
  readonly publicKeyPem: string;
  /** Set once listening. */
  url: string | null;
  listen(port?: number, host?: string): Promise<{ url: string; port: number }>;
  close(): Promise<void>;
}

export async function createSimulator(options: SimulatorOptions = {}): Promise<Simulator> {
  const clock = options.clock ?? Date.now;
  const config = resolveRuntimeConfig(options);
  const timers = new TimerRegistry();
  const signer = new RsaSigner(options.rsaPrivateKeyPem);
  const state = new SimState(clock);
  const machine = new OrderMachine(state);
  const autopilot = new OrderAutopilot(state, machine, config, timers);
  const dispatcher = new CallbackDispatcher(machine, state, config, signer, timers);
  const faults = new FaultInjector();
  const limiter = new WeightLimiter(() => config.limits, clock);
  const orderLimiter = new OrderRateLimiter(() => config.limits.ordersPerSecond, clock);
  const authenticator = new RequestAuthenticator(state.accounts, config, clock);
  const placer = new OrderPlacer(state, config, machine);

  const seedAccounts = (): void => {
    for (const seed of options.accounts ?? []) state.accounts.upsert(seed);
  };
  seedAccounts();

  const reset = (): void => {
    timers.clearAll();
    autopilot.cancelAll();
    dispatcher.reset();
    faults.clear();
    limiter.reset();
    orderLimiter.reset();
    state.clear();
    Object.assign(config, resolveRuntimeConfig(options));
    seedAccounts();
  };
  const control = new SimControl({ state, config, machine, autopilot, dispatcher, faults, reset });

  const app = buildHttpApp(options.logger);
  registerOtcRoutes(
    app,
    [
      ...baseRoutes(config, placer, clock),
      ...paymentRoutes(state),
      ...merchantRoutes(state, config, autopilot),
      ...orderRoutes(state, config, placer, machine),
      ...accountRoutes(),
    ],
    { config, limiter, orderLimiter, authenticator, faults, timers },
  );
  registerControlRoutes(app, control, { base64: signer.publicKeyBase64, pem: signer.publicKeyPem });

  const sim: Simulator = {
    app,
    config,
    state,
    control,
    machine,
    dispatcher,
    faults,
    publicKeyBase64: signer.publicKeyBase64,
    publicKeyPem: signer.publicKeyPem,
    url: null,
    async listen(port = options.port ?? 4010, host = options.host ?? '127.0.0.1') {
      await app.listen({ port, host });
      const address = app.server.address() as AddressInfo;
      const shownHost =
        host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host.includes(':') ? `[${host}]` : host;
      sim.url = `http://${shownHost}:${address.port}`;
      return { url: sim.url, port: address.port };
    },
    async close() {
      timers.close();
      dispatcher.close();
      await app.close();
    },
  };
  return sim;
}

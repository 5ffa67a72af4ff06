import type { INestApplicationContext } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { createWorkerApp } from '@app/bootstrap';
import { AppConfig } from '@app/config/app-config';
import { createSimulator, Simulator, SimulatorOptions } from '@sim/simulator';
import { AdminClient } from './admin-client';
import { RunningApi, startApi } from './api-harness';
import { http } from './http';
import { testConfig } from './test-config';

export interface RunningStack {
  sim: Simulator;
  simUrl: string;
  api: RunningApi;
  worker?: INestApplicationContext;
  config: AppConfig;
  admin: AdminClient;
  operator: { apiKey: string; apiSecret: string };
  /** POST/GET the simulator's control API (/__sim/...) */
  simControl(method: string, path: string, body?: unknown): Promise<any>;
  close(): Promise<void>;
}

export interface StackOptions {
  /** Simulator automatic progression (default false: tests drive it via /__sim). */
  auto?: boolean;
  sim?: SimulatorOptions;
  /** Extra gateway environment variables. */
  env?: Record<string, string>;
  /** Start the worker in-process too (default true). */
  worker?: boolean;
  /** Operator account's starting USDT balance at the simulator (default 100000). */
  operatorUsdt?: string;
}

/**
 * The real gateway against the real simulator over HTTP: simulator on a random port with an operator account,
 * API (and by default the worker) configured with its URL, credentials and callback public key, and the
 * simulator's callbacks pointed at the API.
 */
export async function startStack(opts: StackOptions = {}): Promise<RunningStack> {
  const operator = {
    apiKey: `op-${randomBytes(6).toString('hex')}`,
    apiSecret: randomBytes(24).toString('hex'),
  };
  const sim = await createSimulator({
    auto: opts.auto ?? false,
    logger: false,
    callbackRetryMs: [0, 200, 500, 1000, 2000],
    ...opts.sim,
  });
  const { url: simUrl } = await sim.listen(0, '127.0.0.1');
  const simControl = async (method: string, path: string, body?: unknown) => {
    const res = await http(method, `${simUrl}/__sim${path}`, { body });
    if (res.status >= 400) throw new Error(`simulator ${method} ${path}: ${res.status} ${res.text}`);
    return res.body;
  };
  const config = testConfig({
    TRUBIT_BASE_URL: simUrl,
    TRUBIT_API_KEY: operator.apiKey,
    TRUBIT_API_SECRET: operator.apiSecret,
    TRUBIT_CALLBACK_PUBLIC_KEY: sim.publicKeyBase64,
    ...opts.env,
  });
  const api = await startApi(config);
  await simControl('POST', '/accounts', {
    ...operator,
    balances: { USDT: opts.operatorUsdt ?? '100000' },
    callbackUrl: `${api.url}/callbacks/trubit`,
  });
  const worker = opts.worker === false ? undefined : await createWorkerApp(config);
  return {
    sim,
    simUrl,
    api,
    worker,
    config,
    admin: new AdminClient(api.url, config.admin.token),
    operator,
    simControl,
    async close() {
      await worker?.close();
      await api.close();
      await sim.close();
    },
  };
}

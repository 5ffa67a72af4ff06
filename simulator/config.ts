// The simulator's environment, read and validated once. The only file of the simulator that touches
// process.env; a bad value stops start-up with the variable's name.
import type { AccountSeed, SimulatorOptions } from './simulator.options';

export class SimConfigError extends Error {}

type Env = Record<string, string | undefined>;

export function loadSimulatorOptions(
  env: Env = process.env,
): SimulatorOptions & { port: number; host: string } {
  const options: SimulatorOptions & { port: number; host: string } = {
    port: int(env, 'SIM_PORT', 4010, 0),
    host: env.SIM_HOST?.trim() || '127.0.0.1',
    logger: env.SIM_LOG_LEVEL?.trim() || 'info',
  };
  const auto = bool(env, 'SIM_AUTO');
  if (auto !== undefined) options.auto = auto;
  const delays: NonNullable<SimulatorOptions['delays']> = {};
  setIf(delays, 'approveMs', intOpt(env, 'SIM_APPROVE_DELAY_MS', -1));
  setIf(delays, 'lockMs', intOpt(env, 'SIM_LOCK_DELAY_MS', -1));
  setIf(delays, 'payMs', intOpt(env, 'SIM_PAY_DELAY_MS', -1));
  setIf(delays, 'releaseMs', intOpt(env, 'SIM_RELEASE_DELAY_MS', -1));
  const merchantDelay = env.SIM_MERCHANT_APPROVE_DELAY_MS?.trim();
  if (merchantDelay === 'off') delays.merchantApproveMs = null;
  else setIf(delays, 'merchantApproveMs', intOpt(env, 'SIM_MERCHANT_APPROVE_DELAY_MS', 0));
  if (Object.keys(delays).length) options.delays = delays;

  const callbackUrl = env.SIM_CALLBACK_URL?.trim();
  if (callbackUrl) {
    if (!/^https?:\/\//.test(callbackUrl))
      throw new SimConfigError('SIM_CALLBACK_URL must be an http(s) URL');
    options.callbackUrl = callbackUrl;
  }
  const retry = env.SIM_CALLBACK_RETRY_MS?.trim();
  if (retry) {
    const list = retry.split(',').map((x) => Number(x.trim()));
    if (list.some((n) => !Number.isInteger(n) || n < 0))
      throw new SimConfigError('SIM_CALLBACK_RETRY_MS must be comma-separated ms, e.g. "0,1000,5000"');
    options.callbackRetryMs = list;
  }
  setIf(options, 'callbackTimeoutMs', intOpt(env, 'SIM_CALLBACK_TIMEOUT_MS', 1));
  const sellRate = decimalOpt(env, 'SIM_SELL_RATE');
  const buyRate = decimalOpt(env, 'SIM_BUY_RATE');
  if (sellRate) options.sellRate = sellRate;
  if (buyRate) options.buyRate = buyRate;
  const hasOpen = bool(env, 'SIM_HAS_OPEN');
  if (hasOpen !== undefined) options.hasOpen = hasOpen;
  const envelope = bool(env, 'SIM_ENVELOPE');
  if (envelope !== undefined) options.envelope = envelope;
  const listOrder = env.SIM_LIST_ORDER?.trim();
  if (listOrder) {
    if (listOrder !== 'asc' && listOrder !== 'desc')
      throw new SimConfigError('SIM_LIST_ORDER must be asc or desc');
    options.listOrder = listOrder;
  }

  const limits: NonNullable<SimulatorOptions['limits']> = {};
  setIf(limits, 'weightPerWindow', intOpt(env, 'SIM_RATE_LIMIT_WEIGHT', 1));
  setIf(limits, 'windowMs', intOpt(env, 'SIM_RATE_LIMIT_WINDOW_MS', 1));
  setIf(limits, 'banAfter', intOpt(env, 'SIM_BAN_AFTER', 0));
  setIf(limits, 'banMs', intOpt(env, 'SIM_BAN_MS', 0));
  setIf(limits, 'ordersPerSecond', intOpt(env, 'SIM_ORDERS_PER_SECOND', 1));
  if (Object.keys(limits).length) options.limits = limits;

  const accounts = parseAccounts(env);
  if (accounts.length) options.accounts = accounts;
  const pem = env.SIM_RSA_PRIVATE_KEY?.trim();
  if (pem) {
    // Accept a PEM with real newlines or with "\n" escapes (how one-line .env files carry it).
    options.rsaPrivateKeyPem = pem.replace(/\\n/g, '\n');
    if (!options.rsaPrivateKeyPem.includes('PRIVATE KEY'))
      throw new SimConfigError('SIM_RSA_PRIVATE_KEY must be a PEM private key');
  }
  return options;
}

/** SIM_ACCOUNTS="key1:secret1,key2:secret2", each credited with SIM_SEED_BALANCES="USDT=100000;MMXN=5". */
function parseAccounts(env: Env): AccountSeed[] {
  const list = env.SIM_ACCOUNTS?.trim();
  if (!list) return [];
  const balances: Record<string, string> = {};
  for (const part of (env.SIM_SEED_BALANCES ?? '').split(/[;,]/).filter((p) => p.trim())) {
    const [asset, amount] = part.split('=').map((x) => x.trim());
    if (!asset || !amount || !/^\d+(\.\d+)?$/.test(amount))
      throw new SimConfigError('SIM_SEED_BALANCES must look like "USDT=100000;MMXN=5"');
    balances[asset.toUpperCase()] = amount;
  }
  return list
    .split(',')
    .map((x) => x.trim())
    .filter(Boolean)
    .map((pair) => {
      const idx = pair.indexOf(':');
      if (idx <= 0 || idx === pair.length - 1)
        throw new SimConfigError('SIM_ACCOUNTS must look like "key:secret,key2:secret2"');
      return { apiKey: pair.slice(0, idx), apiSecret: pair.slice(idx + 1), balances };
    });
}

function bool(env: Env, name: string): boolean | undefined {
  const v = env[name]?.trim().toLowerCase();
  if (v === undefined || v === '') return undefined;
  if (['1', 'true', 'yes', 'on'].includes(v)) return true;
  if (['0', 'false', 'no', 'off'].includes(v)) return false;
  throw new SimConfigError(`${name} must be 0/1 or true/false`);
}

function intOpt(env: Env, name: string, min: number): number | undefined {
  const v = env[name]?.trim();
  if (v === undefined || v === '') return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < min) throw new SimConfigError(`${name} must be an integer >= ${min}`);
  return n;
}

function int(env: Env, name: string, fallback: number, min: number): number {
  return intOpt(env, name, min) ?? fallback;
}

function decimalOpt(env: Env, name: string): string | undefined {
  const v = env[name]?.trim();
  if (!v) return undefined;
  if (!/^\d+(\.\d+)?$/.test(v)) throw new SimConfigError(`${name} must be a decimal like 19.91`);
  return v;
}

function setIf<T extends object, K extends keyof T>(target: T, key: K, value: T[K] | undefined): void {
  if (value !== undefined) target[key] = value;
}

// Options of createSimulator() and the runtime configuration they resolve to. The runtime part is one
// mutable object shared by every component, so POST /__sim/config changes behaviour immediately.

export type CallbackMode = 'normal' | 'drop' | 'duplicate' | 'reorder';

export interface SimDelays {
  /** 10 -> 30 (TruBit review). */
  approveMs: number;
  /** 30 -> 40 ("immediately" per §5.3; kept separate so tests can hold an order at 30). */
  lockMs: number;
  /** 40 -> 50 (BUY: SPEI received; SELL: payout sent). */
  payMs: number;
  /** 50 -> 60 (release). */
  releaseMs: number;
  /** mc/add status 1 -> 2 (KYC approved); null = never, only /__sim/merchants/:id/status moves it. */
  merchantApproveMs: number | null;
}

/** Fiat per 1 crypto as decimal strings; `buy` is what a BUYer pays, `sell` what a SELLer gets. */
export interface RateQuote {
  buy: string;
  sell: string;
}

export interface SimLimits {
  /** REQUESTS_WEIGHT budget per API key (or per IP for keyless calls) per window. */
  weightPerWindow: number;
  windowMs: number;
  /** Requests tolerated after the first 429 in a window before the caller is banned (418). */
  banAfter: number;
  /** First ban length; repeat offenders double it up to maxBanMs (BHEX: 2 minutes up to 3 days). */
  banMs: number;
  maxBanMs: number;
  /** ORDERS limit for order/add per API key per second (-1015). */
  ordersPerSecond: number;
}

export interface RuntimeConfig {
  auto: boolean;
  delays: SimDelays;
  /** Keyed "CRYPTO/FIAT", e.g. "USDT/MXN". */
  rates: Record<string, RateQuote>;
  hasOpen: boolean;
  /** Wrap success payloads as {code:200,msg:"SUCCESS",data}. */
  envelope: boolean;
  limits: SimLimits;
  /** §2.3 caveat: real BHEX servers may only enforce recvWindow on order creation. */
  enforceRecvWindowOnReads: boolean;
  listOrder: 'asc' | 'desc';
  /** The detail example has a numeric orderStatus while the list has a string; flip to make both strings. */
  detailStatusAsString: boolean;
  /** Orders at 40 past orderExpireTimestamp go to 70 (only while auto is on). */
  expireOrders: boolean;
  orderTimeFrameMinutes: { BUY: number; SELL: number };
  merchantLimits: { buy: string; sell: string };
  /** Global default callback URL; an account's own URL wins. */
  callbackUrl: string | null;
  /** Delay before each delivery attempt: [first, 1st retry, 2nd retry, ...]. */
  callbackRetryMs: number[];
  callbackTimeoutMs: number;
  /** Default `ms` for the timeout fault mode when none is given. */
  defaultFaultTimeoutMs: number;
}

export interface AccountSeed {
  apiKey: string;
  apiSecret: string;
  /** { USDT: "1000" } or [{ asset, free, locked? }] */
  balances?:
    | Record<string, string | number>
    | Array<{ asset: string; free: string | number; locked?: string | number }>;
  callbackUrl?: string | null;
}

type DeepPartial<T> = {
  [K in keyof T]?: T[K] extends Array<unknown> ? T[K] : T[K] extends object ? DeepPartial<T[K]> : T[K];
};

export interface SimulatorOptions extends DeepPartial<Omit<RuntimeConfig, 'rates'>> {
  rates?: Record<string, RateQuote>;
  /** Shorthands for rates["USDT/MXN"]. */
  sellRate?: string | number;
  buyRate?: string | number;
  accounts?: AccountSeed[];
  /** PEM (PKCS#8 or PKCS#1) RSA private key; a fresh RSA-2048 pair is generated when absent. */
  rsaPrivateKeyPem?: string;
  /** false (default) = silent; true or a pino level name = Fastify's pino logger at that level. */
  logger?: boolean | string;
  /** Injected clock (ms) for timestamps, recvWindow and limiter windows. */
  clock?: () => number;
  port?: number;
  host?: string;
}

export const DEFAULT_RUNTIME_CONFIG: RuntimeConfig = {
  auto: true,
  delays: { approveMs: 1000, lockMs: 0, payMs: 1000, releaseMs: 1000, merchantApproveMs: 1000 },
  // Defaults taken from the doc's examples: BUY at 20.07, SELL at 19.91 MXN per USDT.
  rates: {
    'USDT/MXN': { buy: '20.07', sell: '19.91' },
    'MMXN/MXN': { buy: '1', sell: '1' },
    'USDT/ARS': { buy: '1250', sell: '1200' },
    'BTC/ARS': { buy: '120000000', sell: '118000000' },
  },
  hasOpen: true,
  envelope: false,
  limits: {
    weightPerWindow: 1200,
    windowMs: 60_000,
    banAfter: 10,
    banMs: 120_000,
    maxBanMs: 3 * 24 * 3600_000,
    ordersPerSecond: 10,
  },
  enforceRecvWindowOnReads: true,
  listOrder: 'asc',
  detailStatusAsString: false,
  expireOrders: true,
  orderTimeFrameMinutes: { BUY: 15, SELL: 240 },
  merchantLimits: { buy: '1000000.00', sell: '1000000.00' },
  callbackUrl: null,
  callbackRetryMs: [0, 1000, 5000, 30_000, 120_000, 600_000, 3_600_000],
  callbackTimeoutMs: 5000,
  defaultFaultTimeoutMs: 120_000,
};

/** Applies a (partial) patch onto a runtime config in place, merging nested objects one level deep. */
export function applyConfigPatch(target: RuntimeConfig, patch: SimulatorOptions): void {
  const t = target as unknown as Record<string, unknown>;
  for (const [key, value] of Object.entries(patch)) {
    if (value === undefined || !(key in DEFAULT_RUNTIME_CONFIG)) continue;
    const current = t[key];
    if (key !== 'rates' && isPlainObject(current) && isPlainObject(value)) t[key] = { ...current, ...value };
    else if (key === 'rates' && isPlainObject(value)) t[key] = { ...(current as object), ...value };
    else t[key] = value;
  }
  const usdtMxn = target.rates['USDT/MXN'] ?? { buy: '20.07', sell: '19.91' };
  if (patch.sellRate !== undefined || patch.buyRate !== undefined) {
    target.rates = {
      ...target.rates,
      'USDT/MXN': {
        buy: patch.buyRate !== undefined ? String(patch.buyRate) : usdtMxn.buy,
        sell: patch.sellRate !== undefined ? String(patch.sellRate) : usdtMxn.sell,
      },
    };
  }
}

export function resolveRuntimeConfig(options: SimulatorOptions = {}): RuntimeConfig {
  const config: RuntimeConfig = structuredClone(DEFAULT_RUNTIME_CONFIG);
  applyConfigPatch(config, options);
  return config;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

import type { Registry } from 'prom-client';

/** One TruBit OpenAPI account: the operator's default one, or a partner's own. */
export interface TrubitCredentials {
  apiKey: string;
  apiSecret: string;
}

export interface TrubitBreakerOptions {
  /** opossum `timeout`: a call still running after this counts as a failure. Default requestTimeoutMs + 500. */
  timeoutMs: number;
  /** Failure percentage in the rolling window above which the breaker opens. Default 50. */
  errorThresholdPercentage: number;
  /** Time the breaker stays OPEN before letting one trial call through (HALF_OPEN). Default 30 000. */
  resetTimeoutMs: number;
  /** Minimum calls in the rolling window before the breaker may open. Default 10. */
  volumeThreshold: number;
  /** Length of the rolling statistics window. Default 30 000. */
  rollingCountTimeoutMs: number;
  /** Buckets in the rolling window; must divide rollingCountTimeoutMs. Default 10. */
  rollingCountBuckets: number;
}

export interface TrubitLimiterOptions {
  /** TruBit REQUESTS_WEIGHT per minute for one API key, shared by every gateway instance. Default 1200. */
  weightPerMinute: number;
  /** TruBit ORDERS per second (order/add) for one API key. Default 10. */
  ordersPerSecond: number;
  /** Longest a call waits for budget (or for a 429/418 backoff) before failing with TrubitRateLimitError. Default 2000. */
  maxWaitMs: number;
  /** Redis key prefix; keys are `<prefix>{<sha256(apiKey)[0..16]>}:…`. Default 'trubit:rl:'. */
  keyPrefix: string;
  /** Pause after a 429 without Retry-After. Default 10 000. */
  backoff429Ms: number;
  /** Pause after a 418 (IP ban) when the message gives no "banned until". Default 120 000 (BHEX's first ban step). */
  backoff418Ms: number;
}

export interface TrubitPoolOptions {
  /** Sockets kept to TruBit per instance. Default 16. */
  connections: number;
  /** Idle keep-alive time. Default 30 000. */
  keepAliveTimeoutMs: number;
  /** TCP/TLS connect timeout; a failure here means nothing was sent. Default min(5000, requestTimeoutMs). */
  connectTimeoutMs: number;
}

export interface TrubitClientOptions {
  /** e.g. https://api-otc.trubit.com (the client appends /openapi/v1/otc/...). A path prefix is kept. */
  baseUrl: string;
  /** The operator's own TruBit account, used when a call gets no per-partner credentials. */
  credentials: TrubitCredentials;
  /** Sent as `recvWindow` on signed calls. Default 5000; null or 0 leaves it out. */
  recvWindowMs?: number | null;
  /** Whole-request timeout (connect + headers + body). Default 10 000. */
  requestTimeoutMs?: number;
  breaker?: Partial<TrubitBreakerOptions>;
  limiter?: Partial<TrubitLimiterOptions>;
  pool?: Partial<TrubitPoolOptions>;
  /** Clock for request timestamps (and the in-memory limiter). Default Date.now. */
  now?: () => number;
  /** Where metrics go. Default: prom-client's global register. */
  metricsRegistry?: Registry;
  /** Label value distinguishing clients in metrics (`client`). Default 'default'. */
  name?: string;
}

export interface ResolvedTrubitClientOptions {
  baseUrl: string;
  credentials: TrubitCredentials;
  recvWindowMs: number | null;
  requestTimeoutMs: number;
  breaker: TrubitBreakerOptions;
  limiter: TrubitLimiterOptions;
  pool: TrubitPoolOptions;
  now: () => number;
  metricsRegistry: Registry | undefined;
  name: string;
}

export const TRUBIT_DEFAULT_LIMITER: Readonly<TrubitLimiterOptions> = Object.freeze({
  weightPerMinute: 1200,
  ordersPerSecond: 10,
  maxWaitMs: 2000,
  keyPrefix: 'trubit:rl:',
  backoff429Ms: 10_000,
  backoff418Ms: 120_000,
});

function positive(name: string, value: number, allowZero = false): number {
  if (!Number.isFinite(value) || value < 0 || (!allowZero && value === 0)) {
    throw new RangeError(
      `TrubitClientOptions.${name} must be a ${allowZero ? 'non-negative' : 'positive'} number, got ${value}`,
    );
  }
  return value;
}

/** Fills defaults and checks ranges once, so a bad config fails at start-up, naming the field. */
export function resolveTrubitOptions(options: TrubitClientOptions): ResolvedTrubitClientOptions {
  let base: URL;
  try {
    base = new URL(options.baseUrl);
  } catch {
    throw new RangeError(`TrubitClientOptions.baseUrl is not a URL: "${options.baseUrl}"`);
  }
  if (base.protocol !== 'http:' && base.protocol !== 'https:') {
    throw new RangeError(`TrubitClientOptions.baseUrl must be http(s), got ${base.protocol}`);
  }
  if (!options.credentials?.apiKey || !options.credentials?.apiSecret) {
    throw new RangeError('TrubitClientOptions.credentials needs apiKey and apiSecret');
  }
  const requestTimeoutMs = positive('requestTimeoutMs', options.requestTimeoutMs ?? 10_000);
  const b = options.breaker ?? {};
  const l = options.limiter ?? {};
  const p = options.pool ?? {};
  const recv = options.recvWindowMs === undefined ? 5000 : options.recvWindowMs;
  return {
    baseUrl: options.baseUrl,
    credentials: { apiKey: options.credentials.apiKey, apiSecret: options.credentials.apiSecret },
    recvWindowMs: recv ? positive('recvWindowMs', recv) : null,
    requestTimeoutMs,
    breaker: {
      timeoutMs: positive('breaker.timeoutMs', b.timeoutMs ?? requestTimeoutMs + 500),
      errorThresholdPercentage: positive(
        'breaker.errorThresholdPercentage',
        b.errorThresholdPercentage ?? 50,
      ),
      resetTimeoutMs: positive('breaker.resetTimeoutMs', b.resetTimeoutMs ?? 30_000),
      volumeThreshold: positive('breaker.volumeThreshold', b.volumeThreshold ?? 10, true),
      rollingCountTimeoutMs: positive('breaker.rollingCountTimeoutMs', b.rollingCountTimeoutMs ?? 30_000),
      rollingCountBuckets: positive('breaker.rollingCountBuckets', b.rollingCountBuckets ?? 10),
    },
    limiter: {
      weightPerMinute: positive(
        'limiter.weightPerMinute',
        l.weightPerMinute ?? TRUBIT_DEFAULT_LIMITER.weightPerMinute,
      ),
      ordersPerSecond: positive(
        'limiter.ordersPerSecond',
        l.ordersPerSecond ?? TRUBIT_DEFAULT_LIMITER.ordersPerSecond,
      ),
      maxWaitMs: positive('limiter.maxWaitMs', l.maxWaitMs ?? TRUBIT_DEFAULT_LIMITER.maxWaitMs, true),
      keyPrefix: l.keyPrefix ?? TRUBIT_DEFAULT_LIMITER.keyPrefix,
      backoff429Ms: positive('limiter.backoff429Ms', l.backoff429Ms ?? TRUBIT_DEFAULT_LIMITER.backoff429Ms),
      backoff418Ms: positive('limiter.backoff418Ms', l.backoff418Ms ?? TRUBIT_DEFAULT_LIMITER.backoff418Ms),
    },
    pool: {
      connections: positive('pool.connections', p.connections ?? 16),
      keepAliveTimeoutMs: positive('pool.keepAliveTimeoutMs', p.keepAliveTimeoutMs ?? 30_000),
      connectTimeoutMs: positive(
        'pool.connectTimeoutMs',
        p.connectTimeoutMs ?? Math.min(5000, requestTimeoutMs),
      ),
    },
    now: options.now ?? Date.now,
    metricsRegistry: options.metricsRegistry,
    name: options.name ?? 'default',
  };
}

// The typed configuration every module receives (never process.env).
export interface AppConfig {
  env: 'development' | 'production' | 'test';
  http: { port: number; host: string; bodyLimitBytes: number; trustedProxies: string[] };
  logLevel: string;
  /** metricsPort: where the worker serves GET /metrics (null = not served). */
  worker: { metricsPort: number | null };
  database: { url: string; poolSize: number };
  redis: { url: string; prefix: string };
  admin: { token: string };
  masterKey: Buffer;
  auth: { bcryptCost: number; cacheTtlMs: number; failuresPerMinute: number };
  trubit: {
    baseUrl: string;
    apiKey: string;
    apiSecret: string;
    callbackPublicKey: string;
    recvWindowMs: number;
    timeoutMs: number;
    country: string;
    breaker: {
      errorThresholdPercentage: number;
      resetTimeoutMs: number;
      volumeThreshold: number;
      rollingCountTimeoutMs: number;
    };
    limiter: { weightPerMinute: number; ordersPerSecond: number; maxWaitMs: number };
  };
  webhooks: {
    allowInsecure: boolean;
    timeoutMs: number;
    /** Delay before attempt i of a series (0 s, 5 s, 5 min, 30 min, 2 h by default); length = maxAttempts. */
    retryScheduleMs: number[];
  };
  trading: {
    quoteTtlSeconds: number;
    orderTtlMinutes: number;
    kycThresholdMxn: number;
    exchangeRateCacheMs: number;
    fundingWatchIntervalMs: number;
  };
  reconcile: {
    intervalMs: number;
    /** UNKNOWN submissions not found at TruBit after this long are submitted again. */
    unknownGraceMs: number;
    pageSize: number;
  };
  /** How long plumbing rows are kept, in days (0 = forever); see src/modules/retention. */
  retention: {
    outboxDays: number;
    foreignCallbackDays: number;
  };
}

export const APP_CONFIG = Symbol('APP_CONFIG');

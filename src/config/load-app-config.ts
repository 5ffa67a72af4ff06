import 'reflect-metadata';
import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { AppConfig } from './app-config';
import { EnvSchema } from './env.schema';

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n  ${problems.join('\n  ')}`);
    this.name = 'ConfigError';
  }
}

function parseMasterKey(raw: string): Buffer | null {
  if (/^[0-9a-fA-F]{64}$/.test(raw)) return Buffer.from(raw, 'hex');
  const b = Buffer.from(raw, 'base64');
  return b.length === 32 ? b : null;
}

/** Validates an environment (process.env by default) into an AppConfig, or throws ConfigError naming each bad variable. */
export function loadAppConfig(source: NodeJS.ProcessEnv = process.env): AppConfig {
  const raw: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(source)) if (v !== undefined && v !== '') raw[k] = v;
  const env = plainToInstance(EnvSchema, raw, { exposeDefaultValues: true });
  const errors = validateSync(env, { whitelist: false, forbidUnknownValues: false });
  const problems = errors.map((e) => {
    const why = Object.values(e.constraints ?? {}).join('; ');
    return `${e.property}: ${e.value === undefined ? 'is missing' : why}`;
  });
  const masterKey = env.MASTER_KEY ? parseMasterKey(env.MASTER_KEY) : null;
  if (env.MASTER_KEY && !masterKey)
    problems.push('MASTER_KEY: must be 32 bytes as 64 hex characters or base64');
  if (problems.length) throw new ConfigError(problems);

  return {
    env: env.NODE_ENV as AppConfig['env'],
    http: {
      port: env.PORT,
      host: env.HOST,
      bodyLimitBytes: env.BODY_LIMIT_BYTES,
      trustedProxies: env.TRUSTED_PROXIES.split(',')
        .map((s) => s.trim())
        .filter(Boolean),
    },
    logLevel: env.LOG_LEVEL,
    worker: { metricsPort: env.WORKER_METRICS_PORT ?? null },
    database: { url: env.DATABASE_URL, poolSize: env.DATABASE_POOL_SIZE },
    redis: { url: env.REDIS_URL, prefix: env.REDIS_PREFIX },
    admin: { token: env.ADMIN_TOKEN },
    masterKey: masterKey!,
    auth: {
      bcryptCost: env.BCRYPT_COST,
      cacheTtlMs: env.AUTH_CACHE_TTL_MS,
      failuresPerMinute: env.AUTH_FAILURES_PER_MINUTE,
    },
    trubit: {
      baseUrl: env.TRUBIT_BASE_URL,
      apiKey: env.TRUBIT_API_KEY,
      apiSecret: env.TRUBIT_API_SECRET,
      callbackPublicKey: env.TRUBIT_CALLBACK_PUBLIC_KEY,
      recvWindowMs: env.TRUBIT_RECV_WINDOW_MS,
      timeoutMs: env.TRUBIT_TIMEOUT_MS,
      country: env.TRUBIT_COUNTRY,
      breaker: {
        errorThresholdPercentage: env.TRUBIT_BREAKER_ERROR_PERCENT,
        resetTimeoutMs: env.TRUBIT_BREAKER_RESET_MS,
        volumeThreshold: env.TRUBIT_BREAKER_VOLUME,
        rollingCountTimeoutMs: env.TRUBIT_BREAKER_WINDOW_MS,
      },
      limiter: {
        weightPerMinute: env.TRUBIT_WEIGHT_PER_MINUTE,
        ordersPerSecond: env.TRUBIT_ORDERS_PER_SECOND,
        maxWaitMs: env.TRUBIT_LIMITER_MAX_WAIT_MS,
      },
    },
    webhooks: {
      allowInsecure: env.WEBHOOK_ALLOW_INSECURE,
      timeoutMs: env.WEBHOOK_TIMEOUT_MS,
      retryScheduleMs: env.WEBHOOK_RETRY_SCHEDULE_MS.split(',').map(Number),
    },
    trading: {
      quoteTtlSeconds: env.QUOTE_TTL_SECONDS,
      orderTtlMinutes: env.ORDER_TTL_MINUTES,
      kycThresholdMxn: env.KYC_THRESHOLD_MXN,
      exchangeRateCacheMs: env.EXCHANGE_RATE_CACHE_MS,
      fundingWatchIntervalMs: env.FUNDING_WATCH_INTERVAL_MS,
    },
    reconcile: {
      intervalMs: env.RECONCILE_INTERVAL_MS,
      unknownGraceMs: env.RECONCILE_UNKNOWN_GRACE_MS,
      pageSize: env.RECONCILE_PAGE_SIZE,
    },
    retention: {
      outboxDays: env.OUTBOX_RETENTION_DAYS,
      foreignCallbackDays: env.CALLBACK_FOREIGN_RETENTION_DAYS,
    },
  };
}

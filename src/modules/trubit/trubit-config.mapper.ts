import type { AppConfig } from '@app/config/app-config';
import type { TrubitClientOptions } from './trubit.options';

/** The gateway's typed config → the TruBit client's options (the client itself reads no configuration). */
export function trubitOptionsFromConfig(config: AppConfig, redisPrefix: string): TrubitClientOptions {
  const t = config.trubit;
  return {
    baseUrl: t.baseUrl,
    credentials: { apiKey: t.apiKey, apiSecret: t.apiSecret },
    recvWindowMs: t.recvWindowMs,
    requestTimeoutMs: t.timeoutMs,
    breaker: {
      timeoutMs: t.timeoutMs + 500,
      errorThresholdPercentage: t.breaker.errorThresholdPercentage,
      resetTimeoutMs: t.breaker.resetTimeoutMs,
      volumeThreshold: t.breaker.volumeThreshold,
      rollingCountTimeoutMs: t.breaker.rollingCountTimeoutMs,
    },
    limiter: {
      weightPerMinute: t.limiter.weightPerMinute,
      ordersPerSecond: t.limiter.ordersPerSecond,
      maxWaitMs: t.limiter.maxWaitMs,
      keyPrefix: `${redisPrefix}trubit:rl:`,
    },
    name: 'default',
  };
}

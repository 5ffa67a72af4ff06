import { Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { APP_CONFIG, AppConfig } from '@app/config/app-config';
import { ApiError } from '@app/common/errors/api.error';
import { RedisService } from '@app/infra/redis/redis.service';

// Delete the key only if we still own it: an expired lock taken over by another request stays theirs.
const RELEASE = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) else return 0 end`;
const POLL_MS = 50;

/**
 * Serialises KYC starts across every API instance (a Redis lock, so waiting requests hold no database
 * connection while another one talks to TruBit). Used so "count this month's KYC starts, open a merchant,
 * record it" cannot overshoot the partner's monthly allowance, and so one user never gets two merchants.
 */
@Injectable()
export class KycStartLock {
  constructor(
    private readonly redis: RedisService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async run<T>(scope: string, fn: () => Promise<T>): Promise<T> {
    const key = this.redis.key('lock', 'kyc-start', scope);
    const token = randomUUID();
    // Long enough for the mc/add call plus an mc/list lookup; the wait is bounded by the same budget.
    const ttlMs = this.config.trubit.timeoutMs * 2 + 5000;
    const deadline = Date.now() + ttlMs;
    while ((await this.redis.client.set(key, token, 'PX', ttlMs, 'NX')) !== 'OK') {
      if (Date.now() > deadline) {
        throw new ApiError(
          'UPSTREAM_UNAVAILABLE',
          'Another KYC request is in progress; retry shortly',
          undefined,
          {
            'Retry-After': 1,
          },
        );
      }
      await new Promise((r) => setTimeout(r, POLL_MS));
    }
    try {
      return await fn();
    } finally {
      await this.redis.client.eval(RELEASE, 1, key, token).catch(() => undefined);
    }
  }
}

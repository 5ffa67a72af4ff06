import { Inject, Injectable, Logger, OnModuleInit } from '@nestjs/common';
import bcrypt from 'bcrypt';
import { APP_CONFIG, AppConfig } from '@app/config/app-config';
import { ApiError } from '@app/common/errors/api.error';
import { PartnerStatus } from '@app/generated/prisma/enums';
import { RedisService } from '@app/infra/redis/redis.service';
import { Clock } from '@app/infra/clock/clock';
import { API_KEY_PATTERN, digestApiKey, lookupIdFromDigest } from '../keys/api-key.codec';
import { resolveLimits } from '../limits/tier-limits';
import { RedisRateLimiter } from '../limits/redis-rate.limiter';
import { PartnersRepository } from '../partners.repository';
import { IpAllowlist } from './ip-allowlist';
import { PartnerContext } from './partner-context';

interface VerifiedKey {
  context: PartnerContext;
  status: PartnerStatus;
  allowlist: IpAllowlist;
  keyExpiresAt: number | null;
  cachedUntil: number;
}

export const AUTH_INVALIDATION_CHANNEL = 'auth:invalidate';

/**
 * Turns an `X-API-Key` into a PartnerContext without paying bcrypt per request: keys are found by a
 * non-secret identifier, bcrypt runs once per key per instance (single-flight), and the verified result is
 * cached in memory until a key rotation, suspension or partner change is announced over Redis pub/sub.
 * Failed verifications are never cached as success and are rate limited per client IP.
 */
@Injectable()
export class PartnerAuthService implements OnModuleInit {
  private readonly logger = new Logger('PartnerAuth');
  private readonly verified = new Map<string, VerifiedKey>();
  private readonly inFlight = new Map<string, Promise<VerifiedKey>>();

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly partners: PartnersRepository,
    private readonly redis: RedisService,
    private readonly limiter: RedisRateLimiter,
    private readonly clock: Clock,
  ) {}

  onModuleInit(): void {
    // Not awaited: an instance must start (and report not-ready) even while Redis is down; the subscription
    // is queued and made once Redis answers.
    this.redis
      .subscribe(AUTH_INVALIDATION_CHANNEL, (partnerId) => this.forgetPartner(partnerId))
      .catch((err: Error) => this.logger.error(`auth invalidation subscription failed: ${err.message}`));
    this.redis.onReconnect(() => this.verified.clear());
  }

  /** Tells every instance (this one included, synchronously) to drop what it trusts about a partner. */
  async invalidatePartner(partnerId: string): Promise<void> {
    this.forgetPartner(partnerId);
    await this.redis.publish(AUTH_INVALIDATION_CHANNEL, partnerId);
  }

  forgetPartner(partnerId: string): void {
    for (const [digest, entry] of this.verified)
      if (entry.context.id === partnerId) this.verified.delete(digest);
  }

  async authenticate(rawKey: string | undefined, clientIp: string): Promise<PartnerContext> {
    if (!rawKey) throw new ApiError('MISSING_API_KEY', 'Missing X-API-Key header');
    const now = this.clock.nowMs();
    if (!API_KEY_PATTERN.test(rawKey)) return this.reject(clientIp, now);

    const digest = digestApiKey(rawKey);
    let entry = this.verified.get(digest);
    if (entry && entry.cachedUntil <= now) {
      this.verified.delete(digest);
      entry = undefined;
    }
    if (!entry) entry = await this.verifyOnce(digest, rawKey, clientIp, now);

    if (entry.keyExpiresAt !== null && entry.keyExpiresAt <= now) {
      this.verified.delete(digest);
      throw new ApiError('INVALID_API_KEY', 'API key is invalid, revoked or expired');
    }
    if (!entry.allowlist.allows(clientIp))
      throw new ApiError('IP_NOT_ALLOWED', `IP ${clientIp} is not in the partner's allowlist`);
    if (entry.status === 'SUSPENDED') throw new ApiError('PARTNER_SUSPENDED', 'Partner account is suspended');
    if (entry.status === 'INACTIVE') throw new ApiError('PARTNER_INACTIVE', 'Partner account is not active');
    return entry.context;
  }

  /** N concurrent requests with the same uncached key cost one database read and one bcrypt compare. */
  private verifyOnce(digest: string, rawKey: string, clientIp: string, now: number): Promise<VerifiedKey> {
    let pending = this.inFlight.get(digest);
    if (!pending) {
      pending = this.verify(digest, rawKey, clientIp, now).finally(() => this.inFlight.delete(digest));
      this.inFlight.set(digest, pending);
    }
    return pending;
  }

  private async verify(digest: string, rawKey: string, clientIp: string, now: number): Promise<VerifiedKey> {
    const failures = await this.limiter.peek(`authfail:${clientIp}`, this.config.auth.failuresPerMinute, now);
    if (!failures.allowed) throw this.tooManyFailures(failures.retryAfterSeconds);

    const row = await this.partners.findKeyForAuth(lookupIdFromDigest(digest));
    const usable =
      row && row.keyStatus === 'ACTIVE' && (row.expiresAt === null || row.expiresAt.getTime() > now);
    if (!row || !usable) return this.reject(clientIp, now);

    const allowlist = IpAllowlist.compile(row.partner.ipWhitelist);
    // The allowlist is checked before bcrypt so requests from foreign addresses cannot buy bcrypt time.
    if (!allowlist.allows(clientIp))
      throw new ApiError('IP_NOT_ALLOWED', `IP ${clientIp} is not in the partner's allowlist`);
    if (!(await bcrypt.compare(rawKey, row.keyHash))) return this.reject(clientIp, now);

    const entry: VerifiedKey = {
      context: {
        id: row.partner.id,
        name: row.partner.name,
        tier: row.partner.tier,
        kycModel: row.partner.kycModel,
        limits: resolveLimits(row.partner.tier, row.partner.limits),
        keyId: row.keyId,
      },
      status: row.partner.status,
      allowlist,
      keyExpiresAt: row.expiresAt ? row.expiresAt.getTime() : null,
      cachedUntil: now + this.config.auth.cacheTtlMs,
    };
    this.verified.set(digest, entry);
    return entry;
  }

  private async reject(clientIp: string, now: number): Promise<never> {
    const failures = await this.limiter.consume(
      `authfail:${clientIp}`,
      this.config.auth.failuresPerMinute,
      now,
    );
    if (!failures.allowed) throw this.tooManyFailures(failures.retryAfterSeconds);
    throw new ApiError('INVALID_API_KEY', 'API key is invalid, revoked or expired');
  }

  private tooManyFailures(retryAfter: number): ApiError {
    this.logger.warn('too many failed API key attempts from one address');
    return new ApiError('RATE_LIMITED', 'Too many invalid API key attempts; slow down', undefined, {
      'Retry-After': retryAfter,
    });
  }
}

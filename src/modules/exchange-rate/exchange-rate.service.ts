import { Inject, Injectable, Logger } from '@nestjs/common';
import Decimal from 'decimal.js';
import { APP_CONFIG, AppConfig } from '@app/config/app-config';
import { ApiError } from '@app/common/errors/api.error';
import { Clock } from '@app/infra/clock/clock';
import { RedisService } from '@app/infra/redis/redis.service';
import type { TrubitApi } from '@app/modules/trubit/trubit-api.interface';
import { TRUBIT_API } from '@app/modules/trubit/trubit.constants';
import { FIAT, isSupportedToken, SUPPORTED_TOKENS } from './supported-tokens';
import { upstreamReadError } from './upstream-error.mapper';

/** One TruBit quote as we keep it: the decimal text exactly as TruBit sent it. */
export interface RateSnapshot {
  token: string;
  sellRate: string;
  open: boolean;
  fetchedAtMs: number;
}

export interface SellRate {
  token: string;
  rate: Decimal;
  fetchedAt: Date;
}

/** How long partners are told to wait when TruBit has quoting closed (hasOpen = 0). */
const CLOSED_RETRY_AFTER_S = 30;

/**
 * TruBit's sellRate per token (operator account: the rate is the market's, not the partner's). Cached for
 * `exchangeRateCacheMs` in process and in Redis (so replicas share it), and fetched single-flight: however
 * many partners ask at once, one instance makes at most one upstream call per token at a time.
 */
@Injectable()
export class ExchangeRateService {
  private readonly logger = new Logger('ExchangeRate');
  private readonly cache = new Map<string, { snap: RateSnapshot; untilMs: number }>();
  private readonly inflight = new Map<string, Promise<RateSnapshot>>();

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(TRUBIT_API) private readonly trubit: TrubitApi,
    private readonly redis: RedisService,
    private readonly clock: Clock,
  ) {}

  /** The rate a SELL of `token` gets now, or UNSUPPORTED_TOKEN / UPSTREAM_UNAVAILABLE / UPSTREAM_REJECTED. */
  async sellRate(token: string): Promise<SellRate> {
    if (!isSupportedToken(token)) {
      throw new ApiError('UNSUPPORTED_TOKEN', `Token '${token}' is not supported`, {
        supported: SUPPORTED_TOKENS,
      });
    }
    const snap = await this.snapshot(token);
    if (!snap.open) {
      throw new ApiError('UPSTREAM_UNAVAILABLE', 'TruBit is not quoting right now', undefined, {
        'Retry-After': CLOSED_RETRY_AFTER_S,
      });
    }
    return { token, rate: new Decimal(snap.sellRate), fetchedAt: new Date(snap.fetchedAtMs) };
  }

  private snapshot(token: string): Promise<RateSnapshot> {
    const hit = this.cache.get(token);
    if (hit && hit.untilMs > this.clock.nowMs()) return Promise.resolve(hit.snap);
    let pending = this.inflight.get(token);
    if (!pending) {
      pending = this.load(token).finally(() => this.inflight.delete(token));
      this.inflight.set(token, pending);
    }
    return pending;
  }

  private async load(token: string): Promise<RateSnapshot> {
    const ttlMs = this.config.trading.exchangeRateCacheMs;
    const shared = ttlMs > 0 ? await this.readShared(token) : null;
    if (shared) {
      this.remember(shared, Math.min(shared.fetchedAtMs + ttlMs, this.clock.nowMs() + ttlMs));
      return shared;
    }
    let res;
    try {
      res = await this.trubit.getUserQuote({
        country: this.config.trubit.country,
        fiatCurrency: FIAT,
        cryptoCurrency: token,
      });
    } catch (err) {
      throw upstreamReadError(err, this.config.trubit.breaker.resetTimeoutMs);
    }
    const sellRate = String(res?.sellRate ?? '');
    if (!/^\d+(\.\d+)?$/.test(sellRate) || new Decimal(sellRate).lte(0)) {
      this.logger.warn(`unusable sellRate from TruBit for ${token}: ${sellRate}`);
      throw new ApiError('UPSTREAM_UNAVAILABLE', 'TruBit sent no usable rate; retry later', undefined, {
        'Retry-After': 1,
      });
    }
    const snap: RateSnapshot = {
      token,
      sellRate,
      open: Number(res.hasOpen) === 1,
      fetchedAtMs: this.clock.nowMs(),
    };
    if (ttlMs > 0) {
      this.remember(snap, snap.fetchedAtMs + ttlMs);
      await this.writeShared(snap, ttlMs);
    }
    return snap;
  }

  private remember(snap: RateSnapshot, untilMs: number): void {
    this.cache.set(snap.token, { snap, untilMs });
  }

  // Redis is only an optimisation here: when it fails we ask TruBit.
  private async readShared(token: string): Promise<RateSnapshot | null> {
    try {
      const raw = await this.redis.client.get(this.redis.key('fx', token, FIAT));
      const snap = raw ? (JSON.parse(raw) as RateSnapshot) : null;
      return snap && snap.token === token && typeof snap.sellRate === 'string' ? snap : null;
    } catch {
      return null;
    }
  }

  private async writeShared(snap: RateSnapshot, ttlMs: number): Promise<void> {
    try {
      await this.redis.client.set(this.redis.key('fx', snap.token, FIAT), JSON.stringify(snap), 'PX', ttlMs);
    } catch {
      /* see readShared */
    }
  }
}

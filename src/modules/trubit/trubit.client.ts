import CircuitBreaker from 'opossum';
import { Pool } from 'undici';
import type { Redis } from 'ioredis';
import type { TrubitApi, TrubitBreakerState, TrubitUpstreamInspector } from './trubit-api.interface';
import { floor2, floor4 } from './trubit-amount.util';
import { TRUBIT_ENDPOINTS, TRUBIT_OTC_BASE_PATH, type TrubitEndpoint } from './trubit.endpoints';
import {
  isNonBreakerError,
  TrubitError,
  TrubitRateLimitError,
  TrubitUnavailableError,
  TrubitUnknownOutcomeError,
} from './trubit.errors';
import { jsonInteger, stringifyTrubitJson } from './trubit-json';
import {
  TRUBIT_BREAKER_STATE_VALUE,
  type TrubitCallOutcome,
  type TrubitMetrics,
  trubitMetrics,
} from './trubit.metrics';
import { InMemoryTrubitRateLimiter } from './trubit-memory-rate.limiter';
import {
  resolveTrubitOptions,
  type ResolvedTrubitClientOptions,
  type TrubitClientOptions,
  type TrubitCredentials,
} from './trubit.options';
import { RedisTrubitRateLimiter } from './trubit-rate.limiter';
import type { TrubitBudget, TrubitRateLimiter } from './trubit-rate-limiter.base';
import {
  classifyTransportError,
  interpretTrubitResponse,
  TrubitRequestTimeout,
} from './trubit-response.classifier';
import { buildQueryString, signRequest, type TrubitQueryParams } from './trubit.signer';
import type {
  TrubitAccountResponse,
  TrubitAddMerchantRequest,
  TrubitAddMerchantResponse,
  TrubitAddOrderRequest,
  TrubitAddOrderResponse,
  TrubitAddPaymentRequest,
  TrubitAddPaymentResponse,
  TrubitDepositAddressRequest,
  TrubitDepositAddressResponse,
  TrubitFinishOrderRequest,
  TrubitFinishOrderResponse,
  TrubitGetOrderRequest,
  TrubitListCountriesRequest,
  TrubitListCountriesResponse,
  TrubitListMerchantsResponse,
  TrubitListOrdersRequest,
  TrubitListOrdersResponse,
  TrubitListPaymentConfigsRequest,
  TrubitListPaymentConfigsResponse,
  TrubitListSymbolsRequest,
  TrubitListSymbolsResponse,
  TrubitOrderDetail,
  TrubitUserQuoteRequest,
  TrubitUserQuoteResponse,
} from './trubit.types';

interface CallContext {
  ep: TrubitEndpoint;
  params?: TrubitQueryParams;
  /** Serialized once; signed and sent as is. */
  body?: string;
  credentials: TrubitCredentials;
  controller: AbortController;
  /** The HTTP attempt started (for latency metrics). */
  attempted: boolean;
}

export interface TrubitClientDeps {
  /** Replaces the limiter built from `redis` (tests, or a shared instance). */
  limiter?: TrubitRateLimiter;
}

/** Drops undefined members so optional fields never reach the wire as `null`. */
function compact<T extends object>(obj: T): T {
  return Object.fromEntries(Object.entries(obj).filter(([, v]) => v !== undefined)) as T;
}

function requireOrderId(orderId: unknown): string {
  const id =
    typeof orderId === 'string' ? orderId.trim() : typeof orderId === 'bigint' ? orderId.toString() : '';
  if (!/^\d+$/.test(id)) throw new RangeError(`orderId must be a decimal string, got ${String(orderId)}`);
  return id;
}

/**
 * The TruBit OTC client: signed requests over a keep-alive undici pool, typed errors, an opossum circuit
 * breaker, and the shared outbound rate limiter. No retries inside: callers decide with isRetryable() /
 * isUnknownOutcome().
 *
 * Order of checks per call: breaker open → fail fast (nothing booked, nothing sent); limiter (may wait,
 * bounded); then sign with a fresh timestamp and send through the breaker.
 */
export class TrubitClient implements TrubitApi, TrubitUpstreamInspector {
  private readonly opts: ResolvedTrubitClientOptions;
  private readonly pool: Pool;
  private readonly pathPrefix: string;
  private readonly breaker: CircuitBreaker<[CallContext], unknown>;
  private readonly limiter: TrubitRateLimiter;
  private readonly metrics: TrubitMetrics;
  private closed = false;

  constructor(options: TrubitClientOptions, redis: Redis | null, deps: TrubitClientDeps = {}) {
    this.opts = resolveTrubitOptions(options);
    const url = new URL(this.opts.baseUrl);
    this.pathPrefix = url.pathname.replace(/\/+$/, '');
    this.pool = new Pool(url.origin, {
      connections: this.opts.pool.connections,
      keepAliveTimeout: this.opts.pool.keepAliveTimeoutMs,
      connect: { timeout: this.opts.pool.connectTimeoutMs },
      pipelining: 1,
    });
    this.limiter =
      deps.limiter ??
      (redis
        ? new RedisTrubitRateLimiter(redis, this.opts.limiter, this.opts.now)
        : new InMemoryTrubitRateLimiter(this.opts.limiter, this.opts.now));
    this.metrics = trubitMetrics(this.opts.metricsRegistry);

    const b = this.opts.breaker;
    this.breaker = new CircuitBreaker((ctx: CallContext) => this.send(ctx), {
      name: `trubit:${this.opts.name}`,
      timeout: b.timeoutMs,
      errorThresholdPercentage: b.errorThresholdPercentage,
      resetTimeout: b.resetTimeoutMs,
      volumeThreshold: b.volumeThreshold,
      rollingCountTimeout: b.rollingCountTimeoutMs,
      rollingCountBuckets: b.rollingCountBuckets,
      // TruBit answered (4xx business/auth/rate limit): it is healthy, so these never open the breaker.
      errorFilter: (err: unknown) => isNonBreakerError(err),
    });
    const gauge = this.metrics.breakerState.labels({ client: this.opts.name });
    gauge.set(TRUBIT_BREAKER_STATE_VALUE.CLOSED);
    this.breaker.on('open', () => gauge.set(TRUBIT_BREAKER_STATE_VALUE.OPEN));
    this.breaker.on('halfOpen', () => gauge.set(TRUBIT_BREAKER_STATE_VALUE.HALF_OPEN));
    this.breaker.on('close', () => gauge.set(TRUBIT_BREAKER_STATE_VALUE.CLOSED));
  }

  // ---- endpoints ---------------------------------------------------------------------------------------

  async listCountries(
    req: TrubitListCountriesRequest = {},
    credentials?: TrubitCredentials,
  ): Promise<TrubitListCountriesResponse> {
    return this.call(TRUBIT_ENDPOINTS.listCountries, credentials, { params: { hasValid: req.hasValid } });
  }

  async listSymbols(
    req: TrubitListSymbolsRequest = {},
    credentials?: TrubitCredentials,
  ): Promise<TrubitListSymbolsResponse> {
    return this.call(TRUBIT_ENDPOINTS.listSymbols, credentials, {
      params: { country: req.country, hasValid: req.hasValid },
    });
  }

  async getUserQuote(
    req: TrubitUserQuoteRequest,
    credentials?: TrubitCredentials,
  ): Promise<TrubitUserQuoteResponse> {
    const body = { country: req.country, fiatCurrency: req.fiatCurrency, cryptoCurrency: req.cryptoCurrency };
    return this.call(TRUBIT_ENDPOINTS.getUserQuote, credentials, { body });
  }

  async listPaymentConfigs(
    req: TrubitListPaymentConfigsRequest = {},
    credentials?: TrubitCredentials,
  ): Promise<TrubitListPaymentConfigsResponse> {
    return this.call(TRUBIT_ENDPOINTS.listPaymentConfigs, credentials, { params: { country: req.country } });
  }

  async addPayment(
    req: TrubitAddPaymentRequest,
    credentials?: TrubitCredentials,
  ): Promise<TrubitAddPaymentResponse> {
    const body = compact({
      mcId: req.mcId,
      country: req.country,
      fiatCurrency: req.fiatCurrency,
      paymentConfigId: req.paymentConfigId,
      paymentLogo: req.paymentLogo,
      paymentMethodName: req.paymentMethodName,
      realName: req.realName,
      fieldJson: req.fieldJson.map((f) => compact({ ...f })),
      remark: req.remark,
    });
    return this.call(TRUBIT_ENDPOINTS.addPayment, credentials, { body });
  }

  async listMerchants(credentials?: TrubitCredentials): Promise<TrubitListMerchantsResponse> {
    return this.call(TRUBIT_ENDPOINTS.listMerchants, credentials, {});
  }

  async addMerchant(
    req: TrubitAddMerchantRequest,
    credentials?: TrubitCredentials,
  ): Promise<TrubitAddMerchantResponse> {
    return this.call(TRUBIT_ENDPOINTS.addMerchant, credentials, { body: compact({ ...req }) });
  }

  async listOrders(
    req: TrubitListOrdersRequest = {},
    credentials?: TrubitCredentials,
  ): Promise<TrubitListOrdersResponse> {
    const params = { currentPage: req.currentPage, pageSize: req.pageSize, isPending: req.isPending };
    return this.call(TRUBIT_ENDPOINTS.listOrders, credentials, { params });
  }

  async getOrder(req: TrubitGetOrderRequest, credentials?: TrubitCredentials): Promise<TrubitOrderDetail> {
    return this.call(TRUBIT_ENDPOINTS.getOrder, credentials, {
      params: { orderId: requireOrderId(req.orderId) },
    });
  }

  async addOrder(
    req: TrubitAddOrderRequest,
    credentials?: TrubitCredentials,
  ): Promise<TrubitAddOrderResponse> {
    if (req.quantity === undefined && req.orderAmount === undefined) {
      throw new RangeError('addOrder needs quantity (crypto) or orderAmount (fiat)');
    }
    // Key order follows TruBit's documented example; amounts are truncated the way TruBit would.
    const body = compact({
      country: req.country,
      mcId: req.mcId,
      cryptoCurrency: req.cryptoCurrency,
      fiatCurrency: req.fiatCurrency,
      quantity: req.quantity === undefined ? undefined : floor4(req.quantity),
      orderAmount: req.orderAmount === undefined ? undefined : floor2(req.orderAmount),
      orderType: req.orderType,
      paymentId: req.paymentId,
    });
    const res = await this.call<TrubitAddOrderResponse>(TRUBIT_ENDPOINTS.addOrder, credentials, { body });
    if (!res || typeof res.orderId !== 'string' || !/^\d+$/.test(res.orderId)) {
      // TruBit said 2xx but we cannot tell which order it made: same as a lost response.
      throw new TrubitUnknownOutcomeError({
        endpoint: TRUBIT_ENDPOINTS.addOrder.name,
        reason: 'bad_response',
        httpStatus: 200,
        msg: 'success response without an orderId',
      });
    }
    return { orderId: res.orderId };
  }

  async finishOrder(
    req: TrubitFinishOrderRequest,
    credentials?: TrubitCredentials,
  ): Promise<TrubitFinishOrderResponse> {
    // TruBit documents orderId as a bare JSON number here: write the exact digits, no float round-trip.
    const body = { orderId: jsonInteger(requireOrderId(req.orderId)) };
    return this.call(TRUBIT_ENDPOINTS.finishOrder, credentials, { body });
  }

  async getDepositAddress(
    req: TrubitDepositAddressRequest,
    credentials?: TrubitCredentials,
  ): Promise<TrubitDepositAddressResponse> {
    return this.call(TRUBIT_ENDPOINTS.getDepositAddress, credentials, {
      params: { tokenId: req.tokenId, chainType: req.chainType },
    });
  }

  async getAccount(credentials?: TrubitCredentials): Promise<TrubitAccountResponse> {
    return this.call(TRUBIT_ENDPOINTS.getAccount, credentials, {});
  }

  // ---- inspection / lifecycle --------------------------------------------------------------------------

  getBreakerState(): TrubitBreakerState {
    const state = this.breaker.opened ? 'OPEN' : this.breaker.halfOpen ? 'HALF_OPEN' : 'CLOSED';
    // Counters and latency summary only: opossum's raw latencyTimes array can be long.
    const { latencyTimes: _omit, ...stats } = this.breaker.stats as unknown as Record<string, unknown>;
    return { state, stats };
  }

  getBudget(credentials?: TrubitCredentials): Promise<TrubitBudget> {
    return this.limiter.getBudget((credentials ?? this.opts.credentials).apiKey);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.breaker.shutdown();
    await this.pool.close();
  }

  /** NestJS calls this on shutdown when the client is a provider. */
  async onModuleDestroy(): Promise<void> {
    await this.close();
  }

  // ---- internals ---------------------------------------------------------------------------------------

  private async call<T>(
    ep: TrubitEndpoint,
    credentials: TrubitCredentials | undefined,
    input: { params?: TrubitQueryParams; body?: unknown },
  ): Promise<T> {
    const creds = credentials ?? this.opts.credentials;
    if (!creds.apiKey || !creds.apiSecret)
      throw new RangeError('TruBit credentials need apiKey and apiSecret');
    // Same test opossum applies (OPEN, or HALF_OPEN with its one trial call already out), but before the
    // limiter, so a call that cannot be sent neither waits nor spends budget.
    if (this.closed || (!this.breaker.closed && !this.breaker.pendingClose)) {
      const err = new TrubitUnavailableError({
        endpoint: ep.name,
        reason: this.closed ? 'client_closed' : 'breaker_open',
      });
      this.count(ep, 'unavailable');
      throw err;
    }
    const body = input.body === undefined ? undefined : stringifyTrubitJson(input.body);
    try {
      await this.limiter.acquire({
        apiKey: creds.apiKey,
        weight: ep.weight,
        isOrder: ep.order,
        endpoint: ep.name,
      });
    } catch (err) {
      this.count(ep, err instanceof TrubitRateLimitError ? 'limiter_rejected' : 'unavailable');
      throw err;
    }

    const ctx: CallContext = {
      ep,
      params: input.params,
      body,
      credentials: creds,
      controller: new AbortController(),
      attempted: false,
    };
    const started = performance.now();
    try {
      const result = await this.breaker.fire(ctx);
      this.observe(ep, 'success', started);
      return result as T;
    } catch (raw) {
      const err = this.toTrubitError(ep, raw, ctx);
      if (err instanceof TrubitRateLimitError && err.source === 'upstream') {
        // Every instance pauses this key, not just us: TruBit escalates 429s into IP bans.
        await this.limiter.recordBackoff(creds.apiKey, err.retryAfterMs).catch(() => undefined);
      }
      if (ctx.attempted) this.observe(ep, outcomeOf(err), started);
      else this.count(ep, outcomeOf(err));
      throw err;
    }
  }

  private toTrubitError(ep: TrubitEndpoint, raw: unknown, ctx: CallContext): TrubitError {
    if (raw instanceof TrubitError) return raw;
    const code = (raw as { code?: unknown } | null)?.code;
    if (raw instanceof Error && CircuitBreaker.isOurError(raw)) {
      if (code === 'ETIMEDOUT') {
        // opossum gave up first: stop the request so the socket is not left hanging.
        ctx.controller.abort(new TrubitRequestTimeout(this.opts.breaker.timeoutMs));
        return ctx.attempted
          ? classifyTransportError(ep, raw)
          : new TrubitUnavailableError({ endpoint: ep.name, reason: 'breaker_timeout_before_send' });
      }
      return new TrubitUnavailableError({
        endpoint: ep.name,
        reason: code === 'EOPENBREAKER' ? 'breaker_open' : String(code),
      });
    }
    return classifyTransportError(ep, raw);
  }

  private async send(ctx: CallContext): Promise<unknown> {
    const { ep, credentials } = ctx;
    const query = ep.signed
      ? signRequest({
          params: ctx.params,
          body: ctx.body ?? '',
          secret: credentials.apiSecret,
          timestamp: Math.floor(this.opts.now()),
          recvWindow: this.opts.recvWindowMs,
        }).query
      : buildQueryString(ctx.params);
    const path = `${this.pathPrefix}${TRUBIT_OTC_BASE_PATH}${ep.path}${query ? `?${query}` : ''}`;
    const headers: Record<string, string> = { 'X-BH-APIKEY': credentials.apiKey, accept: 'application/json' };
    if (ctx.body !== undefined) headers['content-type'] = 'application/json';

    const timeoutMs = this.opts.requestTimeoutMs;
    const timer = setTimeout(() => ctx.controller.abort(new TrubitRequestTimeout(timeoutMs)), timeoutMs);
    ctx.attempted = true;
    try {
      const res = await this.pool.request({
        method: ep.method,
        path,
        headers,
        body: ctx.body,
        signal: ctx.controller.signal,
        headersTimeout: timeoutMs,
        bodyTimeout: timeoutMs,
      });
      const text = await res.body.text();
      return interpretTrubitResponse(
        ep,
        { statusCode: res.statusCode, headers: res.headers, text },
        this.opts.now(),
        this.opts.limiter,
      );
    } catch (err) {
      throw classifyTransportError(ep, err);
    } finally {
      clearTimeout(timer);
    }
  }

  private count(ep: TrubitEndpoint, outcome: TrubitCallOutcome): void {
    this.metrics.requests.inc({ client: this.opts.name, endpoint: ep.name, outcome });
  }

  private observe(ep: TrubitEndpoint, outcome: TrubitCallOutcome, startedAt: number): void {
    this.count(ep, outcome);
    this.metrics.latency.observe(
      { client: this.opts.name, endpoint: ep.name, outcome },
      (performance.now() - startedAt) / 1000,
    );
  }
}

function outcomeOf(err: TrubitError): TrubitCallOutcome {
  switch (err.kind) {
    case 'business':
      return 'business_error';
    case 'auth':
      return 'auth_error';
    case 'rate_limit':
      return err instanceof TrubitRateLimitError && err.source === 'limiter'
        ? 'limiter_rejected'
        : 'rate_limited';
    case 'unavailable':
      return 'unavailable';
    case 'unknown_outcome':
      return 'unknown_outcome';
    case 'upstream':
      return 'upstream_error';
  }
}

/** NestJS-free construction (scripts, workers, tests). */
export function createTrubitClient(
  options: TrubitClientOptions,
  redis: Redis | null,
  deps?: TrubitClientDeps,
): TrubitClient {
  return new TrubitClient(options, redis, deps);
}

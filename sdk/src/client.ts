import { randomUUID } from 'node:crypto';
import {
  codeForStatus,
  isPartnerErrorCode,
  PartnerApiError,
  PartnerConnectionError,
  PartnerError,
  PartnerTimeoutError,
  type RateLimitInfo,
} from './errors';
import {
  backoffDelayMs,
  buildQuery,
  defaultSleep,
  isPlainJsonObject,
  parseRateLimit,
  parseRetryAfter,
  type QueryValue,
} from './http-util';
import type {
  Balances,
  CreatedOrder,
  CreatedUser,
  CreateOrderRequest,
  CreateQuoteRequest,
  CreateUserRequest,
  DepositAddress,
  ExchangeRate,
  HealthResponse,
  KycSession,
  ListOrdersParams,
  ListUsersParams,
  ListWebhooksParams,
  Order,
  OrderDetail,
  OrderList,
  Quote,
  RecoverWebhooksRequest,
  RecoverWebhooksResult,
  RotatedWebhookSecret,
  StartKycRequest,
  User,
  UserList,
  WebhookDelivery,
  WebhookDeliveryList,
  WebhookEndpoint,
} from './types';
import { SDK_VERSION } from './version';

type FetchLike = (input: string, init: RequestInit) => Promise<Response>;

export interface PartnerClientOptions {
  /** `mp2p_` + 64 hex, sent as `X-API-Key`. */
  apiKey: string;
  /** Including the version prefix, e.g. `https://gateway.example.com/api/v1`. */
  baseUrl: string;
  /** Defaults to the global `fetch` (Node ≥ 18). */
  fetch?: FetchLike;
  /** Retries after the first attempt (429/503 always; network errors only when idempotent). Default 3. */
  maxRetries?: number;
  /** Per attempt, including reading the body. Default 30 000 ms. */
  timeoutMs?: number;
  userAgent?: string;
  /** Longest `Retry-After` honoured before retrying; longer values are capped to it. Default 30 s. */
  maxRetryAfterSeconds?: number;
  /** First backoff step when the server sent no `Retry-After`. Default 500 ms (then ×2, jittered). */
  retryBaseDelayMs?: number;
  /** Ceiling of the jittered backoff. Default 8 000 ms. */
  retryMaxDelayMs?: number;
  /** Called before each retry's wait (logging, metrics). */
  onRetry?: (info: RetryInfo) => void;
  /** How to wait between attempts; replace it in tests to avoid real delays. */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

export interface RequestOptions {
  /** Aborts the call, including any wait between retries (rethrows the signal's reason). */
  signal?: AbortSignal;
  /** Overrides the client's per-attempt timeout. */
  timeoutMs?: number;
}

export interface CreateOrderOptions extends RequestOptions {
  /**
   * `Idempotency-Key` (≤ 255 chars). Defaults to a fresh UUID per `createOrder` call, reused by every
   * retry of that call; pass your own (e.g. your withdrawal id) to make retries across calls and process
   * restarts safe too.
   */
  idempotencyKey?: string;
}

export type RetryReason = 'rate_limited' | 'unavailable' | 'idempotency_in_progress' | 'network' | 'timeout';

export interface RetryInfo {
  method: string;
  path: string;
  /** 1 for the first retry. */
  retry: number;
  reason: RetryReason;
  /** How long the client waits before the retry. */
  delayMs: number;
  /** HTTP status of the failed attempt (absent for network errors and timeouts). */
  status?: number;
  /** The `Retry-After` the failed attempt carried, in seconds, before capping. */
  retryAfterSeconds?: number;
  idempotencyKey?: string;
  error: PartnerError;
}

/** What the last completed HTTP exchange said besides its body. */
export interface ResponseMeta {
  method: string;
  path: string;
  status: number;
  requestId: string | undefined;
  rateLimit: RateLimitInfo | undefined;
  idempotencyKey: string | undefined;
  /** `Idempotent-Replayed: true`: the gateway returned the response stored for this key. */
  idempotentReplayed: boolean;
  /** Attempts made for this call (1 = no retry). */
  attempts: number;
}

export interface RawRequest {
  query?: Record<string, QueryValue>;
  body?: unknown;
  idempotencyKey?: string;
  options?: RequestOptions;
}

const IDEMPOTENT_METHODS = new Set(['GET', 'HEAD', 'PUT', 'DELETE', 'OPTIONS']);

const seg = (value: string, name: string): string => {
  if (typeof value !== 'string' || value === '') throw new TypeError(`${name} must be a non-empty string`);
  return encodeURIComponent(value);
};

const iso = (v: string | Date | undefined): string | undefined => (v instanceof Date ? v.toISOString() : v);

/**
 * Client of the Partner API (`/api/v1`). One instance per API key; safe to share across concurrent calls
 * (`lastRateLimit`/`lastResponse` then describe whichever call finished last).
 */
export class PartnerClient {
  /** Rate-limit headers of the most recent response that carried them. */
  lastRateLimit: RateLimitInfo | undefined;
  /** Status, request id, rate limit and idempotency facts of the most recent response. */
  lastResponse: ResponseMeta | undefined;

  private readonly apiKey: string;
  private readonly baseUrl: string;
  private readonly fetchFn: FetchLike;
  private readonly maxRetries: number;
  private readonly timeoutMs: number;
  private readonly userAgent: string;
  private readonly maxRetryAfterSeconds: number;
  private readonly retryBaseDelayMs: number;
  private readonly retryMaxDelayMs: number;
  private readonly onRetry: ((info: RetryInfo) => void) | undefined;
  private readonly sleep: (ms: number, signal?: AbortSignal) => Promise<void>;

  constructor(options: PartnerClientOptions) {
    if (!options || typeof options.apiKey !== 'string' || options.apiKey.trim() === '') {
      throw new TypeError('PartnerClient: apiKey is required');
    }
    if (/[\r\n]/.test(options.apiKey)) throw new TypeError('PartnerClient: apiKey contains a line break');
    if (typeof options.baseUrl !== 'string') throw new TypeError('PartnerClient: baseUrl is required');
    const url = new URL(options.baseUrl); // throws on a malformed URL
    if (url.protocol !== 'https:' && url.protocol !== 'http:') {
      throw new TypeError(`PartnerClient: baseUrl must be http(s), got ${url.protocol}`);
    }
    const fetchFn: FetchLike | undefined = options.fetch ?? globalThis.fetch;
    if (!fetchFn) throw new TypeError('PartnerClient: no global fetch; pass options.fetch');
    const nonNegative = (v: number | undefined, name: string, dflt: number): number => {
      if (v === undefined) return dflt;
      if (!Number.isFinite(v) || v < 0) throw new TypeError(`PartnerClient: ${name} must be ≥ 0`);
      return v;
    };

    this.apiKey = options.apiKey;
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
    // Called unbound: some fetch implementations throw when invoked as a method of another object.
    this.fetchFn = (input, init) => fetchFn(input, init);
    this.maxRetries = Math.floor(nonNegative(options.maxRetries, 'maxRetries', 3));
    this.timeoutMs = nonNegative(options.timeoutMs, 'timeoutMs', 30_000);
    this.userAgent =
      options.userAgent ?? `trubit-gateway-partner-sdk/${SDK_VERSION} node/${process.versions.node}`;
    this.maxRetryAfterSeconds = nonNegative(options.maxRetryAfterSeconds, 'maxRetryAfterSeconds', 30);
    this.retryBaseDelayMs = nonNegative(options.retryBaseDelayMs, 'retryBaseDelayMs', 500);
    this.retryMaxDelayMs = nonNegative(options.retryMaxDelayMs, 'retryMaxDelayMs', 8_000);
    this.onRetry = options.onRetry;
    this.sleep = options.sleep ?? defaultSleep;
  }

  // ---- health & rates ---------------------------------------------------------------------------

  /** `GET /health`: checks the key; returns the partner name and tier. */
  health(options?: RequestOptions): Promise<HealthResponse> {
    return this.request('GET', '/health', { options });
  }

  /** `GET /exchange-rate?token=`: TruBit's current sell rate (cache it for `validFor` seconds). */
  getExchangeRate(token?: string, options?: RequestOptions): Promise<ExchangeRate> {
    return this.request('GET', '/exchange-rate', { query: { token }, options });
  }

  // ---- users & KYC --------------------------------------------------------------------------------

  /** `POST /users` → 201. DUPLICATE_USER, USER_LIMIT_REACHED. */
  createUser(body: CreateUserRequest, options?: RequestOptions): Promise<CreatedUser> {
    return this.request('POST', '/users', { body, options });
  }

  /** `GET /users` (newest first). */
  listUsers(params: ListUsersParams = {}, options?: RequestOptions): Promise<UserList> {
    return this.request('GET', '/users', { query: { limit: params.limit, offset: params.offset }, options });
  }

  /** `GET /users/:partnerUserRef`. */
  getUser(partnerUserRef: string, options?: RequestOptions): Promise<User> {
    return this.request('GET', `/users/${seg(partnerUserRef, 'partnerUserRef')}`, { options });
  }

  /** `POST /users/:partnerUserRef/kyc` → 201 PENDING session (GATEWAY_MANAGED partners only). */
  startKyc(partnerUserRef: string, body: StartKycRequest, options?: RequestOptions): Promise<KycSession> {
    return this.request('POST', `/users/${seg(partnerUserRef, 'partnerUserRef')}/kyc`, { body, options });
  }

  // ---- quotes & orders ----------------------------------------------------------------------------

  /** `POST /quotes` → 201, valid 5 minutes. */
  createQuote(body: CreateQuoteRequest, options?: RequestOptions): Promise<Quote> {
    return this.request('POST', '/quotes', { body, options });
  }

  /**
   * `POST /orders` → 201. Always sends an `Idempotency-Key` (yours, or a UUID made for this call) and
   * reuses it on every retry, so a retried call can never create a second order; network errors and
   * timeouts are therefore retried too. `client.lastResponse.idempotencyKey` tells which key was used.
   */
  createOrder(body: CreateOrderRequest, options: CreateOrderOptions = {}): Promise<CreatedOrder> {
    const { idempotencyKey = randomUUID(), ...rest } = options;
    if (typeof idempotencyKey !== 'string' || idempotencyKey.length < 1 || idempotencyKey.length > 255) {
      throw new TypeError('idempotencyKey must be 1–255 characters');
    }
    if (!/^[\x21-\x7e]+$/.test(idempotencyKey)) {
      throw new TypeError('idempotencyKey must be printable ASCII without spaces');
    }
    return this.request('POST', '/orders', { body, idempotencyKey, options: rest });
  }

  /** `GET /orders` with optional `status`, `partnerUserRef` and paging. */
  listOrders(params: ListOrdersParams = {}, options?: RequestOptions): Promise<OrderList> {
    const { status, partnerUserRef, limit, offset } = params;
    return this.request('GET', '/orders', { query: { status, partnerUserRef, limit, offset }, options });
  }

  /** `GET /orders/:id`: detail with bank account, TruBit ids, fees and timeline. */
  getOrder(orderId: string, options?: RequestOptions): Promise<OrderDetail> {
    return this.request('GET', `/orders/${seg(orderId, 'orderId')}`, { options });
  }

  /** `POST /orders/:id/cancel`: only while PENDING_DEPOSIT, else ORDER_NOT_CANCELLABLE. */
  cancelOrder(orderId: string, options?: RequestOptions): Promise<Order> {
    return this.request('POST', `/orders/${seg(orderId, 'orderId')}/cancel`, { options });
  }

  // ---- funding ------------------------------------------------------------------------------------

  /** `GET /balances`: the partner's TruBit account. */
  getBalances(options?: RequestOptions): Promise<Balances> {
    return this.request('GET', '/balances', { options });
  }

  /** `GET /deposit-address?token=&chain=` (e.g. `USDT`, `TRC20`). */
  getDepositAddress(token: string, chain: string, options?: RequestOptions): Promise<DepositAddress> {
    return this.request('GET', '/deposit-address', { query: { token, chain }, options });
  }

  // ---- webhooks -----------------------------------------------------------------------------------

  /** `GET /webhooks`: the delivery log, filtered by `status`, `orderId`, `eventType`. */
  listWebhooks(params: ListWebhooksParams = {}, options?: RequestOptions): Promise<WebhookDeliveryList> {
    const { status, orderId, eventType, limit, offset } = params;
    return this.request('GET', '/webhooks', {
      query: { status, orderId, eventType, limit, offset },
      options,
    });
  }

  /** `POST /webhooks/:id/retry`: re-deliver one delivery now (a new attempt series). */
  retryWebhook(deliveryId: string, options?: RequestOptions): Promise<WebhookDelivery> {
    return this.request('POST', `/webhooks/${seg(deliveryId, 'deliveryId')}/retry`, { options });
  }

  /** `POST /webhooks/recover`: re-deliver every FAILED delivery created in [since, until]. */
  recoverWebhooks(window: RecoverWebhooksRequest, options?: RequestOptions): Promise<RecoverWebhooksResult> {
    if (!window || window.since === undefined) throw new TypeError('recoverWebhooks: since is required');
    const body: Record<string, string> = { since: iso(window.since)! };
    if (window.until !== undefined) body.until = iso(window.until)!;
    return this.request('POST', '/webhooks/recover', { body, options });
  }

  /** `GET /webhook-endpoint`. */
  getWebhookEndpoint(options?: RequestOptions): Promise<WebhookEndpoint> {
    return this.request('GET', '/webhook-endpoint', { options });
  }

  /** `PUT /webhook-endpoint` `{url}`: https and a public host (the gateway checks). */
  setWebhookEndpoint(url: string, options?: RequestOptions): Promise<WebhookEndpoint> {
    return this.request('PUT', '/webhook-endpoint', { body: { url }, options });
  }

  /** `POST /webhook-endpoint/rotate-secret`: the new secret, shown once; the old one signs for 24 h more. */
  rotateWebhookSecret(options?: RequestOptions): Promise<RotatedWebhookSecret> {
    return this.request('POST', '/webhook-endpoint/rotate-secret', { options });
  }

  // ---- transport ----------------------------------------------------------------------------------

  /**
   * Any Partner API call, with auth, retries and error parsing (for endpoints added after this SDK).
   * `path` is relative to `baseUrl`, e.g. `/orders`.
   */
  async request<T>(method: string, path: string, req: RawRequest = {}): Promise<T> {
    method = method.toUpperCase();
    const { query, body, idempotencyKey, options = {} } = req;
    const url = `${this.baseUrl}${path}${buildQuery(query)}`;
    const timeoutMs = options.timeoutMs ?? this.timeoutMs;
    const userSignal = options.signal;
    const headers: Record<string, string> = {
      'x-api-key': this.apiKey,
      accept: 'application/json',
      'user-agent': this.userAgent,
    };
    let payload: string | undefined;
    if (body !== undefined) {
      payload = JSON.stringify(body);
      headers['content-type'] = 'application/json';
    }
    if (idempotencyKey !== undefined) headers['idempotency-key'] = idempotencyKey;
    // Safe to repeat after a lost response: nothing new can be created twice.
    const idempotent = IDEMPOTENT_METHODS.has(method) || idempotencyKey !== undefined;

    for (let attempt = 1; ; attempt++) {
      userSignal?.throwIfAborted();
      const timeoutSignal = AbortSignal.timeout(timeoutMs);
      const signal = userSignal ? AbortSignal.any([userSignal, timeoutSignal]) : timeoutSignal;

      let res: Response;
      let text: string;
      try {
        res = await this.fetchFn(url, { method, headers, body: payload, signal, redirect: 'manual' });
        text = await res.text();
      } catch (err) {
        if (userSignal?.aborted) throw userSignal.reason;
        const error = timeoutSignal.aborted
          ? new PartnerTimeoutError(method, path, timeoutMs, err)
          : new PartnerConnectionError(
              `${method} ${path} failed: ${describeNetworkError(err)}`,
              method,
              path,
              err,
            );
        if (!idempotent || attempt > this.maxRetries) throw error;
        await this.waitBeforeRetry(userSignal, {
          method,
          path,
          retry: attempt,
          reason: error instanceof PartnerTimeoutError ? 'timeout' : 'network',
          delayMs: this.backoff(attempt),
          idempotencyKey,
          error,
        });
        continue;
      }

      const rateLimit = parseRateLimit(res.headers);
      if (rateLimit) this.lastRateLimit = rateLimit;
      const parsed = parseBody(text);
      this.lastResponse = {
        method,
        path,
        status: res.status,
        requestId:
          (isPlainJsonObject(parsed.value) && typeof parsed.value.requestId === 'string'
            ? parsed.value.requestId
            : undefined) ??
          res.headers.get('x-request-id') ??
          undefined,
        rateLimit,
        idempotencyKey,
        idempotentReplayed: res.headers.get('idempotent-replayed') === 'true',
        attempts: attempt,
      };

      if (res.status >= 300 && res.status < 400) {
        // Never follow: X-API-Key would travel to wherever the Location points.
        throw this.apiError(res, rateLimit, method, path, text, {
          code: 'INTERNAL_ERROR',
          message: `${method} ${path} was redirected to ${res.headers.get('location') ?? '?'}; set baseUrl to the final URL`,
        });
      }
      if (res.ok) {
        if (!parsed.ok) {
          throw this.apiError(res, rateLimit, method, path, text, {
            code: 'INTERNAL_ERROR',
            message: `${method} ${path}: response body is not JSON`,
          });
        }
        return parsed.value as T;
      }

      const error = this.apiError(res, rateLimit, method, path, parsed.ok ? parsed.value : text);
      const reason = retryReason(error, idempotencyKey !== undefined);
      if (!reason || attempt > this.maxRetries) throw error;
      const delayMs =
        error.retryAfterSeconds !== undefined
          ? Math.min(error.retryAfterSeconds, this.maxRetryAfterSeconds) * 1000
          : this.backoff(attempt);
      await this.waitBeforeRetry(userSignal, {
        method,
        path,
        retry: attempt,
        reason,
        delayMs,
        status: error.status,
        retryAfterSeconds: error.retryAfterSeconds,
        idempotencyKey,
        error,
      });
    }
  }

  private backoff(retry: number): number {
    return backoffDelayMs(retry - 1, this.retryBaseDelayMs, this.retryMaxDelayMs);
  }

  private async waitBeforeRetry(signal: AbortSignal | undefined, info: RetryInfo): Promise<void> {
    this.onRetry?.(info);
    try {
      await this.sleep(info.delayMs, signal);
    } catch (err) {
      if (signal?.aborted) throw signal.reason;
      throw err;
    }
  }

  private apiError(
    res: Response,
    rateLimit: RateLimitInfo | undefined,
    method: string,
    path: string,
    body: unknown,
    override?: { code: 'INTERNAL_ERROR'; message: string },
  ): PartnerApiError {
    const obj = isPlainJsonObject(body) ? body : undefined;
    const rawCode = typeof obj?.error === 'string' ? obj.error : '';
    const code = override?.code ?? (isPartnerErrorCode(rawCode) ? rawCode : codeForStatus(res.status));
    const message =
      override?.message ??
      (typeof obj?.message === 'string' && obj.message !== ''
        ? obj.message
        : `${method} ${path} failed with HTTP ${res.status}`);
    return new PartnerApiError({
      status: res.status,
      code,
      rawCode,
      message,
      details: obj?.details,
      requestId:
        (typeof obj?.requestId === 'string' ? obj.requestId : undefined) ??
        res.headers.get('x-request-id') ??
        undefined,
      retryAfterSeconds: parseRetryAfter(res.headers.get('retry-after')),
      rateLimit,
      method,
      path,
      body,
    });
  }
}

/**
 * 429 and 503 were refused before any work was done, so any request may repeat them;
 * IDEMPOTENCY_IN_PROGRESS means the same key is still being processed: asking again later is exactly
 * what it calls for. Every other 4xx/5xx is final.
 */
function retryReason(error: PartnerApiError, hasIdempotencyKey: boolean): RetryReason | undefined {
  if (error.status === 429) return 'rate_limited';
  if (error.status === 503) return 'unavailable';
  if (error.status === 409 && error.code === 'IDEMPOTENCY_IN_PROGRESS' && hasIdempotencyKey) {
    return 'idempotency_in_progress';
  }
  return undefined;
}

function parseBody(text: string): { ok: boolean; value: unknown } {
  if (text === '') return { ok: true, value: undefined };
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return { ok: false, value: undefined };
  }
}

function describeNetworkError(err: unknown): string {
  const cause = (err as { cause?: { code?: string; message?: string } } | undefined)?.cause;
  if (cause?.code) return `${cause.code}${cause.message ? ` (${cause.message})` : ''}`;
  return err instanceof Error ? err.message : String(err);
}

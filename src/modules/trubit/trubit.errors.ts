/**
 * Typed TruBit errors. Every failure the client surfaces is one of these, so callers decide on the
 * class, never on HTTP details:
 *
 * - TrubitBusinessError: TruBit looked at the request and refused it (4xx + code). Final.
 * - TrubitAuthError: key / signature / timestamp problems. Final except -1021 (clock skew), which a fresh
 *   timestamp can fix.
 * - TrubitRateLimitError: 429/418 from TruBit, or our own outbound budget refused to wait that long.
 *   Nothing was executed upstream.
 * - TrubitUnavailableError: nothing reached TruBit (breaker open, connection refused, DNS, connect timeout).
 * - TrubitUnknownOutcomeError: a WRITE may or may not have happened (5xx, timeout, reset after sending).
 *   Never treat as "failed": reconcile (order/list, order/detail) before any retry.
 * - TrubitUpstreamError: the same transport/server failures on a READ: safe to retry.
 */

export type TrubitErrorKind =
  'business' | 'auth' | 'rate_limit' | 'unavailable' | 'unknown_outcome' | 'upstream';

export interface TrubitErrorDetails {
  endpoint: string;
  /** TruBit's numeric code when the body carried one; null otherwise (timeouts, HTML error pages…). */
  code?: number | null;
  /** TruBit's message, or a short description of the transport failure. */
  msg?: string;
  httpStatus?: number | null;
  cause?: unknown;
}

export abstract class TrubitError extends Error {
  abstract readonly kind: TrubitErrorKind;
  readonly endpoint: string;
  readonly code: number | null;
  readonly msg: string;
  readonly httpStatus: number | null;

  protected constructor(message: string, details: TrubitErrorDetails) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.name = new.target.name;
    this.endpoint = details.endpoint;
    this.code = details.code ?? null;
    this.msg = details.msg ?? '';
    this.httpStatus = details.httpStatus ?? null;
  }

  /** Whether the same request may simply be sent again (after backoff). */
  abstract get retryable(): boolean;

  toJSON(): Record<string, unknown> {
    return {
      name: this.name,
      kind: this.kind,
      endpoint: this.endpoint,
      code: this.code,
      msg: this.msg,
      httpStatus: this.httpStatus,
      retryable: this.retryable,
    };
  }
}

function describe(prefix: string, d: TrubitErrorDetails): string {
  const parts = [`${prefix} on ${d.endpoint}`];
  if (d.httpStatus != null) parts.push(`HTTP ${d.httpStatus}`);
  if (d.code != null) parts.push(`code ${d.code}`);
  if (d.msg) parts.push(d.msg);
  return parts.join(': ');
}

export class TrubitBusinessError extends TrubitError {
  readonly kind = 'business' as const;
  constructor(details: TrubitErrorDetails) {
    super(describe('TruBit rejected the request', details), details);
  }
  get retryable(): boolean {
    return false;
  }
}

/** Codes that mean the credentials, signature or timestamp were refused. */
export const TRUBIT_AUTH_CODES: ReadonlySet<number> = new Set([-1002, -1021, -1022, -2014, -2015]);

export class TrubitAuthError extends TrubitError {
  readonly kind = 'auth' as const;
  constructor(details: TrubitErrorDetails) {
    super(describe('TruBit refused the credentials', details), details);
  }
  /** -1021 INVALID_TIMESTAMP is transient (clock skew / a slow hop): a re-signed request may pass. */
  get retryable(): boolean {
    return this.code === -1021;
  }
}

export type TrubitRateLimitSource = 'upstream' | 'limiter';

export class TrubitRateLimitError extends TrubitError {
  readonly kind = 'rate_limit' as const;
  /** How long to wait before trying this API key again. */
  readonly retryAfterMs: number;
  /** 'upstream': TruBit answered 429/418 (or -1003/-1015); 'limiter': our own budget refused to wait. */
  readonly source: TrubitRateLimitSource;
  /** TruBit banned the IP (HTTP 418): back off much longer. */
  readonly banned: boolean;

  constructor(
    details: TrubitErrorDetails & { retryAfterMs: number; source: TrubitRateLimitSource; banned?: boolean },
  ) {
    super(
      describe(
        details.source === 'limiter' ? 'Outbound TruBit budget exhausted' : 'TruBit rate limit',
        details,
      ),
      details,
    );
    this.retryAfterMs = Math.max(0, Math.ceil(details.retryAfterMs));
    this.source = details.source;
    this.banned = details.banned ?? false;
  }
  get retryable(): boolean {
    return true;
  }
  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), retryAfterMs: this.retryAfterMs, source: this.source, banned: this.banned };
  }
}

export class TrubitUnavailableError extends TrubitError {
  readonly kind = 'unavailable' as const;
  /** 'breaker_open' or the transport code (ECONNREFUSED, UND_ERR_CONNECT_TIMEOUT, …). */
  readonly reason: string;
  constructor(details: TrubitErrorDetails & { reason: string }) {
    super(
      describe('TruBit unavailable (nothing was sent)', { ...details, msg: details.msg || details.reason }),
      details,
    );
    this.reason = details.reason;
  }
  get retryable(): boolean {
    return true;
  }
}

export type TrubitFailureReason = 'http_5xx' | 'timeout' | 'connection_lost' | 'bad_response' | 'server_code';

export class TrubitUnknownOutcomeError extends TrubitError {
  readonly kind = 'unknown_outcome' as const;
  readonly reason: TrubitFailureReason;
  constructor(details: TrubitErrorDetails & { reason: TrubitFailureReason }) {
    super(
      describe('TruBit write outcome unknown', { ...details, msg: details.msg || details.reason }),
      details,
    );
    this.reason = details.reason;
  }
  /** Not blindly: the write may have happened. Reconcile first, then decide. */
  get retryable(): boolean {
    return false;
  }
}

export class TrubitUpstreamError extends TrubitError {
  readonly kind = 'upstream' as const;
  readonly reason: TrubitFailureReason;
  constructor(details: TrubitErrorDetails & { reason: TrubitFailureReason }) {
    super(describe('TruBit upstream failure', { ...details, msg: details.msg || details.reason }), details);
    this.reason = details.reason;
  }
  get retryable(): boolean {
    return true;
  }
}

/** A TruBit callback body that is not a usable ORDER_WEBHOOK (after the signature was checked). */
export class TrubitCallbackPayloadError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TrubitCallbackPayloadError';
  }
}

export function isTrubitError(err: unknown): err is TrubitError {
  return err instanceof TrubitError;
}

/** True when re-sending the same request (after backoff / retryAfterMs) is safe and may succeed. */
export function isRetryable(err: unknown): boolean {
  return err instanceof TrubitError && err.retryable;
}

/** True when a write may have been executed upstream: reconcile before anything else. */
export function isUnknownOutcome(err: unknown): err is TrubitUnknownOutcomeError {
  return err instanceof TrubitUnknownOutcomeError;
}

/** Errors that say nothing about TruBit's health: they must not trip the circuit breaker. */
export function isNonBreakerError(err: unknown): boolean {
  return (
    err instanceof TrubitBusinessError ||
    err instanceof TrubitAuthError ||
    err instanceof TrubitRateLimitError
  );
}

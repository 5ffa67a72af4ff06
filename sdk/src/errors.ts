/** Every error code the gateway documents (partner-api.md §2) and the HTTP status it comes with. */
export const PARTNER_ERROR_STATUS = {
  MISSING_API_KEY: 401,
  INVALID_API_KEY: 401,
  PARTNER_INACTIVE: 403,
  PARTNER_SUSPENDED: 403,
  IP_NOT_ALLOWED: 403,
  RATE_LIMITED: 429,
  VALIDATION_ERROR: 400,
  INVALID_CLABE: 400,
  INVALID_QUOTE: 404,
  QUOTE_EXPIRED: 410,
  QUOTE_USED: 409,
  QUOTE_USER_MISMATCH: 400,
  NOT_FOUND: 404,
  DUPLICATE_USER: 409,
  USER_LIMIT_REACHED: 403,
  VOLUME_LIMIT_EXCEEDED: 403,
  KYC_NOT_AVAILABLE: 400,
  KYC_LIMIT_REACHED: 403,
  KYC_SESSION_FAILED: 502,
  KYC_REQUIRED: 403,
  ORDER_NOT_CANCELLABLE: 409,
  IDEMPOTENCY_KEY_REUSED: 422,
  IDEMPOTENCY_IN_PROGRESS: 409,
  UPSTREAM_UNAVAILABLE: 503,
  UPSTREAM_REJECTED: 502,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_TOKEN: 400,
  UNAUTHORIZED: 401,
  UNSUPPORTED_MEDIA_TYPE: 415,
  METHOD_NOT_ALLOWED: 405,
  INTERNAL_ERROR: 500,
} as const;

export type PartnerErrorCode = keyof typeof PARTNER_ERROR_STATUS;

export function isPartnerErrorCode(value: unknown): value is PartnerErrorCode {
  return typeof value === 'string' && Object.prototype.hasOwnProperty.call(PARTNER_ERROR_STATUS, value);
}

/** A `VALIDATION_ERROR` lists what was wrong, one entry per field. */
export interface ValidationProblem {
  field: string;
  problem: string;
}

/** `X-RateLimit-*` of a response: the partner's per-minute budget. */
export interface RateLimitInfo {
  limit: number;
  remaining: number;
  /** Unix seconds when the window resets. */
  reset: number;
}

/** Base class of everything the client throws (besides the caller's own AbortSignal aborting). */
export class PartnerError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'PartnerError';
  }
}

export interface PartnerApiErrorInit {
  status: number;
  code: PartnerErrorCode;
  rawCode: string;
  message: string;
  details?: unknown;
  requestId?: string;
  retryAfterSeconds?: number;
  rateLimit?: RateLimitInfo;
  method: string;
  path: string;
  body?: unknown;
}

/**
 * The gateway answered with an error: `{error, message, details?, requestId?}`.
 * `code` is the `error` field when it is a documented code; an undocumented one (or a non-JSON body from a
 * proxy) maps to the documented code for the status, with the original string kept in `rawCode`.
 */
export class PartnerApiError extends PartnerError {
  readonly status: number;
  readonly code: PartnerErrorCode;
  /** The `error` field exactly as received ('' when the body had none). */
  readonly rawCode: string;
  /** `[{field, problem}]` for VALIDATION_ERROR; TruBit's raw code for UPSTREAM_REJECTED. */
  readonly details: unknown;
  /** From the body, else the `X-Request-Id` header: quote it to support. */
  readonly requestId: string | undefined;
  /** `Retry-After` in seconds (uncapped), on 429, 503 and IDEMPOTENCY_IN_PROGRESS. */
  readonly retryAfterSeconds: number | undefined;
  readonly rateLimit: RateLimitInfo | undefined;
  readonly method: string;
  readonly path: string;
  /** The parsed response body (or its text when it was not JSON). */
  readonly body: unknown;

  constructor(init: PartnerApiErrorInit) {
    super(init.message);
    this.name = 'PartnerApiError';
    this.status = init.status;
    this.code = init.code;
    this.rawCode = init.rawCode;
    this.details = init.details;
    this.requestId = init.requestId;
    this.retryAfterSeconds = init.retryAfterSeconds;
    this.rateLimit = init.rateLimit;
    this.method = init.method;
    this.path = init.path;
    this.body = init.body;
  }

  /** The per-field problems of a VALIDATION_ERROR (empty otherwise). */
  get validationProblems(): ValidationProblem[] {
    if (!Array.isArray(this.details)) return [];
    return this.details.filter(
      (d): d is ValidationProblem =>
        typeof d === 'object' && d !== null && typeof (d as ValidationProblem).field === 'string',
    );
  }
}

/** The request never got an HTTP answer (connection refused/reset, DNS, TLS, ...). */
export class PartnerConnectionError extends PartnerError {
  readonly method: string;
  readonly path: string;

  constructor(message: string, method: string, path: string, cause?: unknown) {
    super(message, { cause });
    this.name = 'PartnerConnectionError';
    this.method = method;
    this.path = path;
  }
}

/** No answer within `timeoutMs`. The request may still have been processed by the gateway. */
export class PartnerTimeoutError extends PartnerConnectionError {
  constructor(method: string, path: string, timeoutMs: number, cause?: unknown) {
    super(`${method} ${path} timed out after ${timeoutMs} ms`, method, path, cause);
    this.name = 'PartnerTimeoutError';
  }
}

/** Fallback code when the body carries no documented one: the gateway's own status → code mapping. */
export function codeForStatus(status: number): PartnerErrorCode {
  switch (status) {
    case 400:
      return 'VALIDATION_ERROR';
    case 401:
      return 'UNAUTHORIZED';
    case 404:
      return 'NOT_FOUND';
    case 405:
      return 'METHOD_NOT_ALLOWED';
    case 413:
      return 'PAYLOAD_TOO_LARGE';
    case 415:
      return 'UNSUPPORTED_MEDIA_TYPE';
    case 429:
      return 'RATE_LIMITED';
    case 503:
      return 'UPSTREAM_UNAVAILABLE';
    default:
      return status >= 400 && status < 500 ? 'VALIDATION_ERROR' : 'INTERNAL_ERROR';
  }
}

import type { TrubitEndpoint } from './trubit.endpoints';
import { tryParseTrubitJson } from './trubit-json';
import {
  TRUBIT_AUTH_CODES,
  TrubitAuthError,
  TrubitBusinessError,
  TrubitError,
  type TrubitFailureReason,
  TrubitRateLimitError,
  TrubitUnavailableError,
  TrubitUnknownOutcomeError,
  TrubitUpstreamError,
} from './trubit.errors';

/**
 * Turns one HTTP exchange (or one transport failure) into a payload or a typed TrubitError.
 * Pure: no I/O, the clock is passed in.
 */

export interface TrubitHttpResponse {
  statusCode: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
}

export interface TrubitBackoffDefaults {
  backoff429Ms: number;
  backoff418Ms: number;
}

/** Codes that say "the backend failed / may or may not have executed" (BHEX: "execution status unknown"). */
const SERVER_SIDE_CODES: ReadonlySet<number> = new Set([-1000, -1001, -1006, -1007, -1016]);
/** -1003 TOO_MANY_REQUESTS, -1015 TOO_MANY_ORDERS. */
const RATE_LIMIT_CODES: ReadonlySet<number> = new Set([-1003, -1015]);
/** Envelope codes meaning success (`{code:200|0,msg,data}`). */
const SUCCESS_CODES: ReadonlySet<number> = new Set([0, 200]);
/** Three days: BHEX's longest ban. Anything longer is a parse accident. */
const MAX_BACKOFF_MS = 3 * 24 * 3600 * 1000;

/** Transport errors raised before any byte of the request could have reached TruBit. */
const PRE_SEND_CODES: ReadonlySet<string> = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ENETUNREACH',
  'EHOSTUNREACH',
  'EADDRNOTAVAIL',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_CLOSED',
  'UND_ERR_DESTROYED',
  'UND_ERR_INVALID_ARG',
]);
const TIMEOUT_CODES: ReadonlySet<string> = new Set([
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
  'ETIMEDOUT',
]);

/** Marker used as the AbortSignal reason when the client's own request timeout fires. */
export class TrubitRequestTimeout extends Error {
  readonly code = 'TRUBIT_REQUEST_TIMEOUT';
  constructor(ms: number) {
    super(`no complete response within ${ms}ms`);
    this.name = 'TrubitRequestTimeout';
  }
}

interface ErrorBody {
  code: number;
  msg: string;
}

function asRecord(value: unknown): Record<string, unknown> | undefined {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}

function toCode(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isInteger(value)) return value;
  if (typeof value === 'string' && /^-?\d{1,9}$/.test(value.trim())) return Number(value);
  return undefined;
}

/** `{code, msg}` when the body is a JSON object carrying a non-success code. */
function errorBody(json: unknown): ErrorBody | undefined {
  const obj = asRecord(json);
  if (!obj || !('code' in obj)) return undefined;
  const code = toCode(obj.code);
  if (code === undefined || SUCCESS_CODES.has(code)) return undefined;
  return {
    code,
    msg: typeof obj.msg === 'string' ? obj.msg : typeof obj.message === 'string' ? obj.message : '',
  };
}

/** Unwraps `{code:200|0, msg, data}`; a bare payload passes through. */
export function unwrapTrubitEnvelope(json: unknown): unknown {
  const obj = asRecord(json);
  if (!obj || !('code' in obj)) return json;
  const code = toCode(obj.code);
  if (code !== undefined && SUCCESS_CODES.has(code) && 'data' in obj) return obj.data;
  return json;
}

function header(headers: TrubitHttpResponse['headers'], name: string): string | undefined {
  const v = headers[name] ?? headers[name.toLowerCase()];
  return Array.isArray(v) ? v[0] : v;
}

/** Retry-After (seconds or HTTP date); for bans, "banned until <ms>" in the message. */
export function retryAfterMsFrom(
  res: Pick<TrubitHttpResponse, 'headers'>,
  msg: string,
  nowMs: number,
  fallbackMs: number,
): number {
  const ra = header(res.headers, 'retry-after');
  let ms: number | undefined;
  if (ra !== undefined) {
    const trimmed = ra.trim();
    if (/^\d+(\.\d+)?$/.test(trimmed)) ms = Number(trimmed) * 1000;
    else {
      const at = Date.parse(trimmed);
      if (!Number.isNaN(at)) ms = at - nowMs;
    }
  }
  if (ms === undefined) {
    const until = /until\s*:?\s*(\d{12,14})/i.exec(msg);
    if (until) ms = Number(until[1]) - nowMs;
  }
  if (ms === undefined || !Number.isFinite(ms) || ms <= 0) ms = fallbackMs;
  return Math.min(Math.ceil(ms), MAX_BACKOFF_MS);
}

/** 5xx-like failure: on a write the outcome is unknown, on a read it is just a retryable failure. */
function serverSide(
  ep: TrubitEndpoint,
  reason: TrubitFailureReason,
  details: { code?: number | null; msg?: string; httpStatus?: number | null; cause?: unknown },
): TrubitError {
  const d = { endpoint: ep.name, reason, ...details };
  return ep.write ? new TrubitUnknownOutcomeError(d) : new TrubitUpstreamError(d);
}

function byCode(
  ep: TrubitEndpoint,
  status: number,
  body: ErrorBody,
  res: TrubitHttpResponse,
  nowMs: number,
  backoff: TrubitBackoffDefaults,
): TrubitError {
  const d = { endpoint: ep.name, code: body.code, msg: body.msg, httpStatus: status };
  if (TRUBIT_AUTH_CODES.has(body.code)) return new TrubitAuthError(d);
  if (RATE_LIMIT_CODES.has(body.code)) {
    return new TrubitRateLimitError({
      ...d,
      source: 'upstream',
      retryAfterMs: retryAfterMsFrom(res, body.msg, nowMs, backoff.backoff429Ms),
    });
  }
  if (SERVER_SIDE_CODES.has(body.code)) return serverSide(ep, 'server_code', d);
  return new TrubitBusinessError(d);
}

function snippet(text: string): string {
  const oneLine = text.replace(/\s+/g, ' ').trim();
  return oneLine.length > 200 ? `${oneLine.slice(0, 200)}…` : oneLine;
}

/**
 * Returns the success payload (envelope unwrapped) or throws the matching TrubitError.
 * `code` is read from any JSON body, whatever the HTTP status.
 */
export function interpretTrubitResponse(
  ep: TrubitEndpoint,
  res: TrubitHttpResponse,
  nowMs: number,
  backoff: TrubitBackoffDefaults,
): unknown {
  const status = res.statusCode;
  const json = tryParseTrubitJson(res.text);
  const err = errorBody(json);

  if (status === 429 || status === 418) {
    const banned = status === 418;
    const msg = err?.msg ?? snippet(res.text);
    throw new TrubitRateLimitError({
      endpoint: ep.name,
      code: err?.code ?? null,
      msg,
      httpStatus: status,
      source: 'upstream',
      banned,
      retryAfterMs: retryAfterMsFrom(res, msg, nowMs, banned ? backoff.backoff418Ms : backoff.backoff429Ms),
    });
  }
  if (status >= 500 || status === 408) {
    throw serverSide(ep, 'http_5xx', {
      code: err?.code ?? null,
      msg: err?.msg ?? snippet(res.text),
      httpStatus: status,
    });
  }
  if (status >= 400) {
    if (err) throw byCode(ep, status, err, res, nowMs, backoff);
    const d = { endpoint: ep.name, httpStatus: status, msg: snippet(res.text) };
    throw status === 401 || status === 403 ? new TrubitAuthError(d) : new TrubitBusinessError(d);
  }
  if (status < 200 || status >= 300) {
    throw serverSide(ep, 'bad_response', { httpStatus: status, msg: `unexpected HTTP ${status}` });
  }
  if (json === undefined) {
    // A 2xx we cannot read: for a write, TruBit probably acted but we lost the answer.
    throw serverSide(ep, 'bad_response', {
      httpStatus: status,
      msg: `unreadable success body: ${snippet(res.text)}`,
    });
  }
  if (err) throw byCode(ep, status, err, res, nowMs, backoff);

  const payload = unwrapTrubitEnvelope(json);
  const obj = asRecord(payload);
  if (obj && obj.result === false) {
    throw new TrubitBusinessError({
      endpoint: ep.name,
      httpStatus: status,
      msg: typeof obj.msg === 'string' && obj.msg ? obj.msg : 'result=false',
    });
  }
  return payload;
}

function errorCode(err: unknown): string | undefined {
  if (err instanceof TrubitRequestTimeout) return err.code;
  const e = err as { code?: unknown; cause?: { code?: unknown } } | null;
  if (e && typeof e.code === 'string') return e.code;
  if (e?.cause && typeof e.cause.code === 'string') return e.cause.code;
  return undefined;
}

/**
 * A failure without an HTTP response. Connect-phase errors mean nothing was sent (unavailable);
 * anything later may have reached TruBit (unknown outcome for writes, retryable for reads).
 */
export function classifyTransportError(ep: TrubitEndpoint, err: unknown): TrubitError {
  if (err instanceof TrubitError) return err;
  const code = errorCode(err);
  const message = err instanceof Error ? err.message : String(err);
  if (code && PRE_SEND_CODES.has(code)) {
    return new TrubitUnavailableError({ endpoint: ep.name, reason: code, msg: message, cause: err });
  }
  if (err instanceof TrubitRequestTimeout || (code && TIMEOUT_CODES.has(code))) {
    return serverSide(ep, 'timeout', { msg: message, cause: err });
  }
  return serverSide(ep, 'connection_lost', { msg: code ? `${code}: ${message}` : message, cause: err });
}

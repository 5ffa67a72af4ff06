// Test-only TruBit client: signs per trubit-otc.md §2.2 with its own HMAC code (deliberately not the
// simulator's verifier, so a verifier bug cannot hide behind a matching client bug) and lets a test break
// any part of a request: key, timestamp, signature, or the body bytes after signing.
import { createHmac } from 'node:crypto';
import { request } from 'undici';

export interface OtcResponse<T = any> {
  status: number;
  text: string;
  body: T;
}

export interface CallOptions {
  /** Extra query parameters, placed before timestamp (order is part of what is signed). */
  query?: Record<string, string>;
  timestamp?: number | null;
  recvWindow?: number;
  /** Send a different API key header; null sends none. */
  apiKey?: string | null;
  /** Override the computed signature; null sends none. */
  signature?: string | null;
  /** Body bytes actually sent, derived from the signed ones (simulates re-serialisation after signing). */
  tamperBody?: (signed: string) => string;
  contentType?: string;
  headers?: Record<string, string>;
  /** Abort the request (a client-side timeout). */
  signal?: AbortSignal;
}

export function hmacHex(secret: string, text: string): string {
  return createHmac('sha256', secret).update(text, 'utf8').digest('hex');
}

export class OtcTestClient {
  constructor(
    readonly baseUrl: string,
    readonly apiKey: string,
    readonly apiSecret: string,
    private readonly clock: () => number = Date.now,
  ) {}

  get<T = any>(
    path: string,
    params: Record<string, string> = {},
    opts: CallOptions = {},
  ): Promise<OtcResponse<T>> {
    return this.call<T>('GET', path, undefined, { ...opts, query: { ...params, ...opts.query } });
  }

  /** `body` is sent exactly: a string as-is, anything else through JSON.stringify once. */
  post<T = any>(path: string, body?: unknown, opts: CallOptions = {}): Promise<OtcResponse<T>> {
    return this.call<T>('POST', path, body, opts);
  }

  async call<T>(
    method: 'GET' | 'POST',
    path: string,
    body: unknown,
    opts: CallOptions,
  ): Promise<OtcResponse<T>> {
    const params = new URLSearchParams(opts.query ?? {});
    if (opts.recvWindow !== undefined) params.set('recvWindow', String(opts.recvWindow));
    const ts = opts.timestamp === undefined ? this.clock() : opts.timestamp;
    if (ts !== null) params.set('timestamp', String(ts));
    const qs = params.toString();
    const signedBody = body === undefined ? '' : typeof body === 'string' ? body : JSON.stringify(body);
    const signature =
      opts.signature === undefined ? hmacHex(this.apiSecret, qs + signedBody) : opts.signature;
    const fullQs = [qs, signature === null ? '' : `signature=${signature}`].filter(Boolean).join('&');
    const sentBody = opts.tamperBody ? opts.tamperBody(signedBody) : signedBody;
    const headers: Record<string, string> = { ...opts.headers };
    const key = opts.apiKey === undefined ? this.apiKey : opts.apiKey;
    if (key !== null) headers['X-BH-APIKEY'] = key;
    if (sentBody) headers['content-type'] = opts.contentType ?? 'application/json';
    const url = `${this.baseUrl}${path.startsWith('/') ? path : `/openapi/v1/otc/${path}`}${fullQs ? `?${fullQs}` : ''}`;
    return send<T>(method, url, headers, sentBody || undefined, opts.signal);
  }
}

export async function send<T = any>(
  method: string,
  url: string,
  headers: Record<string, string> = {},
  body?: string,
  signal?: AbortSignal,
): Promise<OtcResponse<T>> {
  const res = await request(url, { method: method as 'GET', headers, body, signal });
  const text = await res.body.text();
  let parsed: unknown = undefined;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    parsed = text;
  }
  return { status: res.statusCode, text, body: parsed as T };
}

/** Calls the unsigned /__sim control API. */
export function simControl<T = any>(
  baseUrl: string,
  method: 'GET' | 'POST' | 'DELETE',
  path: string,
  body?: unknown,
): Promise<OtcResponse<T>> {
  const headers: Record<string, string> = body === undefined ? {} : { 'content-type': 'application/json' };
  return send<T>(
    method,
    `${baseUrl}/__sim${path}`,
    headers,
    body === undefined ? undefined : JSON.stringify(body),
  );
}

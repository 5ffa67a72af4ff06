import { createHmac } from 'node:crypto';

/**
 * TruBit request signing (trubit-otc.md §2.2). Pure functions, no I/O, no clock.
 *
 * The server verifies HMAC-SHA256 over the raw query string (minus `signature`) followed directly by the
 * raw body. So the query string is built once, the body is serialized once, and exactly those strings are
 * both signed and sent.
 */

export type TrubitQueryValue = string | number | boolean | bigint | null | undefined;
export type TrubitQueryParams =
  Readonly<Record<string, TrubitQueryValue>> | ReadonlyArray<readonly [string, TrubitQueryValue]>;

/** Lower-case hex HMAC-SHA256 of `payload` with `secret` (both UTF-8). */
export function hmacSha256Hex(secret: string, payload: string): string {
  return createHmac('sha256', Buffer.from(secret, 'utf8')).update(Buffer.from(payload, 'utf8')).digest('hex');
}

/** The signature over `queryString + body`, concatenated with no separator (§2.2 step 3). */
export function signPayload(secret: string, queryString: string, body = ''): string {
  return hmacSha256Hex(secret, queryString + body);
}

/**
 * Builds `k=v&k=v` in the given order. null/undefined values are left out; keys and values are
 * percent-encoded with encodeURIComponent, and that encoded form is what gets signed (§2.2, URL encoding).
 */
export function buildQueryString(params: TrubitQueryParams | undefined): string {
  if (!params) return '';
  const entries: ReadonlyArray<readonly [string, TrubitQueryValue]> = Array.isArray(params)
    ? (params as ReadonlyArray<readonly [string, TrubitQueryValue]>)
    : Object.entries(params as Record<string, TrubitQueryValue>);
  const parts: string[] = [];
  for (const [key, value] of entries) {
    if (value === undefined || value === null) continue;
    parts.push(`${encodeURIComponent(key)}=${encodeURIComponent(String(value))}`);
  }
  return parts.join('&');
}

export interface SignRequestInput {
  /** Endpoint parameters, in wire order; `timestamp`, `recvWindow` and `signature` are added here. */
  params?: TrubitQueryParams;
  /** The body exactly as it will be sent ('' or undefined for GET / body-less POST). */
  body?: string;
  secret: string;
  /** ms since epoch. */
  timestamp: number;
  /** Appended after `timestamp` when given (not null/undefined/0). */
  recvWindow?: number | null;
}

export interface SignedRequest {
  /** Query string without `signature`: what was signed (together with `body`). */
  unsignedQuery: string;
  body: string;
  signature: string;
  /** Query string to put on the wire (`unsignedQuery&signature=…`), without the leading `?`. */
  query: string;
}

export function signRequest(input: SignRequestInput): SignedRequest {
  if (!Number.isSafeInteger(input.timestamp) || input.timestamp <= 0) {
    throw new RangeError(`timestamp must be a positive integer of ms, got ${input.timestamp}`);
  }
  for (const reserved of ['timestamp', 'recvWindow', 'signature']) {
    if (hasParam(input.params, reserved))
      throw new RangeError(`"${reserved}" is added by the signer; do not pass it`);
  }
  const base = buildQueryString(input.params);
  const timing = buildQueryString([
    ['timestamp', input.timestamp],
    ['recvWindow', input.recvWindow ? input.recvWindow : undefined],
  ]);
  const unsignedQuery = base ? `${base}&${timing}` : timing;
  const body = input.body ?? '';
  const signature = signPayload(input.secret, unsignedQuery, body);
  return { unsignedQuery, body, signature, query: `${unsignedQuery}&signature=${signature}` };
}

function hasParam(params: TrubitQueryParams | undefined, key: string): boolean {
  if (!params) return false;
  if (Array.isArray(params))
    return (params as ReadonlyArray<readonly [string, TrubitQueryValue]>).some(([k]) => k === key);
  return Object.prototype.hasOwnProperty.call(params, key);
}

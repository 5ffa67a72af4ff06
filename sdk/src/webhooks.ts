import { createHmac, timingSafeEqual } from 'node:crypto';
import type { WebhookEvent } from './types';

/** Node's `req.headers`, a plain object, or a fetch `Headers`; names are matched case-insensitively. */
export type WebhookHeaders =
  Record<string, string | string[] | undefined> | { get(name: string): string | null };

export interface VerifyWebhookOptions {
  /** Largest accepted |now − timestamp|, in seconds. Default 300. */
  toleranceSeconds?: number;
  /** The current time: a Date or milliseconds since the epoch (as `Date.now()`). */
  now?: Date | number;
}

export type WebhookVerificationReason =
  | 'MISSING_HEADERS'
  | 'INVALID_TIMESTAMP'
  | 'TIMESTAMP_OUT_OF_TOLERANCE'
  | 'INVALID_SIGNATURE'
  | 'INVALID_PAYLOAD';

/** The delivery is not provably from the gateway (or not fresh): answer 400/401 and drop it. */
export class WebhookVerificationError extends Error {
  readonly reason: WebhookVerificationReason;

  constructor(reason: WebhookVerificationReason, message: string) {
    super(message);
    this.name = 'WebhookVerificationError';
    this.reason = reason;
  }
}

type Failure = { reason: WebhookVerificationReason; message: string };

/**
 * Verifies a webhook delivery and returns its parsed event. Pass the body exactly as received (the raw
 * bytes/string, not a re-serialised object) and the request headers.
 *
 * Accepted, either one being enough:
 * - MexicoP2P: `X-Webhook-Signature` = hex HMAC-SHA256(key = secret as UTF-8, `${X-Webhook-Timestamp}.${body}`);
 * - Standard Webhooks: `webhook-signature` = space-separated `v1,<base64 HMAC-SHA256>` over
 *   `${webhook-id}.${webhook-timestamp}.${body}`, keyed with base64-decode(secret without `whsec_`);
 *   any one matching signature suffices (during rotation the gateway signs with old and new secrets).
 * The scheme's timestamp must be within `toleranceSeconds` of now, which bounds replays; dedupe on the
 * event `id` for exactly-once handling (deliveries are at-least-once).
 *
 * `secret` may be a list (e.g. old and new while you roll out a rotated secret).
 */
export function verifyWebhook(
  rawBody: string | Buffer,
  headers: WebhookHeaders,
  secret: string | readonly string[],
  { toleranceSeconds = 300, now }: VerifyWebhookOptions = {},
): WebhookEvent {
  const secrets = (typeof secret === 'string' ? [secret] : [...secret]).filter(
    (s) => typeof s === 'string' && s !== '',
  );
  if (secrets.length === 0) throw new TypeError('verifyWebhook: secret is required');
  if (typeof rawBody !== 'string' && !Buffer.isBuffer(rawBody)) {
    throw new TypeError('verifyWebhook: pass the raw body as a string or Buffer, not a parsed object');
  }
  const body = typeof rawBody === 'string' ? Buffer.from(rawBody, 'utf8') : rawBody;
  const nowSeconds = Math.floor(
    (now === undefined ? Date.now() : now instanceof Date ? now.getTime() : now) / 1000,
  );
  const get = headerReader(headers);

  const failures: Failure[] = [];
  const legacySig = get('x-webhook-signature');
  const legacyTs = get('x-webhook-timestamp');
  const stdSig = get('webhook-signature');
  const stdTs = get('webhook-timestamp');
  const stdId = get('webhook-id');

  if (legacySig !== undefined || legacyTs !== undefined) {
    const failure =
      checkTimestamp(legacyTs, nowSeconds, toleranceSeconds, 'X-Webhook-Timestamp') ??
      checkLegacySignature(legacySig, legacyTs!, body, secrets);
    if (!failure) return parseEvent(body);
    failures.push(failure);
  }
  if (stdSig !== undefined || stdTs !== undefined || stdId !== undefined) {
    const failure =
      (stdId === undefined || stdId === ''
        ? { reason: 'MISSING_HEADERS' as const, message: 'webhook-id header is missing' }
        : undefined) ??
      checkTimestamp(stdTs, nowSeconds, toleranceSeconds, 'webhook-timestamp') ??
      checkStandardSignature(stdSig, stdId!, stdTs!, body, secrets);
    if (!failure) return parseEvent(body);
    failures.push(failure);
  }
  if (failures.length === 0) {
    throw new WebhookVerificationError(
      'MISSING_HEADERS',
      'No webhook signature headers (X-Webhook-Signature/X-Webhook-Timestamp or webhook-id/-timestamp/-signature)',
    );
  }
  throw new WebhookVerificationError(failures[0].reason, failures.map((f) => f.message).join('; '));
}

function headerReader(headers: WebhookHeaders): (name: string) => string | undefined {
  if (headers && typeof (headers as { get?: unknown }).get === 'function') {
    const h = headers as { get(name: string): string | null };
    return (name) => h.get(name) ?? undefined;
  }
  const lower = new Map<string, string>();
  for (const [key, value] of Object.entries(
    (headers ?? {}) as Record<string, string | string[] | undefined>,
  )) {
    if (value === undefined) continue;
    const name = key.toLowerCase();
    const joined = Array.isArray(value) ? value.join(', ') : String(value);
    lower.set(name, lower.has(name) ? `${lower.get(name)}, ${joined}` : joined);
  }
  return (name) => lower.get(name);
}

function checkTimestamp(
  value: string | undefined,
  nowSeconds: number,
  toleranceSeconds: number,
  header: string,
): Failure | undefined {
  if (value === undefined) return { reason: 'MISSING_HEADERS', message: `${header} header is missing` };
  const v = value.trim();
  if (!/^\d{1,15}$/.test(v)) return { reason: 'INVALID_TIMESTAMP', message: `${header} is not Unix seconds` };
  const skew = Math.abs(nowSeconds - Number(v));
  if (skew > toleranceSeconds) {
    return {
      reason: 'TIMESTAMP_OUT_OF_TOLERANCE',
      message: `${header} is ${skew}s away from now (tolerance ${toleranceSeconds}s)`,
    };
  }
  return undefined;
}

function hmac(key: Buffer | string, prefix: string, body: Buffer): Buffer {
  return createHmac('sha256', key).update(prefix, 'utf8').update(body).digest();
}

function safeEqual(a: Buffer, b: Buffer): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}

function checkLegacySignature(
  header: string | undefined,
  timestamp: string,
  body: Buffer,
  secrets: string[],
): Failure | undefined {
  if (header === undefined)
    return { reason: 'MISSING_HEADERS', message: 'X-Webhook-Signature header is missing' };
  const provided = header
    .split(/[\s,]+/)
    .filter((s) => /^[0-9a-fA-F]{64}$/.test(s))
    .map((s) => Buffer.from(s, 'hex'));
  const ok = secrets.some((secret) => {
    const expected = hmac(Buffer.from(secret, 'utf8'), `${timestamp.trim()}.`, body);
    // Every candidate is compared (no early exit) so timing does not reveal which one matched.
    return provided.reduce((found, sig) => safeEqual(sig, expected) || found, false);
  });
  return ok ? undefined : { reason: 'INVALID_SIGNATURE', message: 'X-Webhook-Signature does not match' };
}

/** Standard Webhooks key: the base64 part of `whsec_…` decoded (the whole string when unprefixed). */
function standardKey(secret: string): Buffer {
  return Buffer.from(secret.startsWith('whsec_') ? secret.slice('whsec_'.length) : secret, 'base64');
}

function checkStandardSignature(
  header: string | undefined,
  id: string,
  timestamp: string,
  body: Buffer,
  secrets: string[],
): Failure | undefined {
  if (header === undefined)
    return { reason: 'MISSING_HEADERS', message: 'webhook-signature header is missing' };
  const provided: Buffer[] = [];
  for (const token of header.split(/\s+/)) {
    const [version, sig] = token.replace(/,+$/, '').split(',', 2);
    if (version === 'v1' && sig) provided.push(Buffer.from(sig, 'base64'));
  }
  const ok = secrets.some((secret) => {
    const expected = hmac(standardKey(secret), `${id}.${timestamp.trim()}.`, body);
    return provided.reduce((found, sig) => safeEqual(sig, expected) || found, false);
  });
  return ok ? undefined : { reason: 'INVALID_SIGNATURE', message: 'no webhook-signature v1 entry matches' };
}

function parseEvent(body: Buffer): WebhookEvent {
  let event: unknown;
  try {
    event = JSON.parse(body.toString('utf8'));
  } catch {
    throw new WebhookVerificationError('INVALID_PAYLOAD', 'Webhook body is not JSON');
  }
  const e = event as Record<string, unknown> | null;
  if (
    typeof e !== 'object' ||
    e === null ||
    Array.isArray(e) ||
    typeof e.id !== 'string' ||
    typeof e.event !== 'string' ||
    typeof e.createdAt !== 'string' ||
    typeof e.data !== 'object' ||
    e.data === null
  ) {
    throw new WebhookVerificationError('INVALID_PAYLOAD', 'Webhook body is not {id, event, createdAt, data}');
  }
  return event as WebhookEvent;
}

import { createHmac } from 'node:crypto';

export interface WebhookSigningInput {
  /** Our delivery id: X-Webhook-Id, stable across retries of one delivery. */
  deliveryId: string;
  /** The event id (`evt_…`): the Standard Webhooks `webhook-id`, the partner's idempotency key. */
  eventId: string;
  eventType: string;
  /** The exact bytes that will be POSTed. */
  body: string;
  /** When this attempt is made (both timestamp headers, Unix seconds). */
  at: Date;
  /** The partner's current `whsec_…` secret and, during the 24 h after a rotation, the previous one. */
  secret: string;
  previousSecret?: string | null;
}

/** lowercase hex HMAC-SHA256 keyed with the secret string as UTF-8 over `{timestamp}.{rawBody}` (partner-api.md §6). */
export function legacySignature(secret: string, timestamp: number, body: string): string {
  return createHmac('sha256', Buffer.from(secret, 'utf8')).update(`${timestamp}.${body}`).digest('hex');
}

const STANDARD_PREFIX = 'whsec_';

/**
 * The Standard Webhooks signature `v1,<base64 HMAC-SHA256>` over `{msgId}.{timestamp}.{body}`, keyed with the
 * base64-decoded secret (after `whsec_`): byte for byte what the official library's `Webhook.sign` produces
 * (webhook.signer.spec.ts checks it against the library), with node's native HMAC instead of its pure-JS one.
 */
export function standardSignature(secret: string, msgId: string, timestamp: number, body: string): string {
  const key = Buffer.from(
    secret.startsWith(STANDARD_PREFIX) ? secret.slice(STANDARD_PREFIX.length) : secret,
    'base64',
  );
  return `v1,${createHmac('sha256', key).update(`${msgId}.${timestamp}.${body}`).digest('base64')}`;
}

/**
 * The headers of one delivery attempt, in both schemes partners may verify: the MexicoP2P `X-Webhook-*` trio
 * and Standard Webhooks (`webhook-id/-timestamp/-signature`, which the official verifier accepts). While a rotated-out secret is still valid, `webhook-signature` lists a signature per secret
 * (space-separated, new first) and `X-Webhook-Signature` uses the new one only.
 */
export function signWebhook(input: WebhookSigningInput): Record<string, string> {
  const timestamp = Math.floor(input.at.getTime() / 1000);
  const secrets = [input.secret, ...(input.previousSecret ? [input.previousSecret] : [])];
  const standard = secrets.map((s) => standardSignature(s, input.eventId, timestamp, input.body)).join(' ');
  return {
    'content-type': 'application/json',
    'user-agent': 'MexicoP2P-Gateway-Webhooks/1.0',
    'x-webhook-id': input.deliveryId,
    'x-webhook-timestamp': String(timestamp),
    'x-webhook-signature': legacySignature(input.secret, timestamp, input.body),
    'x-webhook-event': input.eventType,
    'webhook-id': input.eventId,
    'webhook-timestamp': String(timestamp),
    'webhook-signature': standard,
  };
}

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac, randomBytes } from 'node:crypto';
import { verifyWebhook, WebhookVerificationError, type WebhookVerificationReason } from './webhooks';

// Signatures are computed here from the spec (partner-api.md §6), independently of the SDK's code.
const SECRET = `whsec_${randomBytes(24).toString('base64')}`;
const OTHER_SECRET = `whsec_${randomBytes(24).toString('base64')}`;
const NOW = 1_795_000_000; // Unix seconds
const now = NOW * 1000;

const event = {
  id: 'evt_01',
  event: 'order.completed',
  createdAt: '2026-11-22T10:00:00.000Z',
  data: { orderId: 'ord_1', status: 'COMPLETED', sequence: 5, partnerUserRef: 'user-1', totalMxn: 1725 },
};
const BODY = JSON.stringify(event);

/** MexicoP2P: lowercase hex HMAC-SHA256(secret as UTF-8, `${ts}.${body}`). */
function legacyHeaders(body: string, secret: string, ts: number) {
  const sig = createHmac('sha256', Buffer.from(secret, 'utf8')).update(`${ts}.${body}`).digest('hex');
  return { 'X-Webhook-Id': 'del_1', 'X-Webhook-Timestamp': String(ts), 'X-Webhook-Signature': sig };
}

/** Standard Webhooks: `v1,` base64 HMAC-SHA256(base64-decode(secret minus whsec_), `${id}.${ts}.${body}`). */
function standardSig(body: string, secret: string, id: string, ts: number): string {
  const key = Buffer.from(secret.replace(/^whsec_/, ''), 'base64');
  return `v1,${createHmac('sha256', key).update(`${id}.${ts}.${body}`).digest('base64')}`;
}
function standardHeaders(body: string, secrets: string[], ts: number, id = 'evt_01') {
  return {
    'webhook-id': id,
    'webhook-timestamp': String(ts),
    'webhook-signature': secrets.map((s) => standardSig(body, s, id, ts)).join(' '),
  };
}

function rejects(fn: () => unknown, reason: WebhookVerificationReason) {
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof WebhookVerificationError, `expected WebhookVerificationError, got ${String(e)}`);
    assert.equal(e.reason, reason, e.message);
    return true;
  });
}

describe('verifyWebhook', () => {
  test('accepts an X-Webhook-Signature delivery and returns the parsed event', () => {
    const result = verifyWebhook(BODY, legacyHeaders(BODY, SECRET, NOW), SECRET, { now });
    assert.deepEqual(result, event);
  });

  test('accepts a Standard Webhooks delivery', () => {
    const result = verifyWebhook(BODY, standardHeaders(BODY, [SECRET], NOW), SECRET, { now });
    assert.deepEqual(result, event);
  });

  test('accepts a Buffer body, lowercase Node headers, array values and a fetch Headers object', () => {
    const lower = Object.fromEntries(
      Object.entries(legacyHeaders(BODY, SECRET, NOW)).map(([k, v]) => [k.toLowerCase(), [v]]),
    );
    assert.equal(verifyWebhook(Buffer.from(BODY), lower, SECRET, { now }).id, 'evt_01');
    const upperStd = Object.fromEntries(
      Object.entries(standardHeaders(BODY, [SECRET], NOW)).map(([k, v]) => [k.toUpperCase(), v]),
    );
    assert.equal(verifyWebhook(BODY, upperStd, SECRET, { now: new Date(now) }).id, 'evt_01');
    assert.equal(
      verifyWebhook(BODY, new Headers(standardHeaders(BODY, [SECRET], NOW)), SECRET, { now }).id,
      'evt_01',
    );
  });

  test('the raw bytes are what is signed: multi-byte UTF-8 bodies verify as Buffer and as string', () => {
    const body = JSON.stringify({ ...event, data: { ...event.data, partnerUserRef: 'José Ñandú ✓' } });
    const headers = { ...legacyHeaders(body, SECRET, NOW), ...standardHeaders(body, [SECRET], NOW) };
    assert.equal(
      verifyWebhook(Buffer.from(body, 'utf8'), headers, SECRET, { now }).data.partnerUserRef,
      'José Ñandú ✓',
    );
    assert.equal(verifyWebhook(body, headers, SECRET, { now }).id, 'evt_01');
  });

  test('during rotation any one of several v1 signatures is enough, old or new secret', () => {
    const headers = standardHeaders(BODY, [OTHER_SECRET, SECRET], NOW);
    assert.match(headers['webhook-signature'], /^v1,\S+ v1,\S+$/);
    assert.equal(verifyWebhook(BODY, headers, SECRET, { now }).id, 'evt_01');
    assert.equal(verifyWebhook(BODY, headers, OTHER_SECRET, { now }).id, 'evt_01');
  });

  test('either scheme valid is enough (a broken X-Webhook-Signature next to a valid standard one)', () => {
    const headers = {
      ...legacyHeaders(BODY, OTHER_SECRET, NOW),
      ...standardHeaders(BODY, [SECRET], NOW),
    };
    assert.equal(verifyWebhook(BODY, headers, SECRET, { now }).id, 'evt_01');
  });

  test('a list of secrets accepts a delivery signed with any of them', () => {
    const headers = legacyHeaders(BODY, OTHER_SECRET, NOW);
    assert.equal(verifyWebhook(BODY, headers, [SECRET, OTHER_SECRET], { now }).id, 'evt_01');
  });

  test('rejects a tampered body (both schemes)', () => {
    const tampered = BODY.replace('1725', '9725');
    assert.notEqual(tampered, BODY);
    rejects(
      () => verifyWebhook(tampered, legacyHeaders(BODY, SECRET, NOW), SECRET, { now }),
      'INVALID_SIGNATURE',
    );
    rejects(
      () => verifyWebhook(tampered, standardHeaders(BODY, [SECRET], NOW), SECRET, { now }),
      'INVALID_SIGNATURE',
    );
    rejects(
      () =>
        verifyWebhook(
          tampered,
          { ...legacyHeaders(BODY, SECRET, NOW), ...standardHeaders(BODY, [SECRET], NOW) },
          SECRET,
          { now },
        ),
      'INVALID_SIGNATURE',
    );
  });

  test('rejects a wrong secret (both schemes)', () => {
    rejects(
      () => verifyWebhook(BODY, legacyHeaders(BODY, SECRET, NOW), OTHER_SECRET, { now }),
      'INVALID_SIGNATURE',
    );
    rejects(
      () => verifyWebhook(BODY, standardHeaders(BODY, [SECRET], NOW), OTHER_SECRET, { now }),
      'INVALID_SIGNATURE',
    );
  });

  test('rejects a signature moved to another timestamp or event id', () => {
    const legacy = { ...legacyHeaders(BODY, SECRET, NOW), 'X-Webhook-Timestamp': String(NOW - 1) };
    rejects(() => verifyWebhook(BODY, legacy, SECRET, { now }), 'INVALID_SIGNATURE');
    const std = { ...standardHeaders(BODY, [SECRET], NOW), 'webhook-id': 'evt_02' };
    rejects(() => verifyWebhook(BODY, std, SECRET, { now }), 'INVALID_SIGNATURE');
  });

  test('rejects a stale (or far-future) timestamp even with a valid signature', () => {
    const stale = NOW - 301;
    rejects(
      () => verifyWebhook(BODY, legacyHeaders(BODY, SECRET, stale), SECRET, { now }),
      'TIMESTAMP_OUT_OF_TOLERANCE',
    );
    rejects(
      () => verifyWebhook(BODY, standardHeaders(BODY, [SECRET], stale), SECRET, { now }),
      'TIMESTAMP_OUT_OF_TOLERANCE',
    );
    rejects(
      () => verifyWebhook(BODY, legacyHeaders(BODY, SECRET, NOW + 301), SECRET, { now }),
      'TIMESTAMP_OUT_OF_TOLERANCE',
    );
    // The edge of the window is accepted, and the tolerance is configurable.
    assert.equal(verifyWebhook(BODY, legacyHeaders(BODY, SECRET, NOW - 300), SECRET, { now }).id, 'evt_01');
    rejects(
      () => verifyWebhook(BODY, legacyHeaders(BODY, SECRET, NOW - 60), SECRET, { now, toleranceSeconds: 30 }),
      'TIMESTAMP_OUT_OF_TOLERANCE',
    );
  });

  test('uses the real clock by default', () => {
    const ts = Math.floor(Date.now() / 1000);
    assert.equal(verifyWebhook(BODY, legacyHeaders(BODY, SECRET, ts), SECRET).id, 'evt_01');
    rejects(
      () => verifyWebhook(BODY, legacyHeaders(BODY, SECRET, ts - 3600), SECRET),
      'TIMESTAMP_OUT_OF_TOLERANCE',
    );
  });

  test('rejects missing or malformed headers', () => {
    rejects(() => verifyWebhook(BODY, {}, SECRET, { now }), 'MISSING_HEADERS');
    const { 'X-Webhook-Signature': _sig, ...noSig } = legacyHeaders(BODY, SECRET, NOW);
    rejects(() => verifyWebhook(BODY, noSig, SECRET, { now }), 'MISSING_HEADERS');
    const { 'webhook-id': _id, ...noId } = standardHeaders(BODY, [SECRET], NOW);
    rejects(() => verifyWebhook(BODY, noId, SECRET, { now }), 'MISSING_HEADERS');
    rejects(
      () =>
        verifyWebhook(BODY, { ...legacyHeaders(BODY, SECRET, NOW), 'X-Webhook-Timestamp': '17e8' }, SECRET, {
          now,
        }),
      'INVALID_TIMESTAMP',
    );
    rejects(
      () =>
        verifyWebhook(BODY, { ...legacyHeaders(BODY, SECRET, NOW), 'X-Webhook-Signature': 'abc' }, SECRET, {
          now,
        }),
      'INVALID_SIGNATURE',
    );
  });

  test('a correctly signed body that is not an event is rejected as INVALID_PAYLOAD', () => {
    for (const body of ['not json', '[]', '{"id":"evt_1"}']) {
      rejects(
        () => verifyWebhook(body, legacyHeaders(body, SECRET, NOW), SECRET, { now }),
        'INVALID_PAYLOAD',
      );
    }
  });

  test('refuses a parsed object instead of the raw body, and an empty secret', () => {
    assert.throws(
      () => verifyWebhook(event as unknown as string, legacyHeaders(BODY, SECRET, NOW), SECRET, { now }),
      TypeError,
    );
    assert.throws(() => verifyWebhook(BODY, legacyHeaders(BODY, SECRET, NOW), '', { now }), TypeError);
  });
});

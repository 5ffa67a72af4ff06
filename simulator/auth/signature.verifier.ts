// HMAC-SHA256 request signatures exactly as TruBit checks them (trubit-otc.md §2.2): over the raw query
// string as received minus the `signature` pair, immediately followed (no separator) by the raw body bytes.
// Nothing is parsed, sorted or re-encoded first: a client that re-serialises its JSON after signing, or
// signs a differently encoded query, must fail here just as it would against the real server.
import { createHmac, timingSafeEqual } from 'node:crypto';

export interface StrippedQuery {
  /** The query string without any `signature=...` pair and its joining `&`. */
  signedQuery: string;
  /** Every signature value found (decoded); more than one is a client error. */
  signatures: string[];
}

/** Removes `signature` pairs from a raw query string (no leading `?`), keeping every other byte intact. */
export function stripSignature(rawQuery: string): StrippedQuery {
  if (rawQuery === '') return { signedQuery: '', signatures: [] };
  const kept: string[] = [];
  const signatures: string[] = [];
  for (const pair of rawQuery.split('&')) {
    const eq = pair.indexOf('=');
    const key = eq === -1 ? pair : pair.slice(0, eq);
    if (safeDecode(key) === 'signature') signatures.push(safeDecode(eq === -1 ? '' : pair.slice(eq + 1)));
    else kept.push(pair);
  }
  return { signedQuery: kept.join('&'), signatures };
}

/** lowercase hex HMAC-SHA256(secret, query + body): the value a client must send as `signature`. */
export function computeSignature(secret: string, signedQuery: string, body: Buffer | string = ''): string {
  return createHmac('sha256', Buffer.from(secret, 'utf8'))
    .update(Buffer.from(signedQuery, 'utf8'))
    .update(typeof body === 'string' ? Buffer.from(body, 'utf8') : body)
    .digest('hex');
}

/** Case-insensitive, constant-time comparison of a provided hex signature with the expected one. */
export function signatureMatches(expectedHex: string, providedHex: string): boolean {
  const provided = providedHex.trim().toLowerCase();
  if (!/^[0-9a-f]{64}$/.test(provided)) return false;
  return timingSafeEqual(Buffer.from(expectedHex, 'hex'), Buffer.from(provided, 'hex'));
}

export function verifySignature(
  secret: string,
  signedQuery: string,
  body: Buffer | string,
  provided: string,
): boolean {
  return signatureMatches(computeSignature(secret, signedQuery, body), provided);
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text.replace(/\+/g, ' '));
  } catch {
    return text;
  }
}

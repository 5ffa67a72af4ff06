import { createPublicKey, type KeyObject, verify } from 'node:crypto';

/**
 * TruBit callback signatures (trubit-otc.md §6.1, §6.4): header `signature` = hex of RSA-SHA256
 * (PKCS#1 v1.5) over the raw body bytes; the public key is Base64 DER SubjectPublicKeyInfo (a PEM body
 * without armour). Verify the raw bytes as received: re-serialized JSON would not match.
 */

const keyCache = new Map<string, KeyObject>();
const MAX_CACHED_KEYS = 8;
const HEX = /^[0-9a-fA-F]+$/;

/** Builds the KeyObject (throws on a bad key): call at start-up to fail fast on misconfiguration. */
export function loadTrubitPublicKey(publicKeyBase64Spki: string): KeyObject {
  const normalized = publicKeyBase64Spki.replace(/-----[^-]+-----/g, '').replace(/\s+/g, '');
  const cached = keyCache.get(normalized);
  if (cached) return cached;
  const key = createPublicKey({ key: Buffer.from(normalized, 'base64'), format: 'der', type: 'spki' });
  if (key.asymmetricKeyType !== 'rsa')
    throw new TypeError(`TruBit callback key must be RSA, got ${key.asymmetricKeyType}`);
  if (keyCache.size >= MAX_CACHED_KEYS) keyCache.clear();
  keyCache.set(normalized, key);
  return key;
}

/** true only for a valid signature; malformed hex, a wrong length, garbage or a bad key give false. */
export function verifyTrubitCallback(
  rawBody: Buffer | string,
  signatureHex: string,
  publicKeyBase64Spki: string,
): boolean {
  try {
    if (typeof signatureHex !== 'string') return false;
    const sig = signatureHex.trim();
    if (sig.length === 0 || sig.length % 2 !== 0 || !HEX.test(sig)) return false;
    const key = loadTrubitPublicKey(publicKeyBase64Spki);
    const body = typeof rawBody === 'string' ? Buffer.from(rawBody, 'utf8') : rawBody;
    return verify('sha256', body, key, Buffer.from(sig, 'hex'));
  } catch {
    return false;
  }
}

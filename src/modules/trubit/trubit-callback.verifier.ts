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

/** The signature's bytes, or undefined when it is not a non-empty even-length hex string. */
function signatureBytes(signatureHex: unknown): Buffer | undefined {
  if (typeof signatureHex !== 'string') return undefined;
  const sig = signatureHex.trim();
  if (sig.length === 0 || sig.length % 2 !== 0) return undefined;
  // Buffer.from stops at the first non-hex pair: every character was hex iff every byte was decoded.
  const bytes = Buffer.from(sig, 'hex');
  return bytes.length * 2 === sig.length ? bytes : undefined;
}

/**
 * The same check for the ingestion hot path, with the key loaded once (loadTrubitPublicKey) rather than looked
 * up by its Base64 text on every call, and the hex checked by decoding it rather than by a regular expression.
 * (Verifying on libuv's thread pool instead was measured: it saves the event loop ~13 µs per callback but
 * nearly doubles the CPU a verification costs, a loss on a machine whose cores are all busy.)
 */
export function verifyTrubitCallbackWith(rawBody: Buffer, signatureHex: string, key: KeyObject): boolean {
  const sig = signatureBytes(signatureHex);
  if (!sig) return false;
  try {
    return verify('sha256', rawBody, key, sig);
  } catch {
    return false;
  }
}

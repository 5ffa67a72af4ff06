import { createHash, randomBytes } from 'node:crypto';

export const API_KEY_PATTERN = /^mp2p_[0-9a-f]{64}$/;

/** `mp2p_` + 64 lowercase hex from the CSPRNG (partner-api.md §3). */
export function generateApiKey(): string {
  return `mp2p_${randomBytes(32).toString('hex')}`;
}

/** SHA-256 of the key: the in-process cache key. Keys are 256-bit random, so this reveals nothing usable. */
export function digestApiKey(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}

/** The non-secret identifier stored beside the bcrypt hash, so the hot path finds the row without scanning. */
export function lookupIdFromDigest(digest: string): string {
  return digest.slice(0, 32);
}

export function displayPrefix(key: string): string {
  return `${key.slice(0, 9)}…`;
}

export function generateWebhookSecret(): string {
  return `whsec_${randomBytes(24).toString('base64')}`;
}

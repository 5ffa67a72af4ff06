import { isIP } from 'node:net';

const PRIVATE_V4 = [
  /^0\./,
  /^10\./,
  /^127\./,
  /^169\.254\./,
  /^172\.(1[6-9]|2\d|3[01])\./,
  /^192\.168\./,
  /^100\.(6[4-9]|[7-9]\d|1[01]\d|12[0-7])\./,
  /^(22[4-9]|23\d|24\d|25[0-5])\./,
];

/** `::ffff:7f00:1` (how URL normalises a mapped IPv4) → `127.0.0.1`; dotted forms pass through. */
function mappedV4(rest: string): string {
  const hex = /^([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(rest);
  if (!hex) return rest;
  const hi = parseInt(hex[1], 16);
  const lo = parseInt(hex[2], 16);
  return `${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`;
}

/** True for loopback, private, link-local, CGNAT, multicast and unspecified addresses (v4 and v6). */
export function isNonPublicAddress(address: string): boolean {
  const v = isIP(address);
  if (v === 4) return PRIVATE_V4.some((r) => r.test(address));
  if (v === 6) {
    const a = address.toLowerCase();
    if (a === '::' || a === '::1') return true;
    if (a.startsWith('::ffff:')) return isNonPublicAddress(mappedV4(a.slice(7)));
    return /^(fc|fd|fe8|fe9|fea|feb|ff)/.test(a);
  }
  return false;
}

/**
 * Why a webhook URL is refused, or null if acceptable: https only, no private/loopback/link-local literal
 * targets or `localhost`, unless insecure targets are allowed (local development, tests, the demo).
 * Hostnames are checked again against their resolved addresses at delivery time.
 */
export function webhookUrlProblem(raw: string, allowInsecure: boolean): string | null {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return 'must be an absolute URL';
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return 'must use https';
  if (raw.length > 2048) return 'must be at most 2048 characters';
  if (url.username || url.password) return 'must not contain credentials';
  if (allowInsecure) return null;
  if (url.protocol !== 'https:') return 'must use https';
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (
    host === 'localhost' ||
    host.endsWith('.localhost') ||
    host.endsWith('.internal') ||
    isNonPublicAddress(host)
  ) {
    return 'must not target a private, loopback or link-local address';
  }
  return null;
}

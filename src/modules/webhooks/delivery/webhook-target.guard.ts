import { lookup as dnsLookup, type LookupAddress, type LookupOptions } from 'node:dns';
import { isIP } from 'node:net';
import { isNonPublicAddress } from '../webhook-url.policy';

/** The target resolved to (or is) an address partners must not make us call: nothing was sent. */
export class RefusedTargetError extends Error {
  readonly code = 'WEBHOOK_TARGET_REFUSED';
  constructor(host: string, address: string) {
    super(`refused: ${host} resolves to a private, loopback or link-local address (${address})`);
    this.name = 'RefusedTargetError';
  }
}

type LookupCallback = (
  err: NodeJS.ErrnoException | null,
  address: string | LookupAddress[],
  family?: number,
) => void;

/**
 * A `lookup` for net/tls.connect that refuses non-public addresses (SSRF guard at delivery time). It runs at
 * connect time, on the addresses the socket will actually use, so a DNS answer that changes between a check
 * and the connection (rebinding) cannot slip through. Any non-public address in the answer refuses the host.
 */
export function guardedLookup(hostname: string, options: LookupOptions, callback: LookupCallback): void {
  dnsLookup(hostname, { ...options, all: true }, (err, addresses) => {
    if (err) return callback(err, []);
    const bad = addresses.find((a) => isNonPublicAddress(a.address));
    if (bad) return callback(new RefusedTargetError(hostname, bad.address), []);
    if (!addresses.length) {
      const none = Object.assign(new Error(`no address for ${hostname}`), { code: 'ENOTFOUND' });
      return callback(none, []);
    }
    if (options.all) return callback(null, addresses);
    callback(null, addresses[0].address, addresses[0].family);
  });
}

/** Literal IP hosts never reach a lookup: check them before connecting. */
export function refusedLiteral(url: URL): RefusedTargetError | null {
  const host = url.hostname.replace(/^\[|\]$/g, '');
  return isIP(host) && isNonPublicAddress(host) ? new RefusedTargetError(host, host) : null;
}

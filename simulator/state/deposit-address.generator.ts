// Deterministic deposit addresses: the same account + token + chain always gets the same address, and the
// formats are real ones (TRON base58check with the 0x41 prefix, so it starts with "T"; EVM 0x + 40 hex),
// so a client's address validation behaves as in production.
import { createHash } from 'node:crypto';

const BASE58 = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz';

export function depositAddress(accountId: string, tokenId: string, chain: string): string {
  const seed = createHash('sha256').update(`${accountId}|${tokenId}|${chain}`).digest().subarray(0, 20);
  if (chain === 'TRC20') return tronAddress(seed);
  return `0x${seed.toString('hex')}`;
}

export function tronAddress(body20: Buffer): string {
  const payload = Buffer.concat([Buffer.from([0x41]), body20]);
  const checksum = sha256(sha256(payload)).subarray(0, 4);
  return base58(Buffer.concat([payload, checksum]));
}

function sha256(data: Buffer): Buffer {
  return createHash('sha256').update(data).digest();
}

function base58(bytes: Buffer): string {
  let n = BigInt(`0x${bytes.toString('hex')}`);
  let out = '';
  while (n > 0n) {
    out = BASE58[Number(n % 58n)] + out;
    n /= 58n;
  }
  for (const b of bytes) {
    if (b !== 0) break;
    out = `1${out}`;
  }
  return out;
}

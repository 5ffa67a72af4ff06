import { randomBytes } from 'node:crypto';

const ALPHABET = '0123456789abcdefghijklmnopqrstuvwxyz';

function randomToken(length: number): string {
  const bytes = randomBytes(length);
  let out = '';
  for (let i = 0; i < length; i++) out += ALPHABET[bytes[i] % 36];
  return out;
}

/** Time-ordered ids: base36 milliseconds then randomness, so ids sort roughly by creation. */
function timeOrdered(prefix: string, randomLength = 14): string {
  return `${prefix}${Date.now().toString(36).padStart(9, '0')}${randomToken(randomLength)}`;
}

export const newId = {
  partner: () => timeOrdered('ptn_'),
  apiKey: () => timeOrdered('key_'),
  /** Users are cuid-like: a 'c', time, randomness. */
  user: () => timeOrdered('c', 15),
  quote: () => timeOrdered('qt_'),
  order: () => timeOrdered('ord_'),
  event: () => timeOrdered('evt_'),
  delivery: () => timeOrdered('del_'),
  payout: () => timeOrdered('pm_'),
};

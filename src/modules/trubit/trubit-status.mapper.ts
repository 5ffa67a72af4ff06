/**
 * TruBit order status (+ hasRefund) → partner-visible status (architecture.md, "Trubit status → partner
 * status"). Unknown codes (including v2-only 31) map to null: the caller keeps the current state rather
 * than guess.
 */

export type TrubitPartnerStatus =
  'ACTIVE' | 'LOCKED' | 'VERIFIED' | 'COMPLETED' | 'CANCELLED' | 'REFUNDED' | 'REJECTED';

const TABLE: Readonly<Record<number, TrubitPartnerStatus>> = Object.freeze({
  10: 'ACTIVE',
  30: 'ACTIVE',
  40: 'LOCKED',
  50: 'VERIFIED',
  60: 'COMPLETED',
  70: 'CANCELLED',
  80: 'REJECTED',
});

/** TruBit sends orderStatus as "30" in lists/callbacks and 40 in details; accept both. */
export function parseTrubitStatus(status: unknown): number | null {
  if (typeof status === 'number') return Number.isInteger(status) ? status : null;
  if (typeof status === 'string' && /^\s*\d{1,3}\s*$/.test(status)) return Number(status);
  return null;
}

function refunded(hasRefund: unknown): boolean {
  return hasRefund === 1 || hasRefund === '1' || hasRefund === true;
}

export function mapTrubitStatus(status: unknown, hasRefund?: unknown): TrubitPartnerStatus | null {
  const code = parseTrubitStatus(status);
  if (code === null) return null;
  const mapped = TABLE[code];
  if (!mapped) return null;
  return mapped === 'CANCELLED' && refunded(hasRefund) ? 'REFUNDED' : mapped;
}

/** 60, 70 and 80 never change again. */
export function isTerminalTrubitStatus(status: unknown): boolean {
  const code = parseTrubitStatus(status);
  return code === 60 || code === 70 || code === 80;
}

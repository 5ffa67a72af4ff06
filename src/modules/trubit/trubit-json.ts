import { isLosslessNumber, isSafeNumber, LosslessNumber, parse, stringify } from 'lossless-json';

/**
 * Big-int-safe JSON for TruBit. Order/user/account ids are 18–19 digit snowflakes (> 2^53): JSON.parse
 * would silently corrupt them, and JSON.stringify cannot write one as a bare number.
 *
 * Parse rules (by key, then by value):
 * - id keys (orderId, userId, accountId, clientId): always a string of the exact digits;
 * - money keys (and `total` inside a balance): always a string, exactly as received ("700.00" stays "700.00", a bare 20.07 becomes "20.07");
 * - any other number: a JS number when that is exact (small ints, ordinary decimals), else the exact string.
 */

export const TRUBIT_ID_KEYS: ReadonlySet<string> = new Set(['orderId', 'userId', 'accountId', 'clientId']);

export const TRUBIT_MONEY_KEYS: ReadonlySet<string> = new Set([
  'orderPrice',
  'quantity',
  'fiatAmount',
  'orderAmount',
  'buyRate',
  'sellRate',
  'buyLimit',
  'buyUsed',
  'sellLimit',
  'sellUsed',
  'free',
  'locked',
  'minQuantity',
  'fiatFee',
  'cryptoAmount',
  'totalAmount',
  'amount',
  'fee',
]);

/** `total` is money in a balance ({total, free, locked}) but a count in a page ({total, record}). */
function isMoneyKey(key: string, parent: unknown): boolean {
  if (TRUBIT_MONEY_KEYS.has(key)) return true;
  return (
    key === 'total' &&
    parent !== null &&
    typeof parent === 'object' &&
    ('free' in parent || 'locked' in parent)
  );
}

function reviveTrubitValue(this: unknown, key: string, value: unknown): unknown {
  if (!isLosslessNumber(value)) return value;
  const raw = value.value;
  if (TRUBIT_ID_KEYS.has(key) || isMoneyKey(key, this)) return raw;
  // isSafeNumber is false both for integers beyond 2^53 and for decimals with more digits than a double keeps.
  return isSafeNumber(raw) ? Number(raw) : raw;
}

/** Parses a TruBit JSON body. Throws SyntaxError on invalid JSON. */
export function parseTrubitJson(text: string): unknown {
  return parse(text, reviveTrubitValue);
}

/** Like parseTrubitJson but returns `undefined` instead of throwing (for error-body sniffing). */
export function tryParseTrubitJson(text: string): unknown {
  if (!text) return undefined;
  const first = text.trimStart()[0];
  if (first !== '{' && first !== '[') return undefined;
  try {
    return parseTrubitJson(text);
  } catch {
    return undefined;
  }
}

/**
 * A decimal integer given as a string (or bigint) to be written as a bare JSON number, without a float
 * round-trip: `{"orderId": jsonInteger("433592805818896384")}` → `{"orderId":433592805818896384}`.
 */
export function jsonInteger(value: string | bigint | number): LosslessNumber {
  const text = typeof value === 'string' ? value.trim() : value.toString();
  if (!/^-?(0|[1-9]\d*)$/.test(text)) throw new RangeError(`not a decimal integer: "${String(value)}"`);
  if (typeof value === 'number' && !Number.isSafeInteger(value)) {
    throw new RangeError(`unsafe integer ${value}: pass ids as strings`);
  }
  return new LosslessNumber(text);
}

/** A decimal given as a string written as a bare JSON number exactly as given (e.g. "1000.00"). */
export function jsonDecimal(value: string): LosslessNumber {
  const text = value.trim();
  if (!/^-?(0|[1-9]\d*)(\.\d+)?$/.test(text)) throw new RangeError(`not a plain decimal: "${value}"`);
  return new LosslessNumber(text);
}

/**
 * Serializes a request body once, compactly, keys in insertion order. LosslessNumber and bigint values are
 * written as bare numbers with their exact digits.
 */
export function stringifyTrubitJson(value: unknown): string {
  const text = stringify(value);
  if (text === undefined) throw new TypeError('value is not JSON-serializable');
  return text;
}

export { LosslessNumber };

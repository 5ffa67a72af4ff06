// JSON in and out without a float round-trip. TruBit order ids are 18-19 digit snowflakes (> 2^53) and the
// doc's own finish example sends `orderId` as a bare JSON number, so request bodies are parsed with
// lossless-json: every number stays a LosslessNumber holding its exact digits until a field reader decides
// what it is (id, int or decimal amount).
import { LosslessNumber, isLosslessNumber, parse, stringify } from 'lossless-json';

export { LosslessNumber, isLosslessNumber };

/** Parses JSON keeping every number as its original digit string. Throws SyntaxError on bad JSON. */
export function parseLossless(text: string): unknown {
  return parse(text);
}

/** Serialises a response. LosslessNumber values (used for the documented numeric rates) keep their digits. */
export function stringifyLossless(value: unknown): string {
  return stringify(value) ?? 'null';
}

/** Converts a lossless tree to plain JS for places where precision does not matter (control API flags). */
export function toPlain(value: unknown): unknown {
  if (isLosslessNumber(value)) return value.toString();
  if (Array.isArray(value)) return value.map(toPlain);
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = toPlain(v);
    return out;
  }
  return value;
}

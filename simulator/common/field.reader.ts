// Typed access to request parameters, whichever way they arrived: strings from a query string or form body,
// or lossless JSON values (LosslessNumber for every JSON number). Missing or malformed values become -1102,
// as TruBit does for "mandatory parameter ... was not sent, was empty/null, or malformed".
import type Decimal from 'decimal.js';
import { isLosslessNumber } from './lossless.codec';
import { isDecimalLiteral, money } from './money.math';
import { otcErrors } from './otc.error';

export type ParamSource = Record<string, unknown>;

export class FieldReader {
  constructor(private readonly source: ParamSource) {}

  has(name: string): boolean {
    return this.text(name) !== undefined;
  }

  optionalString(name: string): string | undefined {
    return this.text(name);
  }

  requiredString(name: string): string {
    const value = this.text(name);
    if (value === undefined) throw otcErrors.mandatory(name);
    return value;
  }

  /** Small integers (mcId, paymentId, page numbers): JSON number, or a string of digits ("91" in the doc). */
  optionalInt(name: string): number | undefined {
    const value = this.text(name);
    if (value === undefined) return undefined;
    if (!/^-?\d{1,15}$/.test(value)) throw otcErrors.mandatory(name);
    return Number(value);
  }

  requiredInt(name: string): number {
    const value = this.optionalInt(name);
    if (value === undefined) throw otcErrors.mandatory(name);
    return value;
  }

  /** Snowflake ids: a string or a bare JSON number, kept exact as BigInt. */
  requiredId(name: string): bigint {
    const value = this.text(name);
    if (value === undefined || !/^\d{1,20}$/.test(value)) throw otcErrors.mandatory(name);
    return BigInt(value);
  }

  /** Non-negative decimal amounts ("1000.00", 100.5); exponent or sign is malformed. */
  optionalDecimal(name: string): Decimal | undefined {
    const value = this.text(name);
    if (value === undefined) return undefined;
    if (!isDecimalLiteral(value)) throw otcErrors.mandatory(name);
    return money(value);
  }

  optionalBool(name: string): boolean | undefined {
    const raw = this.source[name];
    if (typeof raw === 'boolean') return raw;
    const value = this.text(name);
    if (value === undefined) return undefined;
    if (value === 'true' || value === '1') return true;
    if (value === 'false' || value === '0') return false;
    throw otcErrors.mandatory(name);
  }

  raw(name: string): unknown {
    return this.source[name];
  }

  /** The value as its source text; undefined for absent, null or empty. Objects are not scalars. */
  private text(name: string): string | undefined {
    const raw = this.source[name];
    if (raw === undefined || raw === null) return undefined;
    let value: string;
    if (typeof raw === 'string') value = raw.trim();
    else if (isLosslessNumber(raw)) value = raw.toString();
    else if (typeof raw === 'number' || typeof raw === 'bigint') value = String(raw);
    else if (typeof raw === 'boolean') value = String(raw);
    else throw otcErrors.mandatory(name);
    return value === '' ? undefined : value;
  }
}

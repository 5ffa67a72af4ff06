import { ValidationOptions, registerDecorator } from 'class-validator';

export interface DecimalNumberRule {
  maxDecimals: number;
  /** Inclusive lower bound unless `exclusiveMin`. */
  min: number;
  exclusiveMin?: boolean;
  max: number;
}

/**
 * A JSON number written with at most `maxDecimals` decimals, within bounds. Judged on the number's shortest
 * decimal text (what the partner sent), so 0.1234567 and exponent forms such as 1e-7 are refused rather than
 * silently rounded.
 */
export function isDecimalNumber(v: unknown, rule: DecimalNumberRule): boolean {
  if (typeof v !== 'number' || !Number.isFinite(v)) return false;
  const text = String(v);
  if (!/^-?\d+(\.\d+)?$/.test(text)) return false;
  const decimals = text.split('.')[1]?.length ?? 0;
  if (decimals > rule.maxDecimals) return false;
  if (rule.exclusiveMin ? v <= rule.min : v < rule.min) return false;
  return v <= rule.max;
}

export function IsDecimalNumber(rule: DecimalNumberRule, options?: ValidationOptions) {
  const lower = rule.exclusiveMin ? `greater than ${rule.min}` : `at least ${rule.min}`;
  return (object: object, propertyName: string) =>
    registerDecorator({
      name: 'isDecimalNumber',
      target: object.constructor,
      propertyName,
      options: {
        message: `${propertyName} must be a number ${lower} and at most ${rule.max}, with at most ${rule.maxDecimals} decimals`,
        ...options,
      },
      validator: { validate: (v: unknown) => isDecimalNumber(v, rule) },
    });
}

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { isDecimalNumber } from './decimal-number.validator';

const amount = { maxDecimals: 6, min: 0, exclusiveMin: true, max: 1_000_000 };

describe('isDecimalNumber', () => {
  test('accepts positive numbers with up to 6 decimals within the maximum', () => {
    for (const v of [1, 100, 0.000001, 123.456789, 1_000_000])
      assert.ok(isDecimalNumber(v, amount), String(v));
  });

  test('refuses zero, negatives, too many decimals, exponent forms, huge values and non-numbers', () => {
    for (const v of [0, -1, 0.1234567, 1e-7, 1e21, 1_000_000.000001, NaN, Infinity, '100', null, true, [1]]) {
      assert.equal(isDecimalNumber(v, amount), false, String(v));
    }
  });

  test('inclusive minimum for fee percentages', () => {
    const fee = { maxDecimals: 2, min: 0, max: 10 };
    assert.ok(isDecimalNumber(0, fee));
    assert.ok(isDecimalNumber(10, fee));
    assert.ok(isDecimalNumber(1.25, fee));
    assert.equal(isDecimalNumber(1.255, fee), false);
    assert.equal(isDecimalNumber(10.01, fee), false);
    assert.equal(isDecimalNumber(-0.01, fee), false);
  });
});

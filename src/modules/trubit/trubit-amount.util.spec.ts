import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { cryptoForFiat, fiatForCrypto, floor2, floor4 } from './trubit-amount.util';

describe('TruBit amount helpers', () => {
  test('floor2 truncates fiat to exactly 2 decimals', () => {
    assert.equal(floor2('1000'), '1000.00');
    assert.equal(floor2('1000.999'), '1000.99');
    assert.equal(floor2('3.982'), '3.98');
    assert.equal(floor2(0.1 + 0.2), '0.30');
    assert.equal(floor2('12345678901234567890.129'), '12345678901234567890.12');
  });

  test('floor4 truncates crypto to exactly 4 decimals', () => {
    assert.equal(floor4('0.49825'), '0.4982');
    assert.equal(floor4('0.2'), '0.2000');
    assert.equal(floor4('5.99999'), '5.9999');
  });

  test('the doc examples: BUY quantity and SELL fiat', () => {
    assert.equal(cryptoForFiat('10', '20.07'), '0.4982');
    assert.equal(fiatForCrypto('0.2', '19.91'), '3.98');
  });

  test('rejects garbage, negatives and zero prices', () => {
    for (const bad of ['abc', '', 'NaN', 'Infinity', '-1']) assert.throws(() => floor2(bad), RangeError, bad);
    assert.throws(() => cryptoForFiat('10', '0'), RangeError);
  });
});

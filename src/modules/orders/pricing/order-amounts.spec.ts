import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { sellQuantityFor, splitFee, trubitOrderAmount } from './order-amounts';

describe('order amounts', () => {
  test('worked example: 100 USDT at 17.25 with 1.5% → net 1699.12 sells floor4(1699.12 / 17.25)', () => {
    const q = sellQuantityFor('1699.12', '17.25');
    assert.equal(q.toFixed(4), '98.4997'); // 98.49971… truncated
    assert.equal(trubitOrderAmount(q, '17.25').toFixed(2), '1699.11'); // 1699.119… truncated
  });

  test('sell quantity truncates, never rounds up', () => {
    assert.equal(sellQuantityFor('1990.99', '19.91').toFixed(4), '99.9994'); // 99.99949…
    assert.equal(sellQuantityFor('1991.00', '19.91').toFixed(4), '100.0000');
  });

  test('PARTNER fee: platform share rounds half-up, partner gets the rest', () => {
    const s = splitFee('25.88', 'PARTNER', '20');
    assert.equal(s.platformFeeMxn.toFixed(2), '5.18'); // 5.176
    assert.equal(s.partnerFeeMxn.toFixed(2), '20.70');
    const half = splitFee('0.05', 'PARTNER', '30'); // 0.015 → 0.02
    assert.equal(half.platformFeeMxn.toFixed(2), '0.02');
    assert.equal(half.partnerFeeMxn.toFixed(2), '0.03');
  });

  test('USER / NONE: nothing to the partner', () => {
    for (const r of ['USER', 'NONE'] as const) {
      const s = splitFee('10.00', r, '20');
      assert.equal(s.partnerFeeMxn.toFixed(2), '0.00');
      assert.equal(s.platformFeeMxn.toFixed(2), '10.00');
    }
  });

  test('a zero rate is refused', () => {
    assert.throws(() => sellQuantityFor('1', '0'), RangeError);
  });
});

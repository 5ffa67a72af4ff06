import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { priceSell } from './quote-pricing';

describe('quote pricing (partner-api.md §4)', () => {
  test('the worked example: 100 × 17.25 at 1.5% → 1725.00 / 25.88 / 1699.12', () => {
    const p = priceSell(100, '17.25', '1.5');
    assert.equal(p.grossAmountMxn.toFixed(2), '1725.00');
    assert.equal(p.feeAmountMxn.toFixed(2), '25.88'); // 25.875 rounds half up
    assert.equal(p.netAmountMxn.toFixed(2), '1699.12');
    assert.equal(p.sellQuantity.toFixed(4), '98.4997'); // floor4(1699.12 / 17.25) = 98.49971…
  });

  test('gross is floored to the centavo, never rounded up', () => {
    assert.equal(priceSell('1.234567', '19.91', 0).grossAmountMxn.toFixed(2), '24.58'); // 24.58022897
    assert.equal(priceSell('0.999999', '19.99', 0).grossAmountMxn.toFixed(2), '19.98'); // 19.98998…
  });

  test('no fee: fee 0, net = gross', () => {
    const p = priceSell('250', '19.91', 0);
    assert.equal(p.grossAmountMxn.toFixed(2), '4977.50');
    assert.equal(p.feeAmountMxn.toFixed(2), '0.00');
    assert.equal(p.netAmountMxn.toFixed(2), '4977.50');
  });

  test('half-up on exact half centavos and down below half', () => {
    assert.equal(priceSell('1', '10.50', '5').feeAmountMxn.toFixed(2), '0.53'); // 0.525
    assert.equal(priceSell('1', '10.49', '5').feeAmountMxn.toFixed(2), '0.52'); // 0.5245
  });

  test('binary floats would get these wrong; decimals do not', () => {
    // 0.1 × 3 in floats is 0.30000000000000004; 1.15 × 100 is 114.99999999999999.
    assert.equal(priceSell('0.1', '3', 0).grossAmountMxn.toFixed(2), '0.30');
    assert.equal(priceSell('1.15', '100', 0).grossAmountMxn.toFixed(2), '115.00');
    assert.equal(priceSell('1', '1005', '0.5').feeAmountMxn.toFixed(2), '5.03'); // 5.025 exactly
  });

  test('large amounts keep every digit before flooring', () => {
    const p = priceSell('999999.999999', '19.99999999', '10');
    assert.equal(p.grossAmountMxn.toFixed(2), '19999999.98'); // 19999999.98998000000001
    assert.equal(p.feeAmountMxn.toFixed(2), '2000000.00'); // 1999999.998
    assert.equal(p.netAmountMxn.toFixed(2), '17999999.98');
  });
});

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { clabeCheckDigit, validateClabe } from './clabe.validator';

describe('validateClabe', () => {
  test('the MexicoP2P docs example with a corrected check digit passes and names the bank', () => {
    const r = validateClabe('012345678901234568');
    assert.deepEqual(r, {
      ok: true,
      info: { clabe: '012345678901234568', bankCode: '012', bankName: 'BBVA Bancomer' },
    });
  });

  test('the docs example as printed fails the check digit', () => {
    const r = validateClabe('012345678901234567');
    assert.equal(r.ok, false);
    assert.equal(!r.ok && r.problem, 'checksum');
  });

  test('check digit follows the 3-7-1 rule', () => {
    assert.equal(clabeCheckDigit('01234567890123456'), 8);
    // 002 Banamex example from Banxico material: 002010077777777771
    assert.equal(clabeCheckDigit('00201007777777777'), 1);
  });

  test('format problems', () => {
    for (const bad of [
      '',
      '01234567890123456',
      '0123456789012345689',
      '01234567890123456a',
      ' 012345678901234568',
    ]) {
      const r = validateClabe(bad);
      assert.equal(r.ok, false, bad);
      assert.equal(!r.ok && r.problem, 'format', bad);
    }
  });

  test('an unknown bank code fails even with a correct check digit', () => {
    for (const first17 of ['55534567890123456', '99934567890123456']) {
      const r = validateClabe(first17 + String(clabeCheckDigit(first17)));
      assert.equal(r.ok, false, first17);
      assert.equal(!r.ok && r.problem, 'bank', first17);
    }
  });
});

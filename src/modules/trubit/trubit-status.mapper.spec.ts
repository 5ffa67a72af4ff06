import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { isTerminalTrubitStatus, mapTrubitStatus } from './trubit-status.mapper';

describe('TruBit status → partner status', () => {
  test('the architecture table, for numbers and strings', () => {
    const table: Array<[number, string]> = [
      [10, 'ACTIVE'],
      [30, 'ACTIVE'],
      [40, 'LOCKED'],
      [50, 'VERIFIED'],
      [60, 'COMPLETED'],
      [70, 'CANCELLED'],
      [80, 'REJECTED'],
    ];
    for (const [code, partner] of table) {
      assert.equal(mapTrubitStatus(code), partner, `numeric ${code}`);
      assert.equal(mapTrubitStatus(String(code)), partner, `string ${code}`);
      assert.equal(mapTrubitStatus(String(code), 0), partner, `string ${code} hasRefund 0`);
    }
  });

  test('70 with hasRefund=1 is REFUNDED; hasRefund does not change other statuses', () => {
    assert.equal(mapTrubitStatus(70, 1), 'REFUNDED');
    assert.equal(mapTrubitStatus('70', '1'), 'REFUNDED');
    assert.equal(mapTrubitStatus('70', true), 'REFUNDED');
    assert.equal(mapTrubitStatus(70, 0), 'CANCELLED');
    assert.equal(mapTrubitStatus(60, 1), 'COMPLETED');
  });

  test('unknown or malformed → null', () => {
    for (const s of [0, 20, 31, 41, 71, 90, '', 'abc', '60a', null, undefined, 60.5, {}]) {
      assert.equal(mapTrubitStatus(s), null, String(s));
    }
  });

  test('terminal statuses', () => {
    assert.deepEqual([10, 30, 40, 50, 60, 70, 80].map(isTerminalTrubitStatus), [
      false,
      false,
      false,
      false,
      true,
      true,
      true,
    ]);
    assert.equal(isTerminalTrubitStatus('60'), true);
  });
});

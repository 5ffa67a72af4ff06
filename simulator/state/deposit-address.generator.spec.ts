import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { depositAddress, tronAddress } from './deposit-address.generator';

describe('deposit address generator', () => {
  test('TRC20 addresses are 34-char base58 starting with T and deterministic', () => {
    const a = depositAddress('1', 'USDT', 'TRC20');
    assert.match(a, /^T[1-9A-HJ-NP-Za-km-z]{33}$/);
    assert.equal(depositAddress('1', 'USDT', 'TRC20'), a);
    assert.notEqual(depositAddress('2', 'USDT', 'TRC20'), a);
  });

  test('TRON encoding matches a known address (zero body = T9yD14Nj9j7xAB4dbGeiX9h8unkKHxuWwb)', () => {
    assert.equal(tronAddress(Buffer.alloc(20)), 'T9yD14Nj9j7xAB4dbGeiX9h8unkKHxuWwb');
  });

  test('ERC20 addresses are 0x + 40 hex', () => {
    assert.match(depositAddress('1', 'USDT', 'ERC20'), /^0x[0-9a-f]{40}$/);
    assert.notEqual(depositAddress('1', 'USDT', 'ERC20'), depositAddress('1', 'MMXN', 'ERC20'));
  });
});

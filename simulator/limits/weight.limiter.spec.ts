import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { OtcError } from '@sim/common/otc.error';
import type { SimLimits } from '@sim/simulator.options';
import { OrderRateLimiter } from './order-rate.limiter';
import { WeightLimiter } from './weight.limiter';

function errorOf(fn: () => void): OtcError {
  try {
    fn();
  } catch (err) {
    if (err instanceof OtcError) return err;
    throw err;
  }
  assert.fail('expected an OtcError');
}

describe('weight limiter', () => {
  let now = 1_000_000;
  const limits: SimLimits = {
    weightPerWindow: 10,
    windowMs: 60_000,
    banAfter: 2,
    banMs: 1000,
    maxBanMs: 3000,
    ordersPerSecond: 10,
  };
  const limiter = new WeightLimiter(
    () => limits,
    () => now,
  );

  test('charges weights until the budget is spent, then 429 -1003, then 418 after banAfter more', () => {
    limiter.consume('k', 5);
    limiter.consume('k', 5);
    const first = errorOf(() => limiter.consume('k', 1));
    assert.equal(first.httpStatus, 429);
    assert.equal(first.code, -1003);
    assert.match(first.message, /current limit is 10 requests per minute/);
    assert.equal(errorOf(() => limiter.consume('k', 1)).httpStatus, 429);
    assert.equal(errorOf(() => limiter.consume('k', 1)).httpStatus, 429); // banAfter = 2 more 429s tolerated
    const ban = errorOf(() => limiter.consume('k', 1));
    assert.equal(ban.httpStatus, 418);
    assert.equal(ban.code, -1003);
    assert.equal(ban.message, `IP banned until ${now + 1000}`);
    // still banned, even for a cheap call, and other callers are unaffected
    assert.equal(errorOf(() => limiter.consume('k', 1)).httpStatus, 418);
    limiter.consume('other', 10);
  });

  test('after the ban the caller has a fresh budget; a second ban lasts twice as long', () => {
    now += 1001;
    limiter.consume('k', 10);
    for (let i = 0; i < 3; i++) assert.equal(errorOf(() => limiter.consume('k', 1)).httpStatus, 429);
    assert.equal(errorOf(() => limiter.consume('k', 1)).message, `IP banned until ${now + 2000}`);
  });

  test('a new window restores the budget', () => {
    now += 10 * 60_000;
    limiter.consume('w', 10);
    assert.equal(errorOf(() => limiter.consume('w', 1)).httpStatus, 429);
    now += 60_000;
    limiter.consume('w', 10);
  });
});

describe('order rate limiter', () => {
  test('allows N per sliding second, then 429 -1015', () => {
    let now = 0;
    const limiter = new OrderRateLimiter(
      () => 3,
      () => now,
    );
    limiter.consume('k');
    limiter.consume('k');
    limiter.consume('k');
    const err = errorOf(() => limiter.consume('k'));
    assert.equal(err.code, -1015);
    assert.equal(err.httpStatus, 429);
    now = 999;
    assert.equal(errorOf(() => limiter.consume('k')).code, -1015);
    now = 1000;
    limiter.consume('k');
  });
});

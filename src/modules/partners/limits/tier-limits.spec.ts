import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { resolveLimits, TIER_LIMITS } from './tier-limits';

describe('tier limits', () => {
  test('tiers carry the documented per-minute budgets and user/volume caps', () => {
    assert.equal(TIER_LIMITS.FREE.requestsPerMinute, 50);
    assert.equal(TIER_LIMITS.GROWTH.requestsPerMinute, 200);
    assert.equal(TIER_LIMITS.ENTERPRISE.requestsPerMinute, 1000);
    assert.equal(TIER_LIMITS.FREE.monthlyUsers, 10);
    assert.equal(TIER_LIMITS.GROWTH.monthlyVolumeMxn, 1_000_000);
    assert.equal(TIER_LIMITS.ENTERPRISE.monthlyUsers, null);
    assert.equal(TIER_LIMITS.FREE.revenueSharePercent, 30);
    assert.equal(TIER_LIMITS.GROWTH.revenueSharePercent, 20);
  });

  test('operator overrides win field by field, null meaning unlimited', () => {
    const l = resolveLimits('FREE', { requestsPerMinute: 5, monthlyUsers: null });
    assert.equal(l.requestsPerMinute, 5);
    assert.equal(l.monthlyUsers, null);
    assert.equal(l.monthlyVolumeMxn, 50_000);
  });

  test('no overrides gives a copy of the tier', () => {
    const l = resolveLimits('GROWTH', null);
    assert.deepEqual(l, TIER_LIMITS.GROWTH);
    assert.notEqual(l, TIER_LIMITS.GROWTH);
  });
});

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { newId } from './ids';

describe('ids', () => {
  test('prefix, 9 base36 time characters, then the random part, all lowercase base36', () => {
    const before = Date.now();
    const id = newId.order();
    assert.match(id, /^ord_[0-9a-z]{9}[0-9a-z]{14}$/);
    const at = parseInt(id.slice(4, 13), 36);
    assert.ok(at >= before && at <= Date.now());
    assert.match(newId.user(), /^c[0-9a-z]{9}[0-9a-z]{15}$/);
  });

  test('ids sort by creation time across milliseconds', async () => {
    const first = newId.event();
    await new Promise((r) => setTimeout(r, 5));
    assert.ok(newId.event() > first);
  });

  test('no two of 100,000 ids (many drawn from the same refill of the random pool) are equal', () => {
    const ids = new Set(Array.from({ length: 100_000 }, () => newId.delivery()));
    assert.equal(ids.size, 100_000);
  });

  test('every character of the random part is equally likely (no modulo bias)', () => {
    // 36 × 20,000 characters: each count is 20,000 ± a few hundred. With `byte % 36` over all 256 byte values,
    // '0'…'3' come up 8/7 as often (≈ 22,800), far outside that band.
    const counts = new Map<string, number>();
    for (let i = 0; i < (36 * 20_000) / 14; i++)
      for (const c of newId.quote().slice(12)) counts.set(c, (counts.get(c) ?? 0) + 1);
    const total = [...counts.values()].reduce((a, b) => a + b, 0);
    const expected = total / 36;
    assert.equal(counts.size, 36);
    for (const [c, n] of counts)
      assert.ok(Math.abs(n - expected) < 0.05 * expected, `${c}: ${n} vs ${expected}`);
  });
});

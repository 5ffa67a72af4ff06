import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { RecentlyEnqueued } from './recently-enqueued';

describe('recently enqueued callback ids', () => {
  test('an id counts for the ttl, then not', () => {
    const r = new RecentlyEnqueued(1000, 10);
    r.addAll(['1', '2'], 0);
    assert.equal(r.has('1', 999), true);
    assert.equal(r.has('1', 1000), false);
    assert.equal(r.has('3', 0), false);
  });

  test('oldest entries leave first when full; adding again refreshes an entry', () => {
    const r = new RecentlyEnqueued(60_000, 3);
    r.addAll(['1', '2', '3'], 0);
    r.addAll(['1'], 1); // refreshed: now the newest
    r.addAll(['4'], 2);
    assert.deepEqual(
      ['1', '2', '3', '4'].map((id) => r.has(id, 3)),
      [true, false, true, true],
    );
  });

  test('expired entries are dropped as new ones come', () => {
    const r = new RecentlyEnqueued(10, 100);
    r.addAll(['1', '2'], 0);
    r.addAll(['3'], 20);
    assert.equal(r.has('1', 20), false);
    assert.equal(r.has('3', 20), true);
  });
});

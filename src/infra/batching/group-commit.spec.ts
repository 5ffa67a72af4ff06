import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { GroupCommit } from './group-commit';

const tick = () => new Promise((r) => setImmediate(r));

describe('GroupCommit', () => {
  it('writes items submitted in the same turn as one batch, in order, and resolves each with its result', async () => {
    const batches: number[][] = [];
    const gc = new GroupCommit<number, string>(
      async (items) => {
        batches.push(items);
        return items.map((n) => `r${n}`);
      },
      { maxBatch: 100, concurrency: 1 },
    );
    const results = await Promise.all([1, 2, 3].map((n) => gc.submit(n)));
    assert.deepEqual(results, ['r1', 'r2', 'r3']);
    assert.deepEqual(batches, [[1, 2, 3]]);
  });

  it('collects what arrives during a write into the next batch, never more than maxBatch at once', async () => {
    const batches: number[][] = [];
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const gc = new GroupCommit<number, number>(
      async (items) => {
        batches.push(items);
        if (batches.length === 1) await gate;
        return items;
      },
      { maxBatch: 3, concurrency: 1 },
    );
    const first = gc.submit(0);
    await tick();
    const rest = [1, 2, 3, 4, 5, 6, 7].map((n) => gc.submit(n));
    await tick();
    assert.equal(gc.waiting, 7, 'while the first write runs, later items wait');
    release();
    assert.deepEqual(await Promise.all([first, ...rest]), [0, 1, 2, 3, 4, 5, 6, 7]);
    assert.deepEqual(batches, [[0], [1, 2, 3], [4, 5, 6], [7]]);
  });

  it('runs up to `concurrency` writes at the same time', async () => {
    let active = 0;
    let peak = 0;
    const gc = new GroupCommit<number, number>(
      async (items) => {
        active++;
        peak = Math.max(peak, active);
        await new Promise((r) => setTimeout(r, 5));
        active--;
        return items;
      },
      { maxBatch: 1, concurrency: 3 },
    );
    await Promise.all(Array.from({ length: 9 }, (_, i) => gc.submit(i)));
    assert.equal(peak, 3);
  });

  it('rejects only the item whose result is an Error', async () => {
    const gc = new GroupCommit<number, number>(async (items) =>
      items.map((n) => (n === 2 ? new Error('bad 2') : n * 10)),
    );
    const settled = await Promise.allSettled([1, 2, 3].map((n) => gc.submit(n)));
    assert.deepEqual(
      settled.map((s) => (s.status === 'fulfilled' ? s.value : (s.reason as Error).message)),
      [10, 'bad 2', 30],
    );
  });

  it('rejects the whole batch when the write throws or miscounts, and keeps serving later items', async () => {
    let calls = 0;
    const gc = new GroupCommit<number, number>(
      async (items) => {
        calls++;
        if (calls === 1) throw new Error('connection lost');
        if (calls === 2) return [];
        return items;
      },
      { maxBatch: 10, concurrency: 1 },
    );
    await assert.rejects(Promise.all([gc.submit(1), gc.submit(2)]), /connection lost/);
    await assert.rejects(gc.submit(3), /0 results for 1 items/);
    assert.equal(await gc.submit(4), 4);
  });

  it('with splitOnError, writes a failed batch again item by item so only the bad item fails', async () => {
    const calls: number[][] = [];
    const gc = new GroupCommit<number, number>(
      async (items) => {
        calls.push(items);
        if (items.includes(2)) throw new Error('numeric field overflow');
        return items;
      },
      { maxBatch: 10, concurrency: 1, splitOnError: true },
    );
    const settled = await Promise.allSettled([1, 2, 3].map((n) => gc.submit(n)));
    assert.deepEqual(
      settled.map((s) => (s.status === 'fulfilled' ? s.value : (s.reason as Error).message)),
      [1, 'numeric field overflow', 3],
    );
    assert.deepEqual(calls, [[1, 2, 3], [1], [2], [3]]);
  });
});

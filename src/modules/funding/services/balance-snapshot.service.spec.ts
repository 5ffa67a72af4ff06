import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Clock } from '@app/infra/clock/clock';
import type { RedisService } from '@app/infra/redis/redis.service';
import type { TrubitApi } from '@app/modules/trubit/trubit-api.interface';
import type { FundingAccount } from '../accounts/funding-accounts';
import { BalanceSnapshots } from './balance-snapshot.service';

const account: FundingAccount = { id: 'acc1', apiKey: 'key1', credentials: undefined };
const flush = () => new Promise((r) => setImmediate(r));

function setup() {
  let nowMs = 1_000_000;
  let free = 100;
  const reads: number[] = [];
  const store = new Map<string, string>();
  const trubit = {
    getAccount: async () => {
      reads.push(nowMs);
      return { balances: [{ asset: 'USDT', free: String(free), locked: '0', total: String(free) }] };
    },
  } as unknown as TrubitApi;
  const redis = {
    key: (...parts: string[]) => parts.join(':'),
    client: {
      get: async (k: string) => store.get(k) ?? null,
      set: async (k: string, v: string) => void store.set(k, v),
    },
  } as unknown as RedisService;
  const clock = { nowMs: () => nowMs, now: () => new Date(nowMs) };
  return {
    snapshots: new BalanceSnapshots(trubit, redis, clock),
    reads,
    store,
    advance: (ms: number) => (nowMs += ms),
    setFree: (n: number) => (free = n),
  };
}

describe('BalanceSnapshots', () => {
  it('reuses a snapshot younger than the allowed age without asking TruBit again', async () => {
    const t = setup();
    const first = await t.snapshots.get(account, 1000);
    t.advance(500);
    const second = await t.snapshots.get(account, 1000);
    assert.equal(t.reads.length, 1);
    assert.equal(second, first);
  });

  it('past 3/4 of the allowed age answers from the snapshot and refreshes it in the background', async () => {
    const t = setup();
    await t.snapshots.get(account, 1000);
    t.advance(800);
    t.setFree(50);
    const served = await t.snapshots.get(account, 1000);
    assert.equal(served.balances[0].free, '100', 'the caller did not wait for TruBit');
    await flush();
    assert.equal(t.reads.length, 2, 'one background read');
    const next = await t.snapshots.get(account, 1000);
    assert.equal(next.balances[0].free, '50');
    assert.equal(t.reads.length, 2);
  });

  it('never serves a snapshot older than the allowed age: it waits for a fresh read', async () => {
    const t = setup();
    await t.snapshots.get(account, 1000);
    t.advance(1500);
    t.setFree(7);
    const fresh = await t.snapshots.get(account, 1000);
    assert.equal(fresh.balances[0].free, '7');
    assert.equal(t.reads.length, 2);
  });

  it('adopts a newer snapshot another instance shared through Redis', async () => {
    const a = setup();
    await a.snapshots.get(account, 1000);
    const other = new BalanceSnapshots(
      { getAccount: async () => assert.fail('must not ask TruBit') } as unknown as TrubitApi,
      {
        key: (...parts: string[]) => parts.join(':'),
        client: { get: async (k: string) => a.store.get(k) ?? null, set: async () => undefined },
      } as unknown as RedisService,
      { nowMs: () => 1_000_100 } as unknown as Clock,
    );
    const shared = await other.get(account, 1000);
    assert.equal(shared.balances[0].free, '100');
  });

  it('maxAge 0 always reads TruBit, and concurrent callers share one read', async () => {
    const t = setup();
    await Promise.all([
      t.snapshots.get(account, 0),
      t.snapshots.get(account, 0),
      t.snapshots.get(account, 0),
    ]);
    assert.equal(t.reads.length, 1);
    await t.snapshots.get(account, 0);
    assert.equal(t.reads.length, 2);
  });
});

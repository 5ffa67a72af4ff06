import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { RedisService } from '@app/infra/redis/redis.service';
import { OUTBOX_CHANNEL, OutboxNudge } from './outbox.nudge';

/** A Redis whose PUBLISH replies only when the test says so. */
function fakeRedis() {
  const pending: Array<() => void> = [];
  const published: string[] = [];
  const redis = {
    publish: (channel: string) => {
      published.push(channel);
      return new Promise<number>((resolve) => pending.push(() => resolve(1)));
    },
  };
  const answer = async () => {
    pending.shift()?.();
    await new Promise((r) => setImmediate(r));
  };
  return { redis: redis as unknown as RedisService, published, pending, answer };
}

describe('OutboxNudge', () => {
  test('a lone nudge publishes once on the outbox channel', async () => {
    const f = fakeRedis();
    new OutboxNudge(f.redis).nudge();
    assert.deepEqual(f.published, [OUTBOX_CHANNEL]);
    await f.answer();
    assert.equal(f.published.length, 1);
  });

  test('nudges during an in-flight publish coalesce into exactly one more, sent after it', async () => {
    const f = fakeRedis();
    const nudge = new OutboxNudge(f.redis);
    nudge.nudge();
    for (let i = 0; i < 100; i++) nudge.nudge();
    assert.equal(f.published.length, 1, 'nothing more while the first is in flight');
    await f.answer();
    assert.equal(f.published.length, 2, 'one publish for the hundred nudges that came meanwhile');
    await f.answer();
    assert.equal(f.published.length, 2, 'and no more once they are covered');
    nudge.nudge();
    assert.equal(f.published.length, 3, 'idle again: the next nudge publishes at once');
  });

  test('a failed publish does not stop later nudges', async () => {
    const f = fakeRedis();
    const redis = f.redis as unknown as { publish: (c: string) => Promise<number> };
    const real = redis.publish;
    redis.publish = () => (f.published.push('x'), Promise.reject(new Error('redis down')));
    const nudge = new OutboxNudge(f.redis);
    nudge.nudge();
    await new Promise((r) => setImmediate(r));
    redis.publish = real;
    nudge.nudge();
    assert.deepEqual(f.published, ['x', OUTBOX_CHANNEL]);
  });
});

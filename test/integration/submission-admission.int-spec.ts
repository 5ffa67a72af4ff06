// Each TruBit account's submission line against the real Redis: jobs are admitted in arrival order, only the
// first `heads` at a time (across worker instances, whatever their clocks say), a job keeps its place when it
// asks again, leaving wakes the job that has just become a head, accounts do not share a line, and a job gone
// silent is dropped.
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { RedisService } from '@app/infra/redis/redis.service';
import type { FundingAccount } from '@app/modules/funding/accounts/funding-accounts';
import { PARKED_MS, SubmissionAdmission } from '@app/modules/orders/submission/submission.admission';
import { testConfig } from '@test/support/test-config';

describe('submission admission: one first-come line per TruBit account', () => {
  // 2 order/add a second: 4 heads.
  const config = testConfig({ TRUBIT_ORDERS_PER_SECOND: '2' });
  const redisA = new RedisService(config);
  const redisB = new RedisService(config);
  const a = new SubmissionAdmission(redisA, config);
  const b = new SubmissionAdmission(redisB, config);
  after(async () => {
    await redisA.onModuleDestroy();
    await redisB.onModuleDestroy();
  });
  const account = (): FundingAccount => ({
    id: randomBytes(8).toString('hex'),
    apiKey: 'k',
    credentials: undefined,
  });
  const pause = () => new Promise((r) => setTimeout(r, 3));

  test('the first `heads` jobs to arrive are admitted, from any instance; the rest wait in arrival order', async () => {
    assert.equal(a.heads, 4);
    const acc = account();
    const admitted: boolean[] = [];
    for (let i = 0; i < 7; i++) {
      admitted.push(await (i % 2 ? a : b).admit(acc, `job${i}`));
      await pause(); // distinct arrival times
    }
    assert.deepEqual(admitted, [true, true, true, true, false, false, false]);
    // Asking again keeps the place in line (job4 is still fifth, job0 still first).
    assert.equal(await a.admit(acc, 'job4'), false);
    assert.equal(await b.admit(acc, 'job0'), true);

    // A head leaves: the fifth to arrive is woken, and is admitted when it asks; the sixth still waits.
    assert.equal(await a.leave(acc, 'job2'), 'job4');
    assert.equal(await b.admit(acc, 'job4'), true);
    assert.equal(await b.admit(acc, 'job5'), false);
    // A job that was never a head leaving changes no one's turn but still names the current fourth.
    assert.equal(await a.leave(acc, 'job6'), 'job4');
    assert.equal(await a.leave(acc, 'job0'), 'job5');
    assert.equal(await a.admit(acc, 'job5'), true);
  });

  test('a job arriving after the line formed waits behind it, even when it asks before them', async () => {
    const acc = account();
    for (let i = 0; i < 5; i++) {
      await a.admit(acc, `early${i}`);
      await pause();
    }
    assert.equal(await a.admit(acc, 'late'), false);
    await a.leave(acc, 'early0');
    assert.equal(await a.admit(acc, 'late'), false, 'early4 is ahead of it');
    assert.equal(await a.admit(acc, 'early4'), true);
  });

  test("arrival order is the order the joins reach Redis, not the instances' clocks", async (t) => {
    const clock = { now: Date.now() };
    t.mock.method(Date, 'now', () => clock.now);
    // Five jobs in one millisecond, their ids in reverse order: the fifth still waits.
    const sameMs = account();
    const ids = ['job-z', 'job-y', 'job-x', 'job-w', 'job-v'];
    const admitted: boolean[] = [];
    for (const id of ids) admitted.push(await a.admit(sameMs, id));
    assert.deepEqual(admitted, [true, true, true, true, false]);
    assert.equal(await a.leave(sameMs, 'job-x'), 'job-v');

    // An instance whose clock runs two seconds behind the other's joins last, and is behind those who came first.
    const skewed = account();
    clock.now += 1000;
    for (let i = 0; i < 4; i++) await a.admit(skewed, `ahead${i}`);
    clock.now -= 2000;
    assert.equal(await b.admit(skewed, 'behind'), false);
    assert.equal(await a.admit(skewed, 'ahead0'), true);
  });

  test('accounts do not share a line', async () => {
    const busy = account();
    const other = account();
    for (let i = 0; i < 10; i++) await a.admit(busy, `b${i}`);
    assert.equal(await a.admit(busy, 'b-late'), false);
    assert.equal(await a.admit(other, 'o1'), true);
  });

  test('a job that stops asking (its worker died) is dropped from the line after four parking periods', async () => {
    const acc = account();
    const key = (what: string) => redisA.key('sub', `{${acc.id}}`, what);
    for (let i = 0; i < 4; i++) await a.admit(acc, `gone${i}`);
    assert.equal(await a.admit(acc, 'waiting'), false);
    // The four heads were last seen long ago (as if their process was killed mid-submission).
    const old = Date.now() - 4 * PARKED_MS - 1000;
    for (let i = 0; i < 4; i++) await redisA.client.zadd(key('seen'), old, `gone${i}`);
    assert.equal(await a.admit(acc, 'waiting'), true);
    assert.equal(await redisA.client.zcard(key('line')), 1);
  });
});

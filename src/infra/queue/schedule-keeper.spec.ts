import assert from 'node:assert/strict';
import { describe, it, mock } from 'node:test';
import { RESCHEDULE_EVERY_MS, ScheduleKeeper } from './schedule-keeper';

describe('ScheduleKeeper', () => {
  it('upserts every schedule at start and again every minute until stopped', async () => {
    mock.timers.enable({ apis: ['setInterval'] });
    try {
      const calls: Array<[string, number, string]> = [];
      const queue = {
        upsertJobScheduler: async (id: string, repeat: { every?: number }, tpl?: { name?: string }) => {
          calls.push([id, repeat.every!, tpl!.name!]);
          return undefined as never;
        },
      };
      const keeper = new ScheduleKeeper(
        queue,
        [
          { id: 'a', everyMs: 1000, jobName: 'job-a' },
          { id: 'b', everyMs: 5000, jobName: 'job-b' },
        ],
        { warn: () => {} },
      );
      await keeper.start();
      assert.deepEqual(calls, [
        ['a', 1000, 'job-a'],
        ['b', 5000, 'job-b'],
      ]);
      mock.timers.tick(RESCHEDULE_EVERY_MS);
      await new Promise((r) => setImmediate(r));
      assert.equal(calls.length, 4, 'registered again after a minute (Redis may have lost them)');
      keeper.stop();
      mock.timers.tick(RESCHEDULE_EVERY_MS * 3);
      await new Promise((r) => setImmediate(r));
      assert.equal(calls.length, 4, 'nothing after stop()');
    } finally {
      mock.timers.reset();
    }
  });

  it('a failed re-registration is logged, and the next minute tries again', async () => {
    mock.timers.enable({ apis: ['setInterval'] });
    try {
      let n = 0;
      const warnings: string[] = [];
      const keeper = new ScheduleKeeper(
        {
          upsertJobScheduler: async () => {
            n++;
            if (n === 2) throw new Error('Connection is closed');
            return undefined as never;
          },
        },
        [{ id: 'a', everyMs: 1000, jobName: 'job-a' }],
        { warn: (m: string) => void warnings.push(m) },
      );
      await keeper.start();
      mock.timers.tick(RESCHEDULE_EVERY_MS);
      await new Promise((r) => setImmediate(r));
      assert.match(warnings[0], /re-registering schedules a failed: Connection is closed/);
      mock.timers.tick(RESCHEDULE_EVERY_MS);
      await new Promise((r) => setImmediate(r));
      assert.equal(n, 3);
      keeper.stop();
    } finally {
      mock.timers.reset();
    }
  });
});

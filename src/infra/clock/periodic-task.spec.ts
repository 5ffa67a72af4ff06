import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Logger } from '@nestjs/common';
import { PeriodicTask } from './periodic-task';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('PeriodicTask', () => {
  test('never overlaps runs, survives a failing run, and stop() waits for the run in progress', async () => {
    let active = 0;
    let maxActive = 0;
    let runs = 0;
    let finished = 0;
    const task = new PeriodicTask(new Logger('test', { timestamp: false }), 5, async () => {
      runs++;
      active++;
      maxActive = Math.max(maxActive, active);
      await sleep(30);
      active--;
      finished++;
      if (runs === 1) throw new Error('first run fails');
    });
    Logger.overrideLogger(false);
    task.start();
    await sleep(120);
    await task.stop();
    assert.equal(maxActive, 1);
    assert.ok(runs >= 2, `runs ${runs}`);
    assert.equal(finished, runs);
    const after = runs;
    await sleep(40);
    assert.equal(runs, after);
  });
});

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  RETRY_AFTER_CAP_MS,
  decideAttempt,
  parseRetryAfter,
  scheduledDelayMs,
  seriesIndex,
} from './delivery.policy';

const SCHEDULE = [0, 5000, 300_000, 1_800_000, 7_200_000];
const noJitter = () => 0;

describe('delivery policy', () => {
  test('2xx delivers', () => {
    for (const code of [200, 201, 204, 299]) {
      const d = decideAttempt(
        { kind: 'response', statusCode: code, retryAfterMs: null },
        1,
        5,
        SCHEDULE,
        10_000,
      );
      assert.equal(d.status, 'DELIVERED');
      assert.equal(d.errorMessage, null);
    }
  });

  test('schedule 0 s, 5 s, 5 min, 30 min, 2 h: the delay before attempt n+1 follows attempt n', () => {
    const delays = [1, 2, 3, 4].map(
      (n) =>
        decideAttempt(
          { kind: 'response', statusCode: 500, retryAfterMs: null },
          n,
          5,
          SCHEDULE,
          10_000,
          noJitter,
        ).nextDelayMs,
    );
    assert.deepEqual(delays, [5000, 300_000, 1_800_000, 7_200_000]);
  });

  test('the fifth failure is final', () => {
    const d = decideAttempt({ kind: 'timeout' }, 5, 5, SCHEDULE, 10_000);
    assert.equal(d.status, 'FAILED');
    assert.match(d.errorMessage!, /no response within 10000 ms \(after 5 attempts\)/);
  });

  test('jitter adds at most 20 % and never makes a delay shorter', () => {
    assert.equal(
      scheduledDelayMs(SCHEDULE, 1, () => 0),
      5000,
    );
    assert.equal(
      scheduledDelayMs(SCHEDULE, 1, () => 0.999999),
      6000,
    );
    assert.equal(
      scheduledDelayMs(SCHEDULE, 0, () => 0.5),
      0,
    );
  });

  test('Retry-After on 429/503 pushes the next attempt out, capped; ignored on other codes', () => {
    const r429 = decideAttempt(
      { kind: 'response', statusCode: 429, retryAfterMs: 120_000 },
      1,
      5,
      SCHEDULE,
      1,
      noJitter,
    );
    assert.equal(r429.nextDelayMs, 120_000);
    const r503 = decideAttempt(
      { kind: 'response', statusCode: 503, retryAfterMs: 1e9 },
      1,
      5,
      SCHEDULE,
      1,
      noJitter,
    );
    assert.equal(r503.nextDelayMs, RETRY_AFTER_CAP_MS);
    const short = decideAttempt(
      { kind: 'response', statusCode: 429, retryAfterMs: 1000 },
      2,
      5,
      SCHEDULE,
      1,
      noJitter,
    );
    assert.equal(short.nextDelayMs, 300_000); // never sooner than the schedule
    const r500 = decideAttempt(
      { kind: 'response', statusCode: 500, retryAfterMs: 120_000 },
      1,
      5,
      SCHEDULE,
      1,
      noJitter,
    );
    assert.equal(r500.nextDelayMs, 5000);
  });

  test('410 fails and disables; a refused target fails at once; redirects are failures', () => {
    const gone = decideAttempt({ kind: 'response', statusCode: 410, retryAfterMs: null }, 1, 5, SCHEDULE, 1);
    assert.equal(gone.status, 'FAILED');
    assert.equal(gone.disableEndpoint, true);
    const refused = decideAttempt({ kind: 'refused', message: 'private target' }, 1, 5, SCHEDULE, 1);
    assert.equal(refused.status, 'FAILED');
    assert.equal(refused.errorMessage, 'private target');
    const moved = decideAttempt({ kind: 'response', statusCode: 302, retryAfterMs: null }, 1, 5, SCHEDULE, 1);
    assert.equal(moved.status, 'PENDING');
    assert.match(moved.errorMessage!, /redirects are not followed/);
  });

  test('Retry-After parsing: seconds and HTTP dates', () => {
    const now = Date.parse('2025-01-01T00:00:00Z');
    assert.equal(parseRetryAfter('7', now), 7000);
    assert.equal(parseRetryAfter('Wed, 01 Jan 2025 00:00:30 GMT', now), 30_000);
    assert.equal(parseRetryAfter('soon', now), null);
    assert.equal(parseRetryAfter(undefined, now), null);
  });

  test('a retry series restarts the schedule: attempts keep counting, maxAttempts grows by the schedule length', () => {
    assert.equal(seriesIndex(1, 5, 5), 1);
    assert.equal(seriesIndex(5, 10, 5), 0); // first attempt of the second series
    assert.equal(seriesIndex(6, 10, 5), 1);
    assert.equal(seriesIndex(9, 10, 5), 4);
  });
});

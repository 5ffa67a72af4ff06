import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startOfUtcMonth } from './utc-month';

describe('startOfUtcMonth', () => {
  test('is midnight UTC of the first day, whatever the local offset of the instant', () => {
    assert.equal(
      startOfUtcMonth(new Date('2026-03-31T23:59:59.999Z')).toISOString(),
      '2026-03-01T00:00:00.000Z',
    );
    assert.equal(
      startOfUtcMonth(new Date('2026-04-01T00:00:00.000Z')).toISOString(),
      '2026-04-01T00:00:00.000Z',
    );
    assert.equal(
      startOfUtcMonth(new Date('2026-04-01T00:30:00.000+02:00')).toISOString(),
      '2026-03-01T00:00:00.000Z',
    );
  });
});

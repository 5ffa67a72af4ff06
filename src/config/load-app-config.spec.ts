import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ConfigError, loadAppConfig } from './load-app-config';

const valid = {
  DATABASE_URL: 'postgresql://u@127.0.0.1:5432/db',
  REDIS_URL: 'redis://127.0.0.1:6379',
  ADMIN_TOKEN: 'a-long-enough-admin-token',
  MASTER_KEY: 'ab'.repeat(32),
  TRUBIT_API_KEY: 'k',
  TRUBIT_API_SECRET: 's',
};

describe('loadAppConfig', () => {
  test('applies defaults and types', () => {
    const c = loadAppConfig({ ...valid, PORT: '4000', TRUSTED_PROXIES: '10.0.0.0/8, 127.0.0.1' });
    assert.equal(c.http.port, 4000);
    assert.equal(c.http.bodyLimitBytes, 65536);
    assert.deepEqual(c.http.trustedProxies, ['10.0.0.0/8', '127.0.0.1']);
    assert.equal(c.masterKey.length, 32);
    assert.equal(c.trubit.limiter.weightPerMinute, 1200);
    assert.equal(c.trading.kycThresholdMxn, 32000);
    assert.deepEqual(c.retention, { outboxDays: 7, foreignCallbackDays: 30 });
    const keepAll = loadAppConfig({
      ...valid,
      OUTBOX_RETENTION_DAYS: '0',
      CALLBACK_FOREIGN_RETENTION_DAYS: '0',
    });
    assert.deepEqual(keepAll.retention, { outboxDays: 0, foreignCallbackDays: 0 });
  });

  test('names every missing variable', () => {
    assert.throws(
      () => loadAppConfig({}),
      (err: unknown) => {
        assert.ok(err instanceof ConfigError);
        for (const name of ['DATABASE_URL', 'REDIS_URL', 'ADMIN_TOKEN', 'MASTER_KEY', 'TRUBIT_API_KEY']) {
          assert.match(err.message, new RegExp(name));
        }
        return true;
      },
    );
  });

  test('names a variable with a bad value', () => {
    assert.throws(() => loadAppConfig({ ...valid, PORT: 'eighty' }), /PORT/);
    assert.throws(() => loadAppConfig({ ...valid, MASTER_KEY: 'short' }), /MASTER_KEY/);
    assert.throws(() => loadAppConfig({ ...valid, DATABASE_URL: 'mysql://x' }), /DATABASE_URL/);
    assert.throws(() => loadAppConfig({ ...valid, ADMIN_TOKEN: 'short' }), /ADMIN_TOKEN/);
    assert.throws(() => loadAppConfig({ ...valid, OUTBOX_RETENTION_DAYS: '-1' }), /OUTBOX_RETENTION_DAYS/);
  });

  test('accepts a base64 master key', () => {
    const c = loadAppConfig({ ...valid, MASTER_KEY: Buffer.alloc(32, 7).toString('base64') });
    assert.equal(c.masterKey[0], 7);
  });
});

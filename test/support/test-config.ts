import { randomBytes } from 'node:crypto';
import { AppConfig } from '@app/config/app-config';
import { loadAppConfig } from '@app/config/load-app-config';

/**
 * A valid AppConfig for tests: the run's isolated database (DATABASE_URL from `npm test`), the real Redis
 * under a key prefix unique to this call, and fast bcrypt. Overrides are raw environment variables.
 */
export function testConfig(overrides: Record<string, string | undefined> = {}): AppConfig {
  const runPrefix = process.env.REDIS_PREFIX ?? `t:${Date.now().toString(36)}:`;
  return loadAppConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'silent',
    DATABASE_URL: process.env.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/test',
    REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
    REDIS_PREFIX: `${runPrefix}${randomBytes(4).toString('hex')}:`,
    ADMIN_TOKEN: 'test-admin-token-0123456789',
    MASTER_KEY: randomBytes(32).toString('hex'),
    BCRYPT_COST: '4',
    TRUBIT_API_KEY: 'operator-key',
    TRUBIT_API_SECRET: 'operator-secret',
    WEBHOOK_ALLOW_INSECURE: 'true',
    HOST: '127.0.0.1',
    PORT: '0',
    ...overrides,
  });
}

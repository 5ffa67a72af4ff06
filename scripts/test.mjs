#!/usr/bin/env node
// `npm test`: builds once, makes sure Postgres and Redis are up, creates an isolated database and Redis
// key prefix for this run, applies the migrations, then runs the tiers in order (unit, integration, e2e, chaos)
// with Node's test runner. Exits non-zero if any tier fails. `npm test -- unit e2e` runs only those tiers.
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { ensureServices } from './lib/services.mjs';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const TIERS = {
  unit: {
    dirs: ['dist/src', 'dist/simulator', 'dist/test/unit', 'dist/sdk'],
    suffix: '.spec.js',
    concurrency: 2,
  },
  integration: { dirs: ['dist/test/integration'], suffix: '.int-spec.js', concurrency: 1 },
  e2e: { dirs: ['dist/test/e2e'], suffix: '.e2e-spec.js', concurrency: 1 },
  chaos: { dirs: ['dist/test/chaos'], suffix: '.chaos-spec.js', concurrency: 1 },
};

function findFiles(dir, suffix) {
  const abs = path.join(root, dir);
  let entries;
  try {
    entries = readdirSync(abs);
  } catch {
    return [];
  }
  const out = [];
  for (const name of entries) {
    const rel = path.join(dir, name);
    if (statSync(path.join(root, rel)).isDirectory()) out.push(...findFiles(rel, suffix));
    else if (name.endsWith(suffix)) out.push(rel);
  }
  return out.sort();
}

function run(cmd, args, env = process.env) {
  const res = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', env });
  return res.status ?? 1;
}

const requested = process.argv.slice(2).filter((a) => !a.startsWith('-'));
const tiers = requested.length ? requested : ['unit', 'integration', 'e2e', 'chaos'];
for (const t of tiers)
  if (!TIERS[t]) throw new Error(`unknown test tier "${t}" (known: ${Object.keys(TIERS)})`);

await ensureServices();
if (!process.argv.includes('--no-build') && run('npm', ['run', '--silent', 'build']) !== 0) process.exit(1);

const runId = `${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
const adminUrl = new URL(process.env.TEST_DATABASE_ADMIN_URL ?? 'postgresql://postgres@127.0.0.1:5432/test');
const dbName = `gw_test_${runId}`;
const databaseUrl = new URL(adminUrl);
databaseUrl.pathname = `/${dbName}`;

const admin = new pg.Client({ connectionString: adminUrl.toString() });
await admin.connect();
await admin.query(`CREATE DATABASE "${dbName}"`);
let failed = false;
try {
  // The wasm schema engine needs --experimental-wasm-modules, so migrations run in a child process.
  const migrated = spawnSync(
    process.execPath,
    ['--experimental-wasm-modules', '--no-warnings', 'scripts/db/migrate.mjs'],
    {
      cwd: root,
      stdio: 'inherit',
      env: { ...process.env, DATABASE_URL: databaseUrl.toString() },
    },
  );
  if (migrated.status !== 0) throw new Error('applying migrations to the test database failed');
  const env = {
    ...process.env,
    NODE_ENV: 'test',
    DATABASE_URL: databaseUrl.toString(),
    REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
    REDIS_PREFIX: `t:${runId}:`,
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'silent',
    NODE_OPTIONS: [process.env.NODE_OPTIONS, '--enable-source-maps'].filter(Boolean).join(' '),
  };
  for (const tier of tiers) {
    const spec = TIERS[tier];
    // TEST_FILTER=<regexp> runs only the files whose path matches (a quick loop while working on one area).
    const filter = process.env.TEST_FILTER ? new RegExp(process.env.TEST_FILTER) : null;
    const files = spec.dirs
      .flatMap((d) => findFiles(d, spec.suffix))
      .filter((f) => !filter || filter.test(f));
    if (!files.length) {
      console.log(`\n# ${tier}: no test files`);
      continue;
    }
    console.log(`\n# ${tier}: ${files.length} file(s)`);
    const code = run(
      process.execPath,
      // --test-force-exit: a file whose tests finished but left a handle open (a socket, a timer) must not hang CI.
      [
        '--test',
        '--test-force-exit',
        `--test-concurrency=${spec.concurrency}`,
        '--test-timeout=300000',
        ...files,
      ],
      env,
    );
    if (code !== 0) {
      failed = true;
      console.error(`\n# ${tier} tier FAILED`);
      if (!process.argv.includes('--keep-going')) break;
    }
  }
} finally {
  await admin.query(`DROP DATABASE IF EXISTS "${dbName}" WITH (FORCE)`).catch(() => {});
  await admin.end();
  await cleanupRedis(`t:${runId}:`).catch(() => {});
}
process.exit(failed ? 1 : 0);

async function cleanupRedis(prefix) {
  const { Redis } = await import('ioredis');
  const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', { lazyConnect: true });
  await redis.connect();
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
    if (keys.length) await redis.unlink(...keys);
    cursor = next;
  } while (cursor !== '0');
  await redis.quit();
}

#!/usr/bin/env node
// `npm run bench [-- scenario …]`: starts the gateway stack (simulator + API + worker) on a fresh database and
// Redis prefix, runs each scenario against its baseline measured in the same run with the same load tool,
// prints a summary table (ratios, p50/p99), and writes bench/results/latest.json + latest.svg.
import path from 'node:path';
import { generateKeyPairSync } from 'node:crypto';
import pg from 'pg';
import { Redis } from 'ioredis';
import { startStack } from '../scripts/lib/stack.mjs';
import { report } from './lib/report.mjs';

const here = path.dirname(new URL(import.meta.url).pathname);
// Scenarios always run in this order, whatever order they are asked in. `orders` is last: the thousands of orders
// it creates go on draining to TruBit at TruBit's pace (8 per second) for minutes after it ends, and that work
// would run under the scenarios measured after it (measured: about a quarter of a core, which took the callbacks
// ratio from 0.33–0.35 alone to 0.25–0.27 after it).
const ALL = ['auth', 'quotes', 'callbacks', 'webhooks', 'orders'];
const requested = process.argv.slice(2).filter((a) => !a.startsWith('-'));
for (const n of requested)
  if (!ALL.includes(n)) throw new Error(`unknown scenario "${n}" (known: ${ALL.join(', ')})`);
const names = requested.length ? ALL.filter((n) => requested.includes(n)) : ALL;

const durationSec = Number(process.env.BENCH_DURATION ?? 10);
const started = Date.now();
const progress = (msg) =>
  console.log(`[bench ${((Date.now() - started) / 1000).toFixed(0).padStart(4)}s] ${msg}`);

const dbName = process.env.BENCH_DB ?? 'gw_bench';
const databaseUrl = `postgresql://postgres@127.0.0.1:5432/${dbName}`;
const admin = new pg.Client({ connectionString: 'postgresql://postgres@127.0.0.1:5432/postgres' });
await admin.connect();
await admin.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
await admin.end();

// The simulator signs callbacks with a key the bench knows, so the callback scenario can sign its own.
const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const simPrivateKeyPem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();

const env = {
  SIM_RSA_PRIVATE_KEY: simPrivateKeyPem,
  NODE_ENV: 'production',
  LOG_LEVEL: 'warn',
  PORT: process.env.BENCH_PORT ?? '3900',
  SIM_PORT: process.env.BENCH_SIM_PORT ?? '4900',
  DATABASE_URL: databaseUrl,
  REDIS_PREFIX: `bench:${Date.now().toString(36)}:`,
  ADMIN_TOKEN: 'bench-admin-token-0123456789',
  WEBHOOK_ALLOW_INSECURE: 'true',
  SIM_AUTO: '0',
  SIM_SEED_BALANCES: 'USDT=100000000',
  SIM_RATE_LIMIT_WEIGHT: '100000000',
  SIM_ORDERS_PER_SECOND: '100000',
  TRUBIT_WEIGHT_PER_MINUTE: '1000000',
  // The gateway submits orders at its production rate (TruBit allows 10 order/add per second per key; the
  // default is 8), as partners would see it: POST /orders answers at once and the submitter drains the queue at
  // TruBit's pace. BENCH_TRUBIT_ORDERS_PER_SECOND=10000 lifts it to measure POST /orders while the worker
  // submits as fast as the machine lets it (on 2 cores it then takes CPU from the API; see the README).
  ...(process.env.BENCH_TRUBIT_ORDERS_PER_SECOND
    ? { TRUBIT_ORDERS_PER_SECOND: process.env.BENCH_TRUBIT_ORDERS_PER_SECOND }
    : {}),
};
progress(`starting the stack (scenarios: ${names.join(', ')}; ${durationSec}s per measurement)`);
const stack = await startStack({ env, quiet: true, log: progress });
const adminHeaders = { authorization: `Bearer ${env.ADMIN_TOKEN}`, 'content-type': 'application/json' };
const ctx = {
  ...stack,
  durationSec,
  progress,
  simPrivateKeyPem,
  databaseUrl,
  async adminRequest(method, p, body) {
    const res = await fetch(`${stack.apiUrl}${p}`, {
      method,
      headers: adminHeaders,
      body: body ? JSON.stringify(body) : undefined,
    });
    const json = await res.json();
    if (res.status >= 400) throw new Error(`${method} ${p}: ${res.status} ${JSON.stringify(json)}`);
    return json;
  },
  createPartner(body) {
    return ctx.adminRequest('POST', '/admin/v1/partners', {
      name: `bench-${Math.random().toString(36).slice(2, 7)}`,
      tier: 'ENTERPRISE',
      kycModel: 'PARTNER_MANAGED',
      ...body,
    });
  },
};

const results = [];
let failed = false;
try {
  for (const name of names) {
    const scenario = (await import(path.join(here, 'scenarios', `${name}.mjs`))).default;
    progress(`scenario ${name}: ${scenario.description}`);
    try {
      const r = await scenario.run(ctx);
      results.push({ name, description: scenario.description, ...r });
    } catch (err) {
      failed = true;
      progress(`scenario ${name} could not run: ${err.message}`);
      results.push({
        name,
        description: scenario.description,
        error: err.message,
        checks: [{ label: 'could not run', value: err.message, pass: false }],
      });
    }
  }
} finally {
  await stack.stop();
  await dropRedisPrefix(env.REDIS_PREFIX);
}
report(results, path.join(here, 'results'));
process.exit(failed ? 1 : 0);

/** The run's queues and caches live under their own prefix: remove them so runs do not pile up in Redis. */
async function dropRedisPrefix(prefix) {
  const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
      cursor = next;
      if (keys.length) await redis.unlink(...keys);
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}

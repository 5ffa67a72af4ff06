// Starts the whole system in the foreground: TruBit simulator, API and worker, wired together. Used by
// `npm run stack` and `npm run demo`. Children's output is prefixed; if one dies, all stop.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parseEnv } from 'node:util';
import pg from 'pg';
import { ensureServices } from './services.mjs';

export const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');

/** .env.example defaults, overridden by .env, overridden by the real environment. */
export function stackEnv(overrides = {}) {
  const read = (f) =>
    existsSync(path.join(root, f)) ? parseEnv(readFileSync(path.join(root, f), 'utf8')) : {};
  const env = { ...read('.env.example'), ...read('.env'), ...process.env, ...overrides };
  for (const [k, v] of Object.entries(env)) if (v === '') delete env[k];
  return env;
}

async function ensureDatabase(databaseUrl) {
  const target = new URL(databaseUrl);
  const name = decodeURIComponent(target.pathname.slice(1));
  const admin = new URL(databaseUrl);
  admin.pathname = '/postgres';
  const client = new pg.Client({ connectionString: admin.toString() });
  await client.connect();
  try {
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (!rowCount) await client.query(`CREATE DATABASE "${name.replace(/"/g, '')}"`);
  } finally {
    await client.end();
  }
}

function run(cmd, args, env) {
  const res = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', env });
  if (res.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed`);
}

function pipe(stream, label, sink) {
  let buf = '';
  stream.on('data', (chunk) => {
    buf += chunk;
    let i;
    while ((i = buf.indexOf('\n')) >= 0) {
      sink(`${label} ${buf.slice(0, i)}\n`);
      buf = buf.slice(i + 1);
    }
  });
}

async function waitForHttp(url, timeoutMs = 30_000) {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    try {
      const res = await fetch(url);
      if (res.ok) return res;
    } catch {
      /* not up yet */
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${url} did not come up within ${timeoutMs} ms`);
}

/**
 * Runs migrations, then simulator → API → worker. Resolves once the API is ready with
 * { env, apiUrl, simUrl, stop(), exited } where `exited` settles when any child dies.
 */
export async function startStack({ env: overrides = {}, quiet = false, log = console.log } = {}) {
  const env = stackEnv(overrides);
  // The gateway talks to the built-in simulator unless TRUBIT_BASE_URL was set explicitly.
  const explicitTrubitUrl = overrides.TRUBIT_BASE_URL ?? process.env.TRUBIT_BASE_URL;
  await ensureServices({ log });
  await ensureDatabase(env.DATABASE_URL);
  log('• building (SWC) …');
  run('npm', ['run', '--silent', 'build'], env);
  log('• applying migrations …');
  run(process.execPath, ['--experimental-wasm-modules', '--no-warnings', 'scripts/db/migrate.mjs'], env);

  const port = Number(env.PORT ?? 3000);
  const simPort = Number(env.SIM_PORT ?? 4010);
  const apiUrl = `http://127.0.0.1:${port}`;
  const simUrl = `http://127.0.0.1:${simPort}`;
  const children = [];
  const sink = quiet ? () => {} : (line) => process.stdout.write(line);
  let onExit;
  const exited = new Promise((resolve) => (onExit = resolve));
  const start = (label, script, childEnv) => {
    // STACK_NODE_ARGS (e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof") lets a profiling run reach the children.
    const extraArgs = (env.STACK_NODE_ARGS ?? '').split(' ').filter(Boolean);
    const child = spawn(process.execPath, ['--enable-source-maps', ...extraArgs, script], {
      cwd: root,
      env: childEnv,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    pipe(child.stdout, label, sink);
    pipe(child.stderr, label, (l) => process.stderr.write(l));
    child.on('exit', (code, signal) => onExit({ label, code, signal }));
    children.push(child);
    return child;
  };

  start('[simulator]', 'dist/simulator/main.js', {
    ...env,
    SIM_PORT: String(simPort),
    SIM_ACCOUNTS: `${env.TRUBIT_API_KEY}:${env.TRUBIT_API_SECRET}`,
    SIM_SEED_BALANCES: env.SIM_SEED_BALANCES ?? 'USDT=100000',
    SIM_CALLBACK_URL: env.SIM_CALLBACK_URL ?? `${apiUrl}/callbacks/trubit`,
  });
  let keyRes;
  try {
    keyRes = await waitForHttp(`${simUrl}/__sim/public-key`);
  } catch (err) {
    for (const c of children) c.kill('SIGTERM');
    throw err;
  }
  const publicKey = (await keyRes.text()).trim();
  const gatewayEnv = {
    ...env,
    TRUBIT_BASE_URL: explicitTrubitUrl ?? simUrl,
    TRUBIT_CALLBACK_PUBLIC_KEY: publicKey,
  };
  start('[api]', 'dist/src/main.js', gatewayEnv);
  // STACK_WORKERS=2 runs worker replicas, as a deployment would (only the first serves WORKER_METRICS_PORT).
  const workers = Math.max(1, Number(env.STACK_WORKERS ?? 1));
  for (let i = 0; i < workers; i++) {
    const replicaEnv = i === 0 ? gatewayEnv : { ...gatewayEnv, WORKER_METRICS_PORT: undefined };
    start(workers > 1 ? `[worker ${i + 1}]` : '[worker]', 'dist/src/worker.js', replicaEnv);
  }
  const died = exited.then((d) => {
    throw new Error(`${d.label} exited during start-up (code ${d.code})`);
  });
  const stop = async () => {
    for (const c of children) if (c.exitCode === null) c.kill('SIGTERM');
    await Promise.all(
      children.map((c) => (c.exitCode === null ? new Promise((r) => c.once('exit', r)) : null)),
    );
  };
  try {
    await Promise.race([waitForHttp(`${apiUrl}/readyz`), died]);
  } catch (err) {
    await stop(); // never leave half a stack running
    throw err;
  }
  died.catch(() => {});

  return { env: gatewayEnv, apiUrl, simUrl, stop, exited };
}

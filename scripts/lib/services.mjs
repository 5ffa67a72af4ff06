// Makes sure the local PostgreSQL and Redis the test suite needs are reachable, starting them the way
// these machines start them when they are installed but stopped. Fails with instructions otherwise.
import { execSync } from 'node:child_process';
import net from 'node:net';

function canConnect(host, port, timeoutMs = 1000) {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    const done = (ok) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

async function waitFor(host, port, seconds) {
  for (let i = 0; i < seconds * 4; i++) {
    if (await canConnect(host, port)) return true;
    await new Promise((r) => setTimeout(r, 250));
  }
  return false;
}

function tryRun(cmd) {
  try {
    execSync(cmd, { stdio: 'ignore', shell: '/bin/bash', timeout: 60_000 });
    return true;
  } catch {
    return false;
  }
}

const SERVICES = [
  {
    name: 'PostgreSQL',
    url: () => new URL(process.env.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/test'),
    defaultPort: 5432,
    start: [
      'pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql | head -1) main start',
      'service postgresql start',
    ],
    howTo:
      'Install and start PostgreSQL 15+ on 127.0.0.1:5432 with trust auth for local users ' +
      '(Debian: apt-get install postgresql && pg_ctlcluster 15 main start), or set DATABASE_URL, ' +
      'or run `docker compose up -d postgres redis`.',
  },
  {
    name: 'Redis',
    url: () => new URL(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379'),
    defaultPort: 6379,
    start: [
      'redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no ' +
        '--dir /var/lib/redis --logfile /var/log/redis/ci.log',
      'redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no',
    ],
    howTo:
      'Install and start Redis 7 on 127.0.0.1:6379 (Debian: apt-get install redis-server && ' +
      'redis-server --daemonize yes), or set REDIS_URL, or run `docker compose up -d redis`.',
  },
];

export async function ensureServices({ log = console.log } = {}) {
  for (const svc of SERVICES) {
    const url = svc.url();
    const host = url.hostname || '127.0.0.1';
    const port = Number(url.port || svc.defaultPort);
    if (await canConnect(host, port)) continue;
    log(`${svc.name} is not reachable on ${host}:${port}; trying to start it…`);
    const local = host === '127.0.0.1' || host === 'localhost';
    let up = false;
    for (const cmd of local ? svc.start : []) {
      if (tryRun(cmd) && (await waitFor(host, port, 15))) {
        up = true;
        break;
      }
    }
    if (!up) {
      throw new Error(
        `${svc.name} is not reachable on ${host}:${port} and could not be started. ${svc.howTo}`,
      );
    }
    log(`${svc.name} started.`);
  }
}

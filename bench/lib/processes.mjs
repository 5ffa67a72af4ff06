import { spawn } from 'node:child_process';
import path from 'node:path';

const here = path.dirname(new URL(import.meta.url).pathname);

/** Starts a baseline server script as its own process; resolves with {url, stop()} once it prints its port. */
export function startServer(script, env = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(here, '..', 'servers', script)], {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let buf = '';
    child.stdout.on('data', (c) => {
      buf += c;
      const line = buf.split('\n')[0];
      if (buf.includes('\n')) {
        const { port } = JSON.parse(line);
        resolve({
          url: `http://127.0.0.1:${port}`,
          stop: () =>
            new Promise((r) =>
              child.exitCode !== null ? r() : (child.once('exit', r), child.kill('SIGTERM')),
            ),
        });
      }
    });
    child.once('exit', (code) => reject(new Error(`${script} exited with ${code}`)));
  });
}

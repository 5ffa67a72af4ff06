// Test-only merchant endpoint for callbacks: records every request with its raw body and headers, and
// answers with whatever the test scripts (SUCCESS by default; e.g. FAIL or 500 for the first N).
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedCallback {
  raw: Buffer;
  body: Record<string, any>;
  headers: IncomingHttpHeaders;
  at: number;
}

export type Responder = (n: number, cb: ReceivedCallback) => { status: number; body: string };

export const SUCCESS: Responder = () => ({ status: 200, body: '{"callbackStatus":"SUCCESS"}' });

export class CallbackReceiver {
  readonly received: ReceivedCallback[] = [];
  private server: Server | null = null;
  private waiters: Array<{ n: number; resolve: () => void }> = [];
  url = '';

  constructor(public responder: Responder = SUCCESS) {}

  async start(): Promise<string> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const raw = Buffer.concat(chunks);
        let body: Record<string, any> = {};
        try {
          body = JSON.parse(raw.toString('utf8'));
        } catch {
          /* recorded raw anyway */
        }
        const cb: ReceivedCallback = { raw, body, headers: req.headers, at: Date.now() };
        this.received.push(cb);
        const reply = this.responder(this.received.length, cb);
        res.writeHead(reply.status, { 'content-type': 'application/json' }).end(reply.body);
        this.waiters = this.waiters.filter((w) =>
          this.received.length >= w.n ? (w.resolve(), false) : true,
        );
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/callbacks/trubit`;
    return this.url;
  }

  /** Resolves once `n` callbacks have arrived in total (rejects after timeoutMs). */
  waitFor(n: number, timeoutMs = 5000): Promise<void> {
    if (this.received.length >= n) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`only ${this.received.length}/${n} callbacks arrived`)),
        timeoutMs,
      );
      this.waiters.push({ n, resolve: () => (clearTimeout(timer), resolve()) });
    });
  }

  async stop(): Promise<void> {
    if (!this.server) return;
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server!.close(() => resolve()));
    this.server = null;
  }
}

/** Polls `predicate` until true (rejects after timeoutMs): for waiting on asynchronous simulator progress. */
export async function eventually(
  predicate: () => boolean | Promise<boolean>,
  timeoutMs = 5000,
  stepMs = 10,
): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    if (await predicate()) return;
    await new Promise((r) => setTimeout(r, stepMs));
  }
  throw new Error(`condition not met within ${timeoutMs} ms`);
}

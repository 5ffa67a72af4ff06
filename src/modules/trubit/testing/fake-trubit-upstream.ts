import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/**
 * A scriptable stand-in for api-otc.trubit.com in unit tests (node:http on port 0). It records every
 * request byte-exact so tests can check what was signed against what was sent.
 */

export interface FakeRequest {
  method: string;
  /** Full request target, e.g. /openapi/v1/otc/order/list?currentPage=1&... */
  url: string;
  path: string;
  /** Raw query string without '?'. */
  query: string;
  headers: IncomingMessage['headers'];
  body: string;
}

export type FakeHandler = (req: FakeRequest, res: ServerResponse) => void | Promise<void>;

export function json(status: number, body: unknown, headers: Record<string, string> = {}): FakeHandler {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  return (_req, res) => {
    res.writeHead(status, { 'content-type': 'application/json', ...headers });
    res.end(text);
  };
}

/** Never answers (until the server closes). */
export const hang: FakeHandler = () => undefined;

/** Reads the request, then kills the TCP connection without a response. */
export const resetSocket: FakeHandler = (_req, res) => {
  res.socket?.destroy();
};

export class FakeTrubitUpstream {
  readonly requests: FakeRequest[] = [];
  handler: FakeHandler = json(200, {});
  private readonly sockets = new Set<Socket>();

  private constructor(private readonly server: Server) {}

  static async start(handler?: FakeHandler): Promise<FakeTrubitUpstream> {
    // eslint-disable-next-line prefer-const -- assigned after the server that closes over it is created
    let self: FakeTrubitUpstream | undefined;
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const url = req.url ?? '/';
        const q = url.indexOf('?');
        const record: FakeRequest = {
          method: req.method ?? 'GET',
          url,
          path: q < 0 ? url : url.slice(0, q),
          query: q < 0 ? '' : url.slice(q + 1),
          headers: req.headers,
          body: Buffer.concat(chunks).toString('utf8'),
        };
        self!.requests.push(record);
        Promise.resolve(self!.handler(record, res)).catch(() => res.socket?.destroy());
      });
    });
    self = new FakeTrubitUpstream(server);
    if (handler) self.handler = handler;
    server.on('connection', (s: Socket) => {
      self.sockets.add(s);
      s.on('close', () => self.sockets.delete(s));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return self;
  }

  get url(): string {
    const { port } = this.server.address() as AddressInfo;
    return `http://127.0.0.1:${port}`;
  }

  get count(): number {
    return this.requests.length;
  }

  async close(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

/** A URL on which nothing listens (connection refused). */
export async function refusedUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}`;
}

// A real HTTP server on an ephemeral port for the SDK's tests: records every request and answers from
// a queue of scripted handlers (then a default one).
import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedRequest {
  method: string;
  /** Path without the query, e.g. `/api/v1/orders`. */
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  body: string;
  /** The body parsed as JSON (undefined when empty). */
  json: unknown;
}

export type Handler = (req: RecordedRequest, res: ServerResponse) => void;

export interface TestServer {
  /** `http://127.0.0.1:<port>/api/v1` */
  baseUrl: string;
  requests: RecordedRequest[];
  /** Scripts the next responses, one handler per request, in order. */
  enqueue(...handlers: Handler[]): void;
  setDefault(handler: Handler): void;
  /** Forgets recorded requests and scripted handlers; the default answer becomes 200 `{}` again. */
  reset(): void;
  close(): Promise<void>;
}

export function json(status: number, body: unknown, headers: Record<string, string | number> = {}): Handler {
  return (_req, res) => {
    const text = body === undefined ? '' : JSON.stringify(body);
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
    res.end(text);
  };
}

/** Kills the connection without an HTTP answer (what a crash, reset or dropped link looks like). */
export const dropConnection: Handler = (req) => {
  (req as unknown as { socket: { destroy(): void } }).socket.destroy();
};

export async function startTestServer(): Promise<TestServer> {
  const requests: RecordedRequest[] = [];
  const queue: Handler[] = [];
  let fallback: Handler = json(200, {});

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://localhost');
      const body = Buffer.concat(chunks).toString('utf8');
      let parsed: unknown;
      try {
        parsed = body ? JSON.parse(body) : undefined;
      } catch {
        parsed = undefined;
      }
      const recorded: RecordedRequest = {
        method: req.method ?? '',
        path: url.pathname,
        query: url.searchParams,
        headers: req.headers,
        body,
        json: parsed,
      };
      requests.push(recorded);
      const handler = queue.shift() ?? fallback;
      // One connection per request (Connection: close), so a dropped socket never affects the next one.
      res.shouldKeepAlive = false;
      // Expose the socket to dropConnection through the recorded request.
      Object.defineProperty(recorded, 'socket', { value: req.socket, enumerable: false });
      handler(recorded, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    baseUrl: `http://127.0.0.1:${port}/api/v1`,
    requests,
    enqueue: (...handlers) => queue.push(...handlers),
    setDefault: (handler) => {
      fallback = handler;
    },
    reset: () => {
      requests.length = 0;
      queue.length = 0;
      fallback = json(200, {});
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((err) => (err ? reject(err) : resolve()));
      }),
  };
}

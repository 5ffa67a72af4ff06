import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, Server } from 'node:http';
import type { AppConfig } from '@app/config/app-config';
import { MAX_PARTNER_CONCURRENCY } from './partner-delivery.slots';
import { WebhookSender } from './webhook.sender';

describe('webhook sender', () => {
  let server: Server;
  let url: string;
  /** Requests that reached the server on /hang-counted. */
  let counted = 0;
  const config = {
    webhooks: { allowInsecure: true, timeoutMs: 300, retryScheduleMs: [0] },
  } as unknown as AppConfig;
  const sender = new WebhookSender(config);

  before(async () => {
    server = createServer((req, res) => {
      req.resume();
      if (req.url === '/hang') return; // never answers
      if (req.url === '/hang-counted') {
        counted++;
        return;
      }
      if (req.url === '/slow-body') {
        res.writeHead(200);
        res.write('x');
        return; // headers in time, body never ends: the whole exchange is bounded
      }
      if (req.url === '/large') {
        res.writeHead(500);
        res.end(Buffer.alloc(256 * 1024, 'x')); // far past what the sender reads
        return;
      }
      res.writeHead(req.url === '/busy' ? 503 : 200, req.url === '/busy' ? { 'retry-after': '7' } : {}).end();
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const address = server.address();
    url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  });
  after(async () => {
    await sender.onApplicationShutdown();
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  });

  test('answers are reported with their status and Retry-After', async () => {
    assert.deepEqual(await sender.post(`${url}/ok`, {}, '{}'), {
      kind: 'response',
      statusCode: 200,
      retryAfterMs: null,
    });
    assert.deepEqual(await sender.post(`${url}/busy`, {}, '{}'), {
      kind: 'response',
      statusCode: 503,
      retryAfterMs: 7000,
    });
  });

  test('one deadline for the whole exchange: a request that hangs is a timeout soon after it', async () => {
    const started = Date.now();
    const results = await Promise.all([
      sender.post(`${url}/hang`, {}, '{}'),
      sender.post(`${url}/hang`, {}, '{}'),
    ]);
    const took = Date.now() - started;
    assert.deepEqual(results, [{ kind: 'timeout' }, { kind: 'timeout' }]);
    assert.ok(took >= 290 && took < 1000, `timed out after ${took} ms`);
  });

  test('requests queued behind a full connection pool keep the same deadline, and are never sent', async (t) => {
    // One more request than the origin has sockets: the last waits for a connection that never frees up.
    // The clock is held still while they are posted, so all n share one deadline to the millisecond: on the
    // real clock the last could get a deadline a millisecond after a sweep that cut the others, and then be
    // sent with time legitimately left. Its own sender with a long timeout: undici's own header timer (real
    // clock) stays far off, so only the sender's deadline sweep (mocked clock) cuts these requests.
    const timeoutMs = 10_000;
    const pooled = new WebhookSender({ webhooks: { ...config.webhooks, timeoutMs } } as AppConfig);
    t.after(() => pooled.onApplicationShutdown());
    const n = MAX_PARTNER_CONCURRENCY + 1;
    counted = 0;
    t.mock.timers.enable({ apis: ['Date'], now: Date.now() });
    const settled = Promise.all(
      Array.from({ length: n }, () => pooled.post(`${url}/hang-counted`, {}, '{}')),
    );
    for (let waited = 0; counted < MAX_PARTNER_CONCURRENCY && waited < 5000; waited += 5)
      await new Promise((r) => setTimeout(r, 5));
    assert.equal(counted, MAX_PARTNER_CONCURRENCY, 'the pooled requests reached the server');
    const started = performance.now();
    t.mock.timers.tick(timeoutMs); // the shared deadline passes; the next sweep cuts all n
    const results = await settled;
    const took = performance.now() - started;
    assert.deepEqual(
      results,
      results.map(() => ({ kind: 'timeout' })),
    );
    assert.ok(took < 1000, `the queued request settled ${took} ms after its deadline`);
    // The overdue request gets a socket once the others are cut, and is cut before it is written.
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(counted, MAX_PARTNER_CONCURRENCY);
  });

  test('a large response body is dropped once past the limit; its status counts', async () => {
    const result = await sender.post(`${url}/large`, {}, '{}');
    assert.deepEqual(result, { kind: 'response', statusCode: 500, retryAfterMs: null });
  });

  test('an unreachable endpoint is a network failure with its code', async () => {
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const address = closed.address();
    await new Promise((r) => closed.close(r));
    const port = typeof address === 'object' && address ? address.port : 0;
    const result = await sender.post(`http://127.0.0.1:${port}/hook`, {}, '{}');
    assert.equal(result.kind, 'network');
    assert.match((result as { message: string }).message, /ECONNREFUSED/);
  });

  test('a response whose body never ends still settles (its status counts)', async () => {
    const started = Date.now();
    const result = await sender.post(`${url}/slow-body`, {}, '{}');
    assert.equal(result.kind, 'response');
    assert.ok(Date.now() - started < 1000);
  });
});

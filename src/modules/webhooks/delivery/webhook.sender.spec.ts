import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, Server } from 'node:http';
import type { AppConfig } from '@app/config/app-config';
import { WebhookSender } from './webhook.sender';

describe('webhook sender', () => {
  let server: Server;
  let url: string;
  const sender = new WebhookSender({
    webhooks: { allowInsecure: true, timeoutMs: 300, retryScheduleMs: [0] },
  } as unknown as AppConfig);

  before(async () => {
    server = createServer((req, res) => {
      req.resume();
      if (req.url === '/hang') return; // never answers
      if (req.url === '/slow-body') {
        res.writeHead(200);
        res.write('x');
        return; // headers in time, body never ends: the whole exchange is bounded
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

  test('a response whose body never ends still settles (its status counts)', async () => {
    const started = Date.now();
    const result = await sender.post(`${url}/slow-body`, {}, '{}');
    assert.equal(result.kind, 'response');
    assert.ok(Date.now() - started < 1000);
  });
});

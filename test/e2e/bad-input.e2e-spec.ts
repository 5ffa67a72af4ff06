import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { AdminClient } from '@test/support/admin-client';
import { RunningApi, startApi } from '@test/support/api-harness';
import { http } from '@test/support/http';
import { testConfig } from '@test/support/test-config';

describe('malformed requests get a documented 4xx, never a 500 or a stack trace', () => {
  let api: RunningApi;
  let auth: Record<string, string>;
  let apiKey: string;

  before(async () => {
    api = await startApi(testConfig());
    auth = { authorization: `Bearer ${api.config.admin.token}` };
    apiKey = (await new AdminClient(api.url, api.config.admin.token).createPartner()).apiKey;
  });
  after(() => api.close());

  const expectError = (res: { status: number; body: any; text: string }, status: number, code: string) => {
    assert.equal(res.status, status, res.text);
    assert.equal(res.body.error, code);
    assert.equal(typeof res.body.message, 'string');
    assert.ok(!/at \w+ \(|node_modules|\.js:\d+/.test(res.text), 'no stack trace');
  };

  test('malformed JSON → 400 VALIDATION_ERROR', async () => {
    for (const raw of ['{bad', '{"name":', 'null', '"str"', '']) {
      const res = await http('POST', `${api.url}/admin/v1/partners`, {
        headers: { ...auth, 'content-type': 'application/json' },
        rawBody: raw,
      });
      expectError(res, 400, 'VALIDATION_ERROR');
    }
  });

  test('a body over 64 KiB → 413 PAYLOAD_TOO_LARGE', async () => {
    const res = await http('POST', `${api.url}/admin/v1/partners`, {
      headers: auth,
      body: { name: 'x'.repeat(70 * 1024) },
    });
    expectError(res, 413, 'PAYLOAD_TOO_LARGE');
  });

  test('unknown routes and methods → 404 NOT_FOUND', async () => {
    expectError(
      await http('GET', `${api.url}/api/v1/nothing-here`, { headers: { 'x-api-key': apiKey } }),
      404,
      'NOT_FOUND',
    );
    expectError(await http('DELETE', `${api.url}/api/v1/health`), 404, 'NOT_FOUND');
  });

  test('a malformed URL → 400 VALIDATION_ERROR in the same envelope', async () => {
    expectError(await http('GET', `${api.url}/%E0%A4%A`), 400, 'VALIDATION_ERROR');
  });

  test('non-ASCII, huge and odd header values do not break auth', async () => {
    expectError(
      await http('GET', `${api.url}/api/v1/health`, { headers: { 'x-api-key': 'mp2p_' + 'ñ'.repeat(64) } }),
      401,
      'INVALID_API_KEY',
    );
    expectError(
      await http('GET', `${api.url}/api/v1/health`, { headers: { 'x-api-key': 'x'.repeat(8000) } }),
      401,
      'INVALID_API_KEY',
    );
    expectError(
      await http('GET', `${api.url}/api/v1/health`, { headers: { 'x-api-key': '' } }),
      401,
      'MISSING_API_KEY',
    );
  });

  test('X-Request-Id is echoed when sane, generated otherwise, and in error bodies', async () => {
    const echoed = await http('GET', `${api.url}/api/v1/health`, {
      headers: { 'x-request-id': 'trace-123' },
    });
    assert.equal(echoed.headers.get('x-request-id'), 'trace-123');
    assert.equal(echoed.body.requestId, 'trace-123');
    const generated = await http('GET', `${api.url}/healthz`, {
      headers: { 'x-request-id': 'bad id with spaces' },
    });
    assert.match(generated.headers.get('x-request-id') ?? '', /^[0-9a-f-]{36}$/);
  });
});

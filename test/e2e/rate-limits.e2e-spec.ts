import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { AdminClient } from '@test/support/admin-client';
import { RunningApi, startApi } from '@test/support/api-harness';
import { http } from '@test/support/http';
import { testConfig } from '@test/support/test-config';
import { awayFromMinuteEdge } from '@test/support/timing';

describe('per-partner rate limits shared by every instance', () => {
  let a: RunningApi;
  let b: RunningApi;
  let admin: AdminClient;

  before(async () => {
    const config = testConfig({ AUTH_FAILURES_PER_MINUTE: '5' });
    a = await startApi(config);
    b = await startApi(config);
    admin = new AdminClient(a.url, config.admin.token);
  });
  after(async () => {
    await a.close();
    await b.close();
  });

  const health = (api: RunningApi, key: string) =>
    http('GET', `${api.url}/api/v1/health`, { headers: { 'x-api-key': key } });

  test('every partner response carries X-RateLimit-*; two instances spend one budget; then 429 with Retry-After', async () => {
    await awayFromMinuteEdge();
    const { apiKey } = await admin.createPartner({ tier: 'FREE', limits: { requestsPerMinute: 6 } });
    const seen: number[] = [];
    for (let i = 0; i < 6; i++) {
      const res = await health(i % 2 ? b : a, apiKey);
      assert.equal(res.status, 200);
      assert.equal(res.headers.get('x-ratelimit-limit'), '6');
      seen.push(Number(res.headers.get('x-ratelimit-remaining')));
      const reset = Number(res.headers.get('x-ratelimit-reset'));
      assert.ok(reset > Date.now() / 1000 && reset <= Date.now() / 1000 + 61);
    }
    assert.deepEqual(seen, [5, 4, 3, 2, 1, 0]);
    for (const api of [a, b]) {
      const limited = await health(api, apiKey);
      assert.equal(limited.status, 429);
      assert.equal(limited.body.error, 'RATE_LIMITED');
      assert.equal(limited.headers.get('x-ratelimit-remaining'), '0');
      const retryAfter = Number(limited.headers.get('retry-after'));
      assert.ok(retryAfter >= 1 && retryAfter <= 60, `retry-after ${retryAfter}`);
    }
  });

  test('tier budgets apply without overrides, and a tier change takes effect at once', async () => {
    await awayFromMinuteEdge();
    const { apiKey, partner } = await admin.createPartner({ tier: 'FREE' });
    const first = await health(a, apiKey);
    assert.equal(first.headers.get('x-ratelimit-limit'), '50');
    await admin.patchPartner(partner.id, { tier: 'GROWTH' });
    const after = await health(b, apiKey);
    assert.equal(after.headers.get('x-ratelimit-limit'), '200');
    assert.equal(after.headers.get('x-ratelimit-remaining'), String(200 - 2));
  });

  test('one partner exhausting its budget does not touch another partner', async () => {
    await awayFromMinuteEdge();
    const noisy = await admin.createPartner({ limits: { requestsPerMinute: 1 } });
    const quiet = await admin.createPartner({ limits: { requestsPerMinute: 100 } });
    await health(a, noisy.apiKey);
    assert.equal((await health(a, noisy.apiKey)).status, 429);
    assert.equal((await health(a, quiet.apiKey)).status, 200);
  });

  test('invalid-key attempts are limited per client address so they cannot burn bcrypt time', async () => {
    await awayFromMinuteEdge();
    const statuses: string[] = [];
    for (let i = 0; i < 7; i++) {
      const res = await health(i % 2 ? b : a, 'mp2p_' + i.toString().repeat(64).slice(0, 64));
      statuses.push(res.body.error);
      if (res.status === 429) assert.ok(Number(res.headers.get('retry-after')) >= 1);
    }
    assert.deepEqual(statuses.slice(0, 5), Array(5).fill('INVALID_API_KEY'));
    assert.deepEqual(statuses.slice(5), ['RATE_LIMITED', 'RATE_LIMITED']);
  });
});

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { RunningApi, startApi } from '@test/support/api-harness';
import { http } from '@test/support/http';
import { testConfig } from '@test/support/test-config';

describe('service endpoints', () => {
  let api: RunningApi;
  before(async () => {
    api = await startApi(testConfig());
  });
  after(() => api.close());

  test('/healthz answers while the process is up', async () => {
    const res = await http('GET', `${api.url}/healthz`);
    assert.equal(res.status, 200);
    assert.equal(res.body.status, 'ok');
  });

  test('/readyz checks Postgres and Redis', async () => {
    const res = await http('GET', `${api.url}/readyz`);
    assert.equal(res.status, 200);
    assert.deepEqual(res.body, { status: 'ok', checks: { postgres: 'ok', redis: 'ok' } });
  });

  test('/readyz is 503 when Redis is unreachable', async () => {
    const broken = await startApi(testConfig({ REDIS_URL: 'redis://127.0.0.1:1' }));
    try {
      const res = await http('GET', `${broken.url}/readyz`);
      assert.equal(res.status, 503);
      assert.equal(res.body.checks.redis, 'unreachable');
      assert.equal(res.body.checks.postgres, 'ok');
    } finally {
      await broken.close();
    }
  });

  test('/metrics exposes Prometheus text with HTTP histograms', async () => {
    await http('GET', `${api.url}/healthz`);
    const res = await http('GET', `${api.url}/metrics`);
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /text\/plain/);
    assert.match(res.text, /http_request_duration_seconds_bucket\{[^}]*route="\/healthz"/);
    assert.match(res.text, /process_cpu_user_seconds_total/);
  });

  test('/docs-json is OpenAPI 3 generated from the DTOs; /docs serves Swagger UI', async () => {
    const json = await http('GET', `${api.url}/docs-json`);
    assert.equal(json.status, 200);
    assert.match(json.body.openapi, /^3\./);
    assert.ok(json.body.paths['/api/v1/health']);
    assert.ok(json.body.paths['/admin/v1/partners'].post);
    assert.ok(json.body.components.schemas.CreatePartnerInput);
    assert.ok(json.body.components.securitySchemes.apiKey);
    const ui = await http('GET', `${api.url}/docs`);
    assert.equal(ui.status, 200);
    assert.match(ui.text, /swagger/i);
  });
});

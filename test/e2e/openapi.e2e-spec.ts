import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { registeredRoutes } from '@app/bootstrap';
import { RunningApi, startApi } from '@test/support/api-harness';
import { http } from '@test/support/http';

const HTTP_METHODS = ['get', 'post', 'put', 'patch', 'delete'];
const toOpenApiPath = (url: string) => url.replace(/:([A-Za-z0-9_]+)/g, '{$1}');

describe('OpenAPI document at /docs-json matches the routes that exist', () => {
  let api: RunningApi;
  let doc: any;
  before(async () => {
    api = await startApi();
    doc = (await http('GET', `${api.url}/docs-json`)).body;
  });
  after(() => api.close());

  const documented = () =>
    Object.entries(doc.paths as Record<string, Record<string, unknown>>).flatMap(([path, item]) =>
      HTTP_METHODS.filter((m) => item[m]).map((m) => `${m.toUpperCase()} ${path}`),
    );
  const served = () =>
    registeredRoutes(api.app)
      .filter((r) => /^\/(api|admin)\/v1\//.test(r.url))
      .map((r) => `${r.method} ${toOpenApiPath(r.url)}`);

  test('every partner and admin route is documented', () => {
    const docs = new Set(documented());
    const missing = served().filter((r) => !docs.has(r));
    assert.deepEqual(missing, []);
    assert.ok(served().length >= 6, 'routes were collected');
  });

  test('every documented operation is served', () => {
    const routes = new Set(served());
    const extra = documented().filter((d) => !routes.has(d));
    assert.deepEqual(extra, []);
  });

  test('partner operations document auth, rate-limit and validation errors with examples', () => {
    for (const [path, item] of Object.entries(doc.paths as Record<string, any>)) {
      if (!path.startsWith('/api/v1')) continue;
      for (const m of HTTP_METHODS.filter((x) => item[x])) {
        const op = item[m];
        assert.ok(
          op.security?.some((s: object) => 'apiKey' in s),
          `${m} ${path} security`,
        );
        for (const status of ['400', '401', '403', '429']) {
          const examples = op.responses[status]?.content?.['application/json']?.examples;
          assert.ok(examples && Object.keys(examples).length, `${m} ${path} documents ${status}`);
        }
        assert.ok(op.responses['401'].content['application/json'].examples.MISSING_API_KEY);
      }
    }
    assert.ok(doc.components.schemas.ErrorResponse.properties.error.enum.includes('QUOTE_EXPIRED'));
  });

  test('request bodies reference generated DTO schemas', () => {
    for (const [path, item] of Object.entries(doc.paths as Record<string, any>)) {
      for (const m of ['post', 'put', 'patch'].filter((x) => item[x]?.requestBody)) {
        const ref = item[m].requestBody.content['application/json'].schema.$ref as string | undefined;
        if (!ref) continue;
        const name = ref.split('/').pop()!;
        assert.ok(doc.components.schemas[name], `${m} ${path} body schema ${name}`);
      }
    }
  });
});

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { canonicalJson, requestFingerprint } from './request-fingerprint';

describe('request fingerprint', () => {
  test('key order does not matter, values do', () => {
    assert.equal(
      canonicalJson({ b: 1, a: { d: [1, { y: 2, x: 1 }], c: null } }),
      '{"a":{"c":null,"d":[1,{"x":1,"y":2}]},"b":1}',
    );
    const a = requestFingerprint('POST', '/api/v1/orders', { quoteId: 'q', sellerClabe: 'c' });
    const b = requestFingerprint('post', '/api/v1/orders?x=1', { sellerClabe: 'c', quoteId: 'q' });
    assert.equal(a, b);
    assert.notEqual(a, requestFingerprint('POST', '/api/v1/orders', { quoteId: 'q', sellerClabe: 'd' }));
  });

  test('method and path are part of it', () => {
    const body = { x: 1 };
    assert.notEqual(requestFingerprint('POST', '/a', body), requestFingerprint('PUT', '/a', body));
    assert.notEqual(requestFingerprint('POST', '/a', body), requestFingerprint('POST', '/b', body));
  });

  test('"1" and 1 differ; missing and undefined fields are the same', () => {
    assert.notEqual(canonicalJson({ a: '1' }), canonicalJson({ a: 1 }));
    assert.equal(canonicalJson({ a: 1, b: undefined }), canonicalJson({ a: 1 }));
    assert.equal(canonicalJson(undefined), 'null');
  });
});

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  API_KEY_PATTERN,
  digestApiKey,
  displayPrefix,
  generateApiKey,
  generateWebhookSecret,
  lookupIdFromDigest,
} from './api-key.codec';

describe('API key codec', () => {
  test('keys are mp2p_ + 64 lowercase hex (69 chars) and unique', () => {
    const a = generateApiKey();
    const b = generateApiKey();
    assert.match(a, API_KEY_PATTERN);
    assert.equal(a.length, 69);
    assert.notEqual(a, b);
  });

  test('the lookup id is derived from the key and does not contain it', () => {
    const key = generateApiKey();
    const id = lookupIdFromDigest(digestApiKey(key));
    assert.equal(id.length, 32);
    assert.equal(id, lookupIdFromDigest(digestApiKey(key)));
    assert.ok(!key.includes(id));
  });

  test('display prefix shows only the start', () => {
    assert.equal(displayPrefix('mp2p_abcdef0123'), 'mp2p_abcd…');
  });

  test('webhook secrets follow the whsec_ + base64 convention', () => {
    const s = generateWebhookSecret();
    assert.match(s, /^whsec_[A-Za-z0-9+/]+=*$/);
    assert.equal(Buffer.from(s.slice(6), 'base64').length, 24);
  });
});

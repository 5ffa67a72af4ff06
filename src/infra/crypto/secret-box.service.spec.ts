import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { SecretBox } from './secret-box.service';

describe('SecretBox', () => {
  const box = SecretBox.withKey(randomBytes(32));

  test('round-trips and never stores the plaintext', () => {
    const sealed = box.encrypt('whsec_top-secret');
    assert.ok(!sealed.includes('top-secret'));
    assert.equal(box.decrypt(sealed), 'whsec_top-secret');
  });

  test('the same secret seals differently each time (random IV)', () => {
    assert.notEqual(box.encrypt('x'), box.encrypt('x'));
  });

  test('tampering or a different master key fails', () => {
    const sealed = box.encrypt('secret');
    const parts = sealed.split('.');
    const data = Buffer.from(parts[3], 'base64');
    data[0] ^= 1;
    parts[3] = data.toString('base64');
    assert.throws(() => box.decrypt(parts.join('.')));
    assert.throws(() => SecretBox.withKey(randomBytes(32)).decrypt(sealed));
  });
});

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createPublicKey, generateKeyPairSync, verify } from 'node:crypto';
import { RsaSigner } from './rsa.signer';

describe('RSA callback signer', () => {
  const signer = new RsaSigner();

  test('signature verifies with the published Base64 SPKI key, as a merchant would check it', () => {
    const body = '{"orderId":"473130522693193728","orderStatus":"60"}';
    const sig = signer.signHex(body);
    assert.match(sig, /^[0-9a-f]{512}$/); // RSA-2048 -> 256 bytes
    const key = createPublicKey({
      key: Buffer.from(signer.publicKeyBase64, 'base64'),
      format: 'der',
      type: 'spki',
    });
    assert.equal(verify('sha256', Buffer.from(body), key, Buffer.from(sig, 'hex')), true);
    assert.equal(verify('sha256', Buffer.from(`${body} `), key, Buffer.from(sig, 'hex')), false);
  });

  test('a provided PEM private key is used instead of a fresh one', () => {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const pem = privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
    const fixed = new RsaSigner(pem);
    assert.equal(fixed.publicKeyBase64, publicKey.export({ format: 'der', type: 'spki' }).toString('base64'));
    assert.notEqual(fixed.publicKeyBase64, signer.publicKeyBase64);
  });

  test('rejects a non-RSA key', () => {
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    assert.throws(() => new RsaSigner(privateKey.export({ format: 'pem', type: 'pkcs8' }).toString()), /RSA/);
  });
});

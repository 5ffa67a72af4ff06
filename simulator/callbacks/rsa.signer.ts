// The key TruBit signs callbacks with (trubit-otc.md §6.1): RSA-SHA256, PKCS#1 v1.5 (Java SHA256withRSA),
// hex signature over the exact body bytes. Merchants receive the public key as Base64 of the DER
// SubjectPublicKeyInfo, i.e. a PEM body without the armour lines.
import { createPrivateKey, createPublicKey, generateKeyPairSync, sign, type KeyObject } from 'node:crypto';

export class RsaSigner {
  private readonly privateKey: KeyObject;
  readonly publicKey: KeyObject;
  /** Base64 SPKI DER, the format merchants paste into their config. */
  readonly publicKeyBase64: string;
  readonly publicKeyPem: string;

  constructor(privateKeyPem?: string) {
    this.privateKey = privateKeyPem
      ? createPrivateKey(privateKeyPem)
      : generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
    if (this.privateKey.asymmetricKeyType !== 'rsa')
      throw new TypeError('callback signing key must be an RSA key');
    this.publicKey = createPublicKey(this.privateKey);
    this.publicKeyBase64 = this.publicKey.export({ format: 'der', type: 'spki' }).toString('base64');
    this.publicKeyPem = this.publicKey.export({ format: 'pem', type: 'spki' }).toString();
  }

  /** Lowercase hex RSA-SHA256 (PKCS#1 v1.5) signature of the bytes. */
  signHex(body: Buffer | string): string {
    return sign(
      'sha256',
      typeof body === 'string' ? Buffer.from(body, 'utf8') : body,
      this.privateKey,
    ).toString('hex');
  }
}

import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { generateKeyPairSync, type KeyObject, sign } from 'node:crypto';
import { loadTrubitPublicKey, verifyTrubitCallback } from './trubit-callback.verifier';
import { parseTrubitOrderWebhook } from './trubit-callback.parser';
import { TrubitCallbackPayloadError } from './trubit.errors';

const BODY =
  '{"webhookId":"0f1e2d3c4b5a69788796a5b4c3d2e1f0","eventType":"ORDER_WEBHOOK","orderId":473130522693193728,"userId":"1","merchantId":4,"orderType":"SELL","fiat":"MXN","orderAmount":"99","fiatFee":"0","crypto":"USDT","cryptoAmount":"5.00","orderPrice":"19.8158","orderStatus":"60","createTime":"1725849542000","updateTime":1725849998000}';

describe('TruBit callback verification (RSA-SHA256, hex, SPKI base64)', () => {
  let publicB64: string;
  let privateKey: KeyObject;
  let signatureHex: string;

  before(() => {
    const pair = generateKeyPairSync('rsa', { modulusLength: 2048 });
    privateKey = pair.privateKey;
    publicB64 = pair.publicKey.export({ format: 'der', type: 'spki' }).toString('base64');
    signatureHex = sign('sha256', Buffer.from(BODY, 'utf8'), privateKey).toString('hex');
  });

  test('accepts a good signature over the raw body (Buffer or string, any hex case)', () => {
    assert.equal(signatureHex.length, 512);
    assert.equal(verifyTrubitCallback(Buffer.from(BODY), signatureHex, publicB64), true);
    assert.equal(verifyTrubitCallback(BODY, signatureHex.toUpperCase(), publicB64), true);
  });

  test('rejects a tampered body, including a re-serialized one', () => {
    assert.equal(verifyTrubitCallback(BODY.replace('"60"', '"70"'), signatureHex, publicB64), false);
    const reserialized = JSON.stringify(JSON.parse(BODY));
    assert.notEqual(reserialized, BODY);
    assert.equal(verifyTrubitCallback(reserialized, signatureHex, publicB64), false);
  });

  test('rejects another key, garbage and malformed hex without throwing', () => {
    const other = generateKeyPairSync('rsa', { modulusLength: 2048 })
      .publicKey.export({ format: 'der', type: 'spki' })
      .toString('base64');
    assert.equal(verifyTrubitCallback(BODY, signatureHex, other), false);
    for (const bad of [
      '',
      'zz',
      'abc',
      'not hex at all',
      signatureHex.slice(0, 100),
      `${signatureHex}00`,
      `${signatureHex.slice(0, -1)}g`,
    ]) {
      assert.equal(verifyTrubitCallback(BODY, bad, publicB64), false, bad.slice(0, 20));
    }
    assert.equal(verifyTrubitCallback(BODY, signatureHex, 'bm90IGEga2V5'), false);
    assert.equal(verifyTrubitCallback(BODY, undefined as unknown as string, publicB64), false);
  });

  test('the key is built once and cached; a bad key fails loudly at load time', () => {
    assert.equal(loadTrubitPublicKey(publicB64), loadTrubitPublicKey(publicB64));
    // PEM with armour also works (some operators will paste it that way).
    const pem = `-----BEGIN PUBLIC KEY-----\n${publicB64.match(/.{1,64}/g)!.join('\n')}\n-----END PUBLIC KEY-----\n`;
    assert.equal(verifyTrubitCallback(BODY, signatureHex, pem), true);
    assert.throws(() => loadTrubitPublicKey('bm90IGEga2V5'));
  });
});

describe('ORDER_WEBHOOK parser', () => {
  test('keeps a numeric orderId exact, maps orderAmount → fiatAmount, status as string', () => {
    const w = parseTrubitOrderWebhook(Buffer.from(BODY));
    assert.equal(w.orderId, '473130522693193728');
    assert.equal(w.fiatAmount, '99');
    assert.equal(w.orderStatus, '60');
    assert.equal(w.cryptoAmount, '5.00');
    assert.equal(w.orderPrice, '19.8158');
    assert.equal(w.merchantId, 4);
    assert.equal(w.orderType, 'SELL');
    assert.equal(w.webhookId, '0f1e2d3c4b5a69788796a5b4c3d2e1f0');
    assert.equal(w.createTime, '1725849542000');
    assert.equal(w.updateTime, 1725849998000);
  });

  test('fiatAmount wins over orderAmount; numeric status becomes a string; hasRefund kept', () => {
    const w = parseTrubitOrderWebhook(
      '{"orderId":"473130522693193729","fiatAmount":"100.50","orderAmount":"1","orderStatus":70,"hasRefund":1}',
    );
    assert.equal(w.fiatAmount, '100.50');
    assert.equal(w.orderStatus, '70');
    assert.equal(w.hasRefund, 1);
    assert.equal(w.eventType, undefined);
  });

  test('rejects non-order events and bodies without orderId/orderStatus', () => {
    for (const bad of [
      'not json',
      '[1]',
      '{"eventType":"FUNDING_WEBHOOK","orderId":"1","orderStatus":"60"}',
      '{"orderStatus":"60"}',
      '{"orderId":"abc","orderStatus":"60"}',
      '{"orderId":"1"}',
      '{"orderId":"1","orderStatus":"done"}',
    ]) {
      assert.throws(() => parseTrubitOrderWebhook(bad), TrubitCallbackPayloadError, bad);
    }
  });
});

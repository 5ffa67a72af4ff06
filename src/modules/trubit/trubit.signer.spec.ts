import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { buildQueryString, hmacSha256Hex, signPayload, signRequest } from './trubit.signer';

// trubit-otc.md §2.4: the docs' public sample secret.
const SECRET = 'lH3ELTNiFxCQTmi9pPcWWikhsjO04Yoqw3euoHUuOLC3GYBW64ZqzQsiOEHXQS76';

describe('TruBit signer (§2.4 vectors)', () => {
  test('A: classic BHEX query-string sample', () => {
    const qs =
      'symbol=ETHBTC&side=BUY&type=LIMIT&timeInForce=GTC&quantity=1&price=0.1&recvWindow=5000&timestamp=1538323200000';
    assert.equal(signPayload(SECRET, qs), '5f2750ad7589d1d40757a55342e621a44037dad23b5128cc70e18ec1d1c3f4c6');
    // Built through the query builder from ordered params, the same bytes come out.
    const built = buildQueryString([
      ['symbol', 'ETHBTC'],
      ['side', 'BUY'],
      ['type', 'LIMIT'],
      ['timeInForce', 'GTC'],
      ['quantity', 1],
      ['price', 0.1],
      ['recvWindow', 5000],
      ['timestamp', 1538323200000],
    ]);
    assert.equal(built, qs);
  });

  test('B: query + body concatenated with no separator', () => {
    const query = 'symbol=ETHBTC&side=BUY&type=LIMIT&timeInForce=GTC';
    const body = 'quantity=1&price=0.1&recvWindow=5000&timestamp=1538323200000';
    assert.equal(
      signPayload(SECRET, query, body),
      '885c9e3dd89ccd13408b25e6d54c2330703759d7494bea6dd5a3d1fd16ba3afa',
    );
    // A joining '&' would be a different signature.
    assert.notEqual(
      signPayload(SECRET, `${query}&`, body),
      '885c9e3dd89ccd13408b25e6d54c2330703759d7494bea6dd5a3d1fd16ba3afa',
    );
  });

  test("C: TruBit OTC sample signs the literal bytes (488d…, not the doc's 5faf…)", () => {
    const signed = signRequest({ body: '{"id":0}', secret: SECRET, timestamp: 1538323200000 });
    assert.equal(signed.unsignedQuery, 'timestamp=1538323200000');
    assert.equal(signed.signature, '488d9dde72afed28e11390e8064baab34386cda62f9fb884bd7cacac98182ba5');
    // The doc value only reproduces for the quote-stripped string: proof we sign the real bytes.
    assert.equal(
      hmacSha256Hex(SECRET, 'timestamp=1538323200000{id:0}'),
      '5fafd5098eca1e135037f335fe6a9ec6884271cb6933bd7f5ed6a3582f1f0eea',
    );
    assert.notEqual(signed.signature, '5fafd5098eca1e135037f335fe6a9ec6884271cb6933bd7f5ed6a3582f1f0eea');
  });

  test('D: OTC GET order/list, timestamp appended after the params, signature last', () => {
    const signed = signRequest({
      params: { currentPage: 1, pageSize: 10 },
      secret: SECRET,
      timestamp: 1700000000000,
    });
    assert.equal(signed.unsignedQuery, 'currentPage=1&pageSize=10&timestamp=1700000000000');
    assert.equal(signed.signature, 'ca2ad773f3daa80184c5e1019b4bc4e74b6543bd771942a1a5ad7f1549c13533');
    assert.equal(
      signed.query,
      'currentPage=1&pageSize=10&timestamp=1700000000000&signature=ca2ad773f3daa80184c5e1019b4bc4e74b6543bd771942a1a5ad7f1549c13533',
    );
  });

  test('E: OTC POST order/add with a JSON body', () => {
    const body =
      '{"country":"Mexico","mcId":3,"cryptoCurrency":"USDT","fiatCurrency":"MXN","orderAmount":"1000.00","orderType":"BUY","paymentId":58}';
    const signed = signRequest({ body, secret: SECRET, timestamp: 1700000000000 });
    assert.equal(signed.signature, 'e54561154fdf9af35587fab68fd5559fcc08ccabc9dc8b7a6ea65dc52a2ce960');
    assert.equal(signed.query, `timestamp=1700000000000&signature=${signed.signature}`);
    assert.equal(signed.body, body);
  });

  test('F: POST with recvWindow appended after timestamp', () => {
    const signed = signRequest({
      body: '{"orderId":433592805818896384}',
      secret: SECRET,
      timestamp: 1700000000000,
      recvWindow: 5000,
    });
    assert.equal(signed.unsignedQuery, 'timestamp=1700000000000&recvWindow=5000');
    assert.equal(signed.signature, '244a0d579e7c136775e945ea4d9bc274b89b15b9d9dcc196d401e2a00b1900f4');
  });

  test('null/0 recvWindow is left out; undefined/null params are skipped', () => {
    assert.equal(
      signRequest({ secret: SECRET, timestamp: 1, recvWindow: null }).unsignedQuery,
      'timestamp=1',
    );
    assert.equal(signRequest({ secret: SECRET, timestamp: 1, recvWindow: 0 }).unsignedQuery, 'timestamp=1');
    assert.equal(buildQueryString({ a: undefined, b: null, c: 'x' }), 'c=x');
  });

  test('the encoded form is what gets signed', () => {
    const signed = signRequest({
      params: { country: 'México D.F.&x' },
      secret: SECRET,
      timestamp: 1700000000000,
    });
    assert.equal(signed.unsignedQuery, 'country=M%C3%A9xico%20D.F.%26x&timestamp=1700000000000');
    assert.equal(signed.signature, hmacSha256Hex(SECRET, signed.unsignedQuery));
  });

  test('refuses caller-supplied timestamp/recvWindow/signature and bad timestamps', () => {
    assert.throws(() => signRequest({ params: { timestamp: 5 }, secret: SECRET, timestamp: 1 }), RangeError);
    assert.throws(
      () => signRequest({ params: [['signature', 'x']], secret: SECRET, timestamp: 1 }),
      RangeError,
    );
    assert.throws(() => signRequest({ secret: SECRET, timestamp: 1.5 }), RangeError);
  });
});

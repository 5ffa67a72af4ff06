import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { computeSignature, signatureMatches, stripSignature, verifySignature } from './signature.verifier';

// The public sample secret from the TruBit/BHEX docs; vectors from trubit-otc.md §2.4.
const SECRET = 'lH3ELTNiFxCQTmi9pPcWWikhsjO04Yoqw3euoHUuOLC3GYBW64ZqzQsiOEHXQS76';

describe('signature verifier: §2.4 vectors', () => {
  test('A: classic BHEX query-only sample', () => {
    const qs =
      'symbol=ETHBTC&side=BUY&type=LIMIT&timeInForce=GTC&quantity=1&price=0.1&recvWindow=5000&timestamp=1538323200000';
    assert.equal(
      computeSignature(SECRET, qs),
      '5f2750ad7589d1d40757a55342e621a44037dad23b5128cc70e18ec1d1c3f4c6',
    );
  });

  test('B: mixed query and body, no & at the junction', () => {
    const sig = computeSignature(
      SECRET,
      'symbol=ETHBTC&side=BUY&type=LIMIT&timeInForce=GTC',
      'quantity=1&price=0.1&recvWindow=5000&timestamp=1538323200000',
    );
    assert.equal(sig, '885c9e3dd89ccd13408b25e6d54c2330703759d7494bea6dd5a3d1fd16ba3afa');
  });

  test('C: TruBit OTC sample over the literal bytes gives the corrected 488d9dde… value', () => {
    const sig = computeSignature(SECRET, 'timestamp=1538323200000', '{"id":0}');
    assert.equal(sig, '488d9dde72afed28e11390e8064baab34386cda62f9fb884bd7cacac98182ba5');
    // The value printed in the doc is the HMAC of the shell-mangled string without quotes...
    assert.equal(
      computeSignature(SECRET, 'timestamp=1538323200000', '{id:0}'),
      '5fafd5098eca1e135037f335fe6a9ec6884271cb6933bd7f5ed6a3582f1f0eea',
    );
    // ...so for the real bytes it must be rejected.
    assert.equal(
      verifySignature(
        SECRET,
        'timestamp=1538323200000',
        '{"id":0}',
        '5fafd5098eca1e135037f335fe6a9ec6884271cb6933bd7f5ed6a3582f1f0eea',
      ),
      false,
    );
  });

  test('D: OTC GET order/list, signature stripped from the received query', () => {
    const received =
      'currentPage=1&pageSize=10&timestamp=1700000000000&signature=ca2ad773f3daa80184c5e1019b4bc4e74b6543bd771942a1a5ad7f1549c13533';
    const { signedQuery, signatures } = stripSignature(received);
    assert.equal(signedQuery, 'currentPage=1&pageSize=10&timestamp=1700000000000');
    assert.deepEqual(signatures, ['ca2ad773f3daa80184c5e1019b4bc4e74b6543bd771942a1a5ad7f1549c13533']);
    assert.equal(verifySignature(SECRET, signedQuery, '', signatures[0]), true);
  });

  test('E: OTC POST order/add with a JSON body', () => {
    const body =
      '{"country":"Mexico","mcId":3,"cryptoCurrency":"USDT","fiatCurrency":"MXN","orderAmount":"1000.00","orderType":"BUY","paymentId":58}';
    const sig = computeSignature(SECRET, 'timestamp=1700000000000', Buffer.from(body));
    assert.equal(sig, 'e54561154fdf9af35587fab68fd5559fcc08ccabc9dc8b7a6ea65dc52a2ce960');
  });

  test('F: POST with recvWindow and a bare big-number orderId', () => {
    const sig = computeSignature(
      SECRET,
      'timestamp=1700000000000&recvWindow=5000',
      '{"orderId":433592805818896384}',
    );
    assert.equal(sig, '244a0d579e7c136775e945ea4d9bc274b89b15b9d9dcc196d401e2a00b1900f4');
  });
});

describe('signature verifier: rules', () => {
  const qs = 'timestamp=1700000000000';
  const body = '{"orderId":433592805818896384}';
  const good = computeSignature(SECRET, qs, body);

  test('comparison is case-insensitive', () => {
    assert.equal(signatureMatches(good, good.toUpperCase()), true);
  });

  test('a re-serialised body (whitespace added) no longer verifies', () => {
    assert.equal(verifySignature(SECRET, qs, '{"orderId": 433592805818896384}', good), false);
  });

  test('garbage or truncated signatures are rejected without throwing', () => {
    assert.equal(signatureMatches(good, 'zz'), false);
    assert.equal(signatureMatches(good, good.slice(0, 63)), false);
  });

  test('signature may sit anywhere in the query; only its pair and joining & go', () => {
    assert.deepEqual(stripSignature(`signature=${good}&a=1&b=2`), {
      signedQuery: 'a=1&b=2',
      signatures: [good],
    });
    assert.deepEqual(stripSignature(`a=1&signature=${good}&b=2`), {
      signedQuery: 'a=1&b=2',
      signatures: [good],
    });
    assert.deepEqual(stripSignature('a=1&b=%20x'), { signedQuery: 'a=1&b=%20x', signatures: [] });
  });
});

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  jsonDecimal,
  jsonInteger,
  parseTrubitJson,
  stringifyTrubitJson,
  tryParseTrubitJson,
} from './trubit-json';

describe('TruBit JSON (big ints)', () => {
  test('{"orderId":433592805818896384} round-trips byte-exact', () => {
    const text = '{"orderId":433592805818896384}';
    const parsed = parseTrubitJson(text) as { orderId: string };
    assert.equal(parsed.orderId, '433592805818896384');
    // JSON.parse would have corrupted it:
    assert.notEqual(String(JSON.parse(text).orderId), '433592805818896384');
    assert.equal(stringifyTrubitJson({ orderId: jsonInteger(parsed.orderId) }), text);
  });

  test('response ids > 2^53 stay exact strings, quoted or not, also nested', () => {
    const parsed = parseTrubitJson(
      '{"record":[{"orderId":"433592805818896385","userId":9007199254740993,"accountId":1234567890123456789,"orderStatus":"30"}],"total":2}',
    ) as { record: Array<Record<string, unknown>>; total: unknown };
    assert.deepEqual(parsed.record[0], {
      orderId: '433592805818896385',
      userId: '9007199254740993',
      accountId: '1234567890123456789',
      orderStatus: '30',
    });
    assert.equal(parsed.total, 2);
  });

  test('an unknown big integer field also stays an exact string', () => {
    const parsed = parseTrubitJson('{"someNewId":12345678901234567890,"small":42}') as Record<
      string,
      unknown
    >;
    assert.equal(parsed.someNewId, '12345678901234567890');
    assert.equal(parsed.small, 42);
  });

  test('money fields are strings as received; small ints and flags are numbers', () => {
    const parsed = parseTrubitJson(
      '{"buyRate":20.07,"sellRate":"19.91","fiatAmount":"700.00","quantity":100.00,"hasOpen":1,"id":58,"allowDeposit":true,"orderStatus":40}',
    ) as Record<string, unknown>;
    assert.equal(parsed.buyRate, '20.07');
    assert.equal(parsed.sellRate, '19.91');
    assert.equal(parsed.fiatAmount, '700.00');
    assert.equal(parsed.quantity, '100.00');
    assert.equal(parsed.hasOpen, 1);
    assert.equal(parsed.id, 58);
    assert.equal(parsed.allowDeposit, true);
    assert.equal(parsed.orderStatus, 40);
  });

  test('`total` is a string in a balance but a number in a page', () => {
    const parsed = parseTrubitJson(
      '{"total":100,"balances":[{"asset":"USDT","total":0.2982,"free":"0.2982","locked":0}]}',
    ) as { total: unknown; balances: Array<Record<string, unknown>> };
    assert.equal(parsed.total, 100);
    assert.deepEqual(parsed.balances[0], { asset: 'USDT', total: '0.2982', free: '0.2982', locked: '0' });
  });

  test('small ids are still strings (ids are never numbers)', () => {
    assert.deepEqual(parseTrubitJson('{"orderId":12}'), { orderId: '12' });
  });

  test('stringify keeps insertion order, no whitespace, exact decimals and bigint', () => {
    const text = stringifyTrubitJson({
      b: 1,
      a: 'x',
      amount: jsonDecimal('1000.00'),
      id: 433592805818896384n,
      skip: undefined,
    });
    assert.equal(text, '{"b":1,"a":"x","amount":1000.00,"id":433592805818896384}');
  });

  test('jsonInteger rejects non-integers and unsafe JS numbers', () => {
    assert.throws(() => jsonInteger('12a'), RangeError);
    assert.throws(() => jsonInteger('1.5'), RangeError);
    assert.throws(() => jsonInteger(433592805818896384), RangeError);
    assert.equal(jsonInteger(' 77 ').toString(), '77');
  });

  test('tryParse returns undefined for non-JSON', () => {
    assert.equal(tryParseTrubitJson('<html>502</html>'), undefined);
    assert.equal(tryParseTrubitJson(''), undefined);
    assert.equal(tryParseTrubitJson('{bad'), undefined);
    assert.deepEqual(tryParseTrubitJson('[1]'), [1]);
  });
});

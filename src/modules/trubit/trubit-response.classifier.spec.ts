import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { TRUBIT_ENDPOINTS } from './trubit.endpoints';
import {
  interpretTrubitResponse,
  retryAfterMsFrom,
  unwrapTrubitEnvelope,
} from './trubit-response.classifier';
import {
  TrubitBusinessError,
  TrubitRateLimitError,
  TrubitUnknownOutcomeError,
  TrubitUpstreamError,
} from './trubit.errors';

const BACKOFF = { backoff429Ms: 10_000, backoff418Ms: 120_000 };
const NOW = 1_700_000_000_000;
const ok = (text: string, statusCode = 200) =>
  interpretTrubitResponse(TRUBIT_ENDPOINTS.getAccount, { statusCode, headers: {}, text }, NOW, BACKOFF);

describe('response interpretation', () => {
  test('envelope unwrap only for success codes with data', () => {
    assert.deepEqual(unwrapTrubitEnvelope({ code: 200, msg: 'SUCCESS', data: { a: 1 } }), { a: 1 });
    assert.deepEqual(unwrapTrubitEnvelope({ code: '0', data: [1] }), [1]);
    assert.deepEqual(unwrapTrubitEnvelope({ code: 200, msg: 'ok' }), { code: 200, msg: 'ok' });
    assert.deepEqual(unwrapTrubitEnvelope([{ code: 200, data: 1 }]), [{ code: 200, data: 1 }]);
    assert.deepEqual(ok('{"code":200,"msg":"SUCCESS","data":{"balances":[]}}'), { balances: [] });
    assert.equal(ok('{"code":200,"msg":"SUCCESS","data":null}'), null);
  });

  test('an envelope with a non-success code is an error (status code ignored)', () => {
    assert.throws(
      () => ok('{"code":-2013,"msg":"Order does not exist."}'),
      (e: unknown) => e instanceof TrubitBusinessError && e.code === -2013,
    );
    assert.throws(
      () => ok('{"code":"-1130","msg":"bad"}', 400),
      (e: unknown) => e instanceof TrubitBusinessError && e.code === -1130,
    );
  });

  test('-1003/-1015 with a 400 are still rate limits', () => {
    assert.throws(() => ok('{"code":-1015,"msg":"Too many new orders"}', 400), TrubitRateLimitError);
  });

  test('3xx and 408 are treated as server-side', () => {
    assert.throws(() => ok('', 302), TrubitUpstreamError);
    assert.throws(
      () =>
        interpretTrubitResponse(
          TRUBIT_ENDPOINTS.addPayment,
          { statusCode: 408, headers: {}, text: '' },
          NOW,
          BACKOFF,
        ),
      TrubitUnknownOutcomeError,
    );
  });

  test('retry-after: seconds, HTTP date, "banned until", fallback, and a 3-day cap', () => {
    assert.equal(retryAfterMsFrom({ headers: { 'retry-after': '2' } }, '', NOW, 5), 2000);
    assert.equal(
      retryAfterMsFrom({ headers: { 'retry-after': new Date(NOW + 30_000).toUTCString() } }, '', NOW, 5),
      30_000,
    );
    assert.equal(retryAfterMsFrom({ headers: {} }, `IP banned until ${NOW + 7000}`, NOW, 5), 7000);
    assert.equal(retryAfterMsFrom({ headers: {} }, 'Too many requests', NOW, 10_000), 10_000);
    assert.equal(retryAfterMsFrom({ headers: {} }, `IP banned until ${NOW - 1}`, NOW, 99), 99);
    assert.equal(
      retryAfterMsFrom({ headers: { 'retry-after': '99999999' } }, '', NOW, 5),
      3 * 24 * 3600 * 1000,
    );
  });
});

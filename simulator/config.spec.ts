import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { SimConfigError, loadSimulatorOptions } from './config';

describe('simulator env config', () => {
  test('defaults: port 4010 on localhost, nothing else forced', () => {
    const o = loadSimulatorOptions({});
    assert.equal(o.port, 4010);
    assert.equal(o.host, '127.0.0.1');
    assert.equal(o.auto, undefined);
  });

  test('reads every documented variable', () => {
    const o = loadSimulatorOptions({
      SIM_PORT: '0',
      SIM_HOST: '0.0.0.0',
      SIM_AUTO: '0',
      SIM_APPROVE_DELAY_MS: '5',
      SIM_PAY_DELAY_MS: '6',
      SIM_RELEASE_DELAY_MS: '7',
      SIM_MERCHANT_APPROVE_DELAY_MS: 'off',
      SIM_CALLBACK_URL: 'http://127.0.0.1:3000/callbacks/trubit',
      SIM_CALLBACK_RETRY_MS: '0,10,20',
      SIM_SELL_RATE: '17.5',
      SIM_BUY_RATE: '18.25',
      SIM_ENVELOPE: 'true',
      SIM_ACCOUNTS: 'k1:s1,k2:s:2',
      SIM_SEED_BALANCES: 'USDT=1000',
      SIM_RSA_PRIVATE_KEY: '-----BEGIN PRIVATE KEY-----\\nabc\\n-----END PRIVATE KEY-----',
    });
    assert.equal(o.port, 0);
    assert.equal(o.auto, false);
    assert.deepEqual(o.delays, { approveMs: 5, payMs: 6, releaseMs: 7, merchantApproveMs: null });
    assert.equal(o.callbackUrl, 'http://127.0.0.1:3000/callbacks/trubit');
    assert.deepEqual(o.callbackRetryMs, [0, 10, 20]);
    assert.equal(o.sellRate, '17.5');
    assert.equal(o.buyRate, '18.25');
    assert.equal(o.envelope, true);
    assert.deepEqual(o.accounts, [
      { apiKey: 'k1', apiSecret: 's1', balances: { USDT: '1000' } },
      { apiKey: 'k2', apiSecret: 's:2', balances: { USDT: '1000' } },
    ]);
    assert.equal(o.rsaPrivateKeyPem, '-----BEGIN PRIVATE KEY-----\nabc\n-----END PRIVATE KEY-----');
  });

  test('a bad value names its variable', () => {
    assert.throws(
      () => loadSimulatorOptions({ SIM_AUTO: 'maybe' }),
      (e: unknown) => e instanceof SimConfigError && /SIM_AUTO/.test(e.message),
    );
    assert.throws(() => loadSimulatorOptions({ SIM_SELL_RATE: '1e3' }), /SIM_SELL_RATE/);
    assert.throws(() => loadSimulatorOptions({ SIM_ACCOUNTS: 'nocolon' }), /SIM_ACCOUNTS/);
    assert.throws(() => loadSimulatorOptions({ SIM_PORT: '-1' }), /SIM_PORT/);
  });
});

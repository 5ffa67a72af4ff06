import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { isNonPublicAddress, webhookUrlProblem } from './webhook-url.policy';

describe('webhook URL policy', () => {
  test('https public URLs pass', () => {
    assert.equal(webhookUrlProblem('https://hooks.partner.example/mp2p', false), null);
  });

  test('http, loopback, private and link-local targets are refused in secure mode', () => {
    for (const url of [
      'http://hooks.partner.example/x',
      'https://127.0.0.1/x',
      'https://localhost/x',
      'https://10.0.0.5/x',
      'https://192.168.1.1/x',
      'https://172.16.0.1/x',
      'https://169.254.169.254/latest/meta-data',
      'https://[::1]/x',
      'https://[fd00::1]/x',
      'https://[::ffff:127.0.0.1]/x',
    ]) {
      assert.notEqual(webhookUrlProblem(url, false), null, url);
    }
  });

  test('insecure mode (development, tests, demo) allows local http targets but not other schemes', () => {
    assert.equal(webhookUrlProblem('http://127.0.0.1:9999/hook', true), null);
    assert.notEqual(webhookUrlProblem('ftp://127.0.0.1/x', true), null);
    assert.notEqual(webhookUrlProblem('not a url', true), null);
    assert.notEqual(webhookUrlProblem('https://user:pw@example.com/', true), null);
  });

  test('classifies addresses', () => {
    assert.equal(isNonPublicAddress('8.8.8.8'), false);
    assert.equal(isNonPublicAddress('100.64.0.1'), true);
    assert.equal(isNonPublicAddress('2606:4700::1111'), false);
    assert.equal(isNonPublicAddress('fe80::1'), true);
  });
});

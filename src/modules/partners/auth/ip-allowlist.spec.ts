import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { IpAllowlist } from './ip-allowlist';

describe('IpAllowlist', () => {
  test('an empty list allows everyone', () => {
    assert.equal(IpAllowlist.compile([]).allows('203.0.113.9'), true);
  });

  test('matches single IPv4 addresses and CIDRs', () => {
    const list = IpAllowlist.compile(['203.0.113.7', '10.1.0.0/16']);
    assert.equal(list.allows('203.0.113.7'), true);
    assert.equal(list.allows('203.0.113.8'), false);
    assert.equal(list.allows('10.1.200.3'), true);
    assert.equal(list.allows('10.2.0.1'), false);
  });

  test('matches IPv6 addresses and prefixes', () => {
    const list = IpAllowlist.compile(['2001:db8::/32', '::1']);
    assert.equal(list.allows('2001:db8:1::5'), true);
    assert.equal(list.allows('2001:db9::1'), false);
    assert.equal(list.allows('::1'), true);
  });

  test('IPv4-mapped IPv6 client addresses match IPv4 entries', () => {
    const list = IpAllowlist.compile(['127.0.0.1']);
    assert.equal(list.allows('::ffff:127.0.0.1'), true);
    assert.equal(list.allows('::ffff:127.0.0.2'), false);
  });

  test('garbage client addresses are refused when a list is set', () => {
    assert.equal(IpAllowlist.compile(['127.0.0.1']).allows('not-an-ip'), false);
  });

  test('validates operator input', () => {
    for (const ok of ['1.2.3.4', '1.2.3.0/24', '::1', '2001:db8::/48', '0.0.0.0/0'])
      assert.equal(IpAllowlist.isValidEntry(ok), true, ok);
    for (const bad of ['1.2.3', '1.2.3.4/33', '::1/129', 'a.b.c.d', '1.2.3.4/8/1', '1.2.3.4/x', '']) {
      assert.equal(IpAllowlist.isValidEntry(bad), false, bad);
    }
  });
});

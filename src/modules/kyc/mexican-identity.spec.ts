import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  ageInYears,
  curpCheckDigit,
  curpCheckDigitValid,
  CURP_PATTERN,
  isValidYyMmDd,
  parseCalendarDate,
  RFC_COMPANY_PATTERN,
  RFC_PERSON_PATTERN,
  rfcDateDigits,
} from './mexican-identity';

describe('Mexican identity formats', () => {
  test('CURP: published examples pass the layout and the check digit', () => {
    for (const curp of ['HEGG560427MVZRRL04', 'MAHJ280603MSPRRV09']) {
      assert.match(curp, CURP_PATTERN);
      assert.ok(curpCheckDigitValid(curp), curp);
    }
  });

  test('CURP: a wrong check digit, a bad state, a bad month, lowercase or wrong length fail', () => {
    assert.equal(curpCheckDigitValid('HEGG560427MVZRRL05'), false);
    assert.equal(curpCheckDigitValid('HEGG560427MXXRRL04'), false); // XX is no state
    assert.equal(curpCheckDigitValid('HEGG561327MVZRRL04'), false); // month 13
    assert.equal(curpCheckDigitValid('hegg560427mvzrrl04'), false);
    assert.equal(curpCheckDigitValid('HEGG560427MVZRRL0'), false);
  });

  test('CURP check digit helper agrees with validation', () => {
    const first17 = 'LOGA900427MDFPRN0';
    assert.ok(curpCheckDigitValid(first17 + curpCheckDigit(first17)));
  });

  test('RFC: 13 characters for people, 12 for companies', () => {
    assert.match('HEGG560427AB1', RFC_PERSON_PATTERN);
    assert.doesNotMatch('HEGG560427AB1', RFC_COMPANY_PATTERN);
    assert.match('EJE150601AB2', RFC_COMPANY_PATTERN);
    assert.doesNotMatch('EJE150601AB2', RFC_PERSON_PATTERN);
    assert.equal(rfcDateDigits('HEGG560427AB1'), '560427');
    assert.equal(rfcDateDigits('EJE150601AB2'), '150601');
  });

  test('calendar dates are real days only', () => {
    assert.equal(parseCalendarDate('2024-02-29')?.toISOString(), '2024-02-29T00:00:00.000Z');
    assert.equal(parseCalendarDate('2023-02-29'), null);
    assert.equal(parseCalendarDate('2023-13-01'), null);
    assert.equal(parseCalendarDate('2023-1-01'), null);
    assert.ok(isValidYyMmDd('000229'));
    assert.equal(isValidYyMmDd('991301'), false);
  });

  test('age counts full years', () => {
    const birth = new Date('2008-06-15T00:00:00Z');
    assert.equal(ageInYears(birth, new Date('2026-06-14T23:00:00Z')), 17);
    assert.equal(ageInYears(birth, new Date('2026-06-15T00:00:00Z')), 18);
  });
});

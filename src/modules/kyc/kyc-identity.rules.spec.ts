import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { StartKycInput } from './inputs/start-kyc.input';
import { checkKycIdentity } from './kyc-identity.rules';

const today = new Date('2026-11-22T12:00:00Z');
const contact = {
  level: 'BASIC',
  email: 'ana@example.com',
  phone: '+525512345678',
  address: 'Av. Reforma 1',
  city: 'Ciudad de México',
  state: 'CMX',
  zipCode: '06600',
} as const;
const personal = (extra: Partial<StartKycInput> = {}) =>
  ({
    ...contact,
    type: 'PERSONAL',
    name: 'Gabriela',
    fatherSurname: 'Hernández',
    birthday: '1956-04-27',
    curp: 'HEGG560427MVZRRL04',
    ...extra,
  }) as StartKycInput;
const company = (extra: Partial<StartKycInput> = {}) =>
  ({
    ...contact,
    type: 'COMPANY',
    companyName: 'Ejemplo SC',
    rfc: 'EJE150601AB2',
    incorporationDate: '2015-06-01',
    companyType: 'SC',
    ...extra,
  }) as StartKycInput;
const fields = (input: StartKycInput) => checkKycIdentity(input, today).map((p) => p.field);

describe('KYC identity rules', () => {
  test('complete PERSONAL (curp or rfc) and COMPANY requests pass', () => {
    assert.deepEqual(fields(personal()), []);
    assert.deepEqual(fields(personal({ curp: undefined, rfc: 'HEGG560427AB1' })), []);
    assert.deepEqual(fields(company()), []);
  });

  test('PERSONAL needs name, fatherSurname, birthday and curp or rfc', () => {
    const got = fields(
      personal({ name: undefined, fatherSurname: undefined, birthday: undefined, curp: undefined }),
    );
    assert.deepEqual(got.sort(), ['birthday', 'curp', 'fatherSurname', 'name']);
  });

  test('PERSONAL refuses company fields and a company RFC', () => {
    assert.deepEqual(fields(personal({ companyName: 'X SA', companyType: 'SA' })).sort(), [
      'companyName',
      'companyType',
    ]);
    assert.deepEqual(fields(personal({ rfc: 'EJE150601AB2' })), ['rfc']);
  });

  test('birthday must be a real past date of an adult, and agree with the CURP', () => {
    assert.deepEqual(fields(personal({ birthday: '1956-02-30' })), ['birthday']);
    assert.deepEqual(fields(personal({ birthday: '2027-01-01', curp: undefined, rfc: 'HEGG560427AB1' })), [
      'birthday',
    ]);
    assert.deepEqual(fields(personal({ birthday: '2010-01-01', curp: undefined, rfc: 'HEGG560427AB1' })), [
      'birthday',
    ]);
    assert.deepEqual(fields(personal({ birthday: '1880-01-01', curp: undefined, rfc: 'HEGG560427AB1' })), [
      'birthday',
    ]);
    assert.deepEqual(fields(personal({ birthday: '1956-04-28' })), ['curp']);
  });

  test('a CURP with a wrong check digit is refused', () => {
    assert.deepEqual(fields(personal({ curp: 'HEGG560427MVZRRL05' })), ['curp']);
  });

  test('COMPANY needs its fields, a 12-character RFC, a past incorporation date, and no personal fields', () => {
    assert.deepEqual(
      fields(
        company({
          companyName: undefined,
          rfc: undefined,
          incorporationDate: undefined,
          companyType: undefined,
        }),
      ).sort(),
      ['companyName', 'companyType', 'incorporationDate', 'rfc'],
    );
    assert.deepEqual(fields(company({ rfc: 'HEGG560427AB1' })), ['rfc']);
    assert.deepEqual(fields(company({ incorporationDate: '2030-01-01' })), ['incorporationDate']);
    assert.deepEqual(fields(company({ incorporationDate: '2015-02-29' })), ['incorporationDate']);
    assert.deepEqual(fields(company({ name: 'Ana', curp: 'HEGG560427MVZRRL04' })).sort(), ['curp', 'name']);
  });
});

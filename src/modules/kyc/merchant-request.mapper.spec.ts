import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { StartKycInput } from './inputs/start-kyc.input';
import { nextMerchantName, toAddMerchantRequest } from './merchant-request.mapper';

describe('merchant request mapping', () => {
  test('merchant names derive from the user id and are numbered per attempt', () => {
    assert.equal(nextMerchantName('cabc', null), 'mp2p-cabc');
    assert.equal(nextMerchantName('cabc', 'mp2p-cabc'), 'mp2p-cabc-2');
    assert.equal(nextMerchantName('cabc', 'mp2p-cabc-2'), 'mp2p-cabc-3');
    assert.equal(nextMerchantName('cabc', 'someone-else'), 'mp2p-cabc');
  });

  test('PERSONAL sends the personal fields only; COMPANY the company fields only', () => {
    const contact = {
      level: 'FULL',
      email: 'a@example.com',
      phone: '5512345678',
      address: 'Calle 1',
      city: 'Puebla',
      state: 'PUE',
      zipCode: '72000',
    };
    const p = toAddMerchantRequest(
      {
        ...contact,
        type: 'PERSONAL',
        name: 'Ana',
        fatherSurname: 'Ruiz',
        birthday: '1990-01-02',
        curp: 'X',
      } as StartKycInput,
      'mp2p-c1',
    );
    assert.equal(p.trench, 'CLABE');
    assert.equal(p.merchantType, 'PERSONAL');
    assert.equal(p.merchantName, 'mp2p-c1');
    assert.equal(p.motherSurname, '');
    assert.equal(p.companyName, undefined);
    const c = toAddMerchantRequest(
      {
        ...contact,
        type: 'COMPANY',
        companyName: 'Ej SC',
        rfc: 'R',
        companyType: 'SC',
        incorporationDate: '2015-06-01',
      } as StartKycInput,
      'mp2p-c2',
    );
    assert.equal(c.merchantType, 'COMPANY');
    assert.equal(c.companyName, 'Ej SC');
    assert.equal(c.name, undefined);
    assert.equal(c.birthday, undefined);
  });
});

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import Decimal from 'decimal.js';
import type { AppConfig } from '@app/config/app-config';
import { addOrderRequest } from './order-submitter.service';
import { fillFields } from './payout-method.provisioner';
import type { OrderForSubmission } from './submission.repository';

describe('what is sent to TruBit', () => {
  test('order/add: SELL of sellQuantity (4 dp) with orderAmount = floor2(quantity × rate)', () => {
    const order = {
      token: 'USDT',
      sellQuantity: new Decimal('98.499700'),
      exchangeRate: new Decimal('17.25'),
    } as unknown as OrderForSubmission;
    const config = { trubit: { country: 'Mexico' } } as AppConfig;
    assert.deepEqual(addOrderRequest(order, 3, '221', config), {
      country: 'Mexico',
      mcId: 3,
      cryptoCurrency: 'USDT',
      fiatCurrency: 'MXN',
      orderType: 'SELL',
      quantity: '98.4997',
      orderAmount: '1699.11',
      paymentId: 221,
    });
  });

  test('payment/add fields: CLABE in the account field, bank name in the bank field', () => {
    const fields = fillFields(
      [
        { index: 0, textType: 1, title: 'Cuenta CLABE', isAccount: true, maxLimit: 18, text: '' },
        { index: 1, textType: 4, title: 'Banco', isAccount: false, maxLimit: 5, text: '' },
        { index: 2, textType: 4, title: 'Referencia', isAccount: false, text: 'x' },
      ],
      '012345678901234568',
      'BBVA Bancomer',
    );
    assert.deepEqual(
      fields.map((f) => f.text),
      ['012345678901234568', 'BBVA ', 'x'],
    );
  });
});

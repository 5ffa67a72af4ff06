import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { TrubitOrderDetail } from '@app/modules/trubit/trubit.types';
import { closestMatch, detailMatches, summaryMayMatch, type SubmissionFacts } from './submission.matcher';

const at = new Date('2026-01-01T12:00:00.000Z');
const facts: SubmissionFacts = {
  token: 'USDT',
  sellQuantity: '85.342100',
  submittedAt: at,
  trubitMerchantId: '7',
  trubitPaymentId: '221',
};

function detail(over: Partial<TrubitOrderDetail> = {}): TrubitOrderDetail {
  return {
    orderId: '433592805818896384',
    cryptoCurrency: 'USDT',
    fiatCurrency: 'MXN',
    orderPrice: '19.91',
    quantity: '85.3421',
    fiatAmount: '1699.14',
    orderType: 'SELL',
    orderStatus: 10,
    createTime: at.getTime() + 150,
    mcId: 7,
    userPaymentInfo: { id: 221 },
    ...over,
  };
}

describe('unknown submission matcher', () => {
  test('a SELL of the same token and 4-dp quantity passes the list pre-filter', () => {
    assert.equal(summaryMayMatch(facts, detail()), true);
    assert.equal(summaryMayMatch(facts, detail({ quantity: '85.34210' })), true);
    assert.equal(summaryMayMatch(facts, detail({ quantity: '85.3422' })), false);
    assert.equal(summaryMayMatch(facts, detail({ orderType: 'BUY' })), false);
    assert.equal(summaryMayMatch(facts, detail({ cryptoCurrency: 'BTC' })), false);
    assert.equal(summaryMayMatch(facts, detail({ quantity: 'garbage' })), false);
  });

  test('our 6-dp quantity is compared truncated to TruBit’s 4 dp', () => {
    assert.equal(summaryMayMatch({ ...facts, sellQuantity: '85.342199' }, detail()), true);
  });

  test('createTime must fall within [submittedAt − 10 s, submittedAt + 5 min]', () => {
    const t = at.getTime();
    assert.equal(detailMatches(facts, detail({ createTime: t - 10_000 })), true);
    assert.equal(detailMatches(facts, detail({ createTime: t - 10_001 })), false);
    assert.equal(detailMatches(facts, detail({ createTime: String(t + 300_000) })), true);
    assert.equal(detailMatches(facts, detail({ createTime: t + 300_001 })), false);
    assert.equal(detailMatches(facts, detail({ createTime: undefined })), false);
  });

  test('the merchant must be ours; the payout method too when TruBit says which', () => {
    assert.equal(detailMatches(facts, detail({ mcId: 8 })), false);
    assert.equal(detailMatches(facts, detail({ mcId: undefined })), false);
    assert.equal(detailMatches({ ...facts, trubitMerchantId: null }, detail()), false);
    assert.equal(detailMatches(facts, detail({ userPaymentInfo: { id: 222 } })), false);
    assert.equal(detailMatches(facts, detail({ userPaymentInfo: null })), true);
    assert.equal(detailMatches({ ...facts, trubitPaymentId: null }, detail()), true);
  });

  test('among several matches the one created closest to our submission wins; ties go to the older id', () => {
    const t = at.getTime();
    const far = detail({ orderId: '433592805818896390', createTime: t + 60_000 });
    const near = detail({ orderId: '433592805818896391', createTime: t + 40 });
    const before = detail({ orderId: '433592805818896389', createTime: t - 40 });
    const other = detail({ orderId: '433592805818896392', createTime: t, mcId: 9 });
    assert.equal(closestMatch(facts, [far, near, other])?.orderId, near.orderId);
    assert.equal(closestMatch(facts, [far, near, before, other])?.orderId, before.orderId);
    assert.equal(closestMatch(facts, [other]), undefined);
    assert.equal(closestMatch(facts, []), undefined);
  });
});

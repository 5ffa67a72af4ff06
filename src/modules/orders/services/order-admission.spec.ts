import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import Decimal from 'decimal.js';
import { ApiError } from '@app/common/errors/api.error';
import type { PartnerContext } from '@app/modules/partners/auth/partner-context';
import { Admission, AdmissionState, admitOrders, OrderRequest, QuoteForOrder } from './order-admission';

const NOW = new Date('2026-11-22T12:00:00.000Z');
const ACCOUNT = 'operator-key';

function partner(id: string, limits: Partial<PartnerContext['limits']> = {}): PartnerContext {
  return {
    id,
    name: id,
    tier: 'ENTERPRISE',
    kycModel: 'PARTNER_MANAGED',
    keyId: `${id}-key`,
    limits: {
      requestsPerMinute: 1000,
      monthlyUsers: null,
      monthlyVolumeMxn: null,
      dailyVolumeMxn: null,
      kycPerMonth: null,
      revenueSharePercent: 20,
      ...limits,
    },
  };
}

// 100 USDT at 20 → 2000 MXN gross, 1% fee → net 1980 → sells floor4(1980/20) = 99 USDT.
function quote(id: string, over: Partial<QuoteForOrder> = {}): QuoteForOrder {
  return {
    id,
    partnerId: 'p1',
    userId: 'u1',
    type: 'SELL',
    token: 'USDT',
    amount: '100',
    exchangeRate: '20',
    grossAmountMxn: '2000.00',
    feePercent: '1',
    feeAmountMxn: '20.00',
    feeRecipient: 'PARTNER',
    netAmountMxn: '1980.00',
    revenueSharePercent: '20',
    expiresAt: new Date(NOW.getTime() + 60_000),
    usedAt: null,
    user: {
      id: 'u1',
      partnerUserRef: 'alice',
      kycStatus: 'NOT_REQUIRED',
      kycAttestation: { level: 'FULL' },
      amlRiskLevel: 'LOW',
    },
    ...over,
  };
}

function request(quoteId: string, p = partner('p1'), ref = 'alice'): OrderRequest {
  return {
    partner: p,
    input: { quoteId, partnerUserRef: ref, sellerClabe: '002010077777777771' },
    clabe: { clabe: '002010077777777771', bankCode: '002', bankName: 'BANAMEX' },
    accountKey: ACCOUNT,
  };
}

function state(quotes: QuoteForOrder[], over: Partial<AdmissionState> = {}): AdmissionState {
  return {
    now: NOW,
    kycThresholdMxn: 10_000,
    orderTtlMinutes: 60,
    quotes: new Map(quotes.map((q) => [q.id, q])),
    partnerVolume: new Map(),
    userMonthly: new Map(),
    available: new Map([[`${ACCOUNT}|USDT`, new Decimal(1000)]]),
    fundable: new Set([ACCOUNT]),
    ...over,
  };
}

const codeOf = (a: Admission) => (a instanceof ApiError ? a.code : a.order.submission);

describe('admitOrders (one batch of POST /orders)', () => {
  it('builds the order from the quote: amounts, fee split, CLABE, TTL, funded when the balance covers it', () => {
    const [a] = admitOrders([request('q1')], state([quote('q1')]));
    assert.ok(!(a instanceof ApiError));
    assert.equal(a.order.sellQuantity, '99');
    assert.equal(a.order.reservedQuantity, '99');
    assert.equal(a.order.submission, 'QUEUED');
    assert.deepEqual(a.order.fundedAt, NOW);
    assert.equal(a.order.partnerFeeMxn, '16');
    assert.equal(a.order.platformFeeMxn, '4');
    assert.equal(a.order.bankName, 'BANAMEX');
    assert.equal(a.order.expiresAt.toISOString(), '2026-11-22T13:00:00.000Z');
    assert.equal(a.available?.toString(), '1000');
  });

  it('lets only the first of several requests for one quote through; the rest get QUOTE_USED', () => {
    const res = admitOrders([request('q1'), request('q1'), request('q1')], state([quote('q1')]));
    assert.deepEqual(res.map(codeOf), ['QUEUED', 'QUOTE_USED', 'QUOTE_USED']);
  });

  it('checks the quote in the documented order and hides other partners’ quotes', () => {
    const quotes = [
      quote('used', { usedAt: NOW }),
      quote('expired', { expiresAt: NOW }),
      quote('theirs', { partnerId: 'p2' }),
      quote('buy', { type: 'BUY' }),
      quote('bob', { usedAt: NOW }),
    ];
    const res = admitOrders(
      [
        request('missing'),
        request('theirs'),
        request('buy'),
        request('bob', partner('p1'), 'bob'),
        request('used'),
        request('expired'),
      ],
      state(quotes),
    );
    assert.deepEqual(res.map(codeOf), [
      'INVALID_QUOTE',
      'INVALID_QUOTE',
      'INVALID_QUOTE',
      'QUOTE_USER_MISMATCH',
      'QUOTE_USED',
      'QUOTE_EXPIRED',
    ]);
  });

  it('counts earlier orders of the batch against the daily and monthly volume limits', () => {
    const p = partner('p1', { dailyVolumeMxn: 5000 });
    const res = admitOrders(
      [request('q1', p), request('q2', p), request('q3', p)],
      state([quote('q1'), quote('q2'), quote('q3')], {
        partnerVolume: new Map([['p1', { daily: new Decimal(1000), monthly: new Decimal(1000) }]]),
      }),
    );
    assert.deepEqual(res.map(codeOf), ['QUEUED', 'QUEUED', 'VOLUME_LIMIT_EXCEEDED']);
    assert.deepEqual((res[2] as ApiError).details, {
      scope: 'daily',
      limitMxn: 5000,
      usedMxn: 5000,
      orderMxn: 2000,
    });
    const monthly = admitOrders(
      [request('q1', partner('p1', { monthlyVolumeMxn: 2500 }))],
      state([quote('q1')], {
        partnerVolume: new Map([['p1', { daily: new Decimal(0), monthly: new Decimal(600) }]]),
      }),
    );
    assert.equal(codeOf(monthly[0]), 'VOLUME_LIMIT_EXCEEDED');
  });

  it('asks for KYC once the user’s month would pass the threshold without approved KYC', () => {
    const noKyc = {
      id: 'u1',
      partnerUserRef: 'alice',
      kycStatus: 'NOT_REQUIRED' as const,
      kycAttestation: null,
      amlRiskLevel: 'LOW',
    };
    const res = admitOrders(
      [request('q1'), request('q2')],
      state([quote('q1', { user: noKyc }), quote('q2', { user: noKyc })], {
        kycThresholdMxn: 3000,
        userMonthly: new Map([['u1', new Decimal(500)]]),
      }),
    );
    assert.deepEqual(res.map(codeOf), ['QUEUED', 'KYC_REQUIRED']);
  });

  it('funds orders in arrival order until the available balance runs out, then leaves them PENDING_DEPOSIT', () => {
    const res = admitOrders(
      [request('q1'), request('q2'), request('q3')],
      state([quote('q1'), quote('q2'), quote('q3')], {
        available: new Map([[`${ACCOUNT}|USDT`, new Decimal(200)]]),
      }),
    );
    assert.deepEqual(res.map(codeOf), ['QUEUED', 'QUEUED', 'NOT_SUBMITTED']);
    const last = res[2];
    assert.ok(!(last instanceof ApiError));
    assert.equal(last.available?.toString(), '2', 'what is left after the first two reserved 99 each');
    assert.equal(last.order.reservedQuantity, '0');
    assert.equal(last.order.fundedAt, null);
  });

  it('never funds from an account whose balance could not be read (available null)', () => {
    const [a] = admitOrders([request('q1')], state([quote('q1')], { fundable: new Set() }));
    assert.ok(!(a instanceof ApiError));
    assert.equal(a.order.submission, 'NOT_SUBMITTED');
    assert.equal(a.available, null);
  });

  it('a rejected request takes nothing: the next one still gets the volume and the funds', () => {
    const p = partner('p1', { dailyVolumeMxn: 2000 });
    const res = admitOrders(
      [request('missing', p), request('q1', p)],
      state([quote('q1')], { available: new Map([[`${ACCOUNT}|USDT`, new Decimal(99)]]) }),
    );
    assert.deepEqual(res.map(codeOf), ['INVALID_QUOTE', 'QUEUED']);
  });
});

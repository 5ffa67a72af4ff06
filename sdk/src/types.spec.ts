import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { isPartnerErrorCode, PARTNER_ERROR_STATUS, type PartnerErrorCode } from './errors';
import type { CreateQuoteRequest, StartKycRequest, WebhookEvent } from './types';

// partner-api.md §2: the seed table and the [decision] additions, with their HTTP statuses.
const SPEC_CODES: Record<string, number> = {
  MISSING_API_KEY: 401,
  INVALID_API_KEY: 401,
  PARTNER_INACTIVE: 403,
  PARTNER_SUSPENDED: 403,
  IP_NOT_ALLOWED: 403,
  RATE_LIMITED: 429,
  VALIDATION_ERROR: 400,
  INVALID_CLABE: 400,
  INVALID_QUOTE: 404,
  QUOTE_EXPIRED: 410,
  QUOTE_USED: 409,
  QUOTE_USER_MISMATCH: 400,
  NOT_FOUND: 404,
  DUPLICATE_USER: 409,
  USER_LIMIT_REACHED: 403,
  VOLUME_LIMIT_EXCEEDED: 403,
  KYC_NOT_AVAILABLE: 400,
  KYC_LIMIT_REACHED: 403,
  KYC_SESSION_FAILED: 502,
  KYC_REQUIRED: 403,
  ORDER_NOT_CANCELLABLE: 409,
  IDEMPOTENCY_KEY_REUSED: 422,
  IDEMPOTENCY_IN_PROGRESS: 409,
  UPSTREAM_UNAVAILABLE: 503,
  UPSTREAM_REJECTED: 502,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_TOKEN: 400,
  INTERNAL_ERROR: 500,
};

describe('public types', () => {
  test('every documented error code is in the PartnerErrorCode union with its status', () => {
    for (const [code, status] of Object.entries(SPEC_CODES)) {
      assert.ok(isPartnerErrorCode(code), code);
      assert.equal(PARTNER_ERROR_STATUS[code], status, code);
    }
    assert.equal(isPartnerErrorCode('NOPE'), false);
    assert.equal(isPartnerErrorCode('toString'), false);
  });

  test('compile-time contracts (checked by tsc --noEmit)', () => {
    // Never called: only its types matter. Each @ts-expect-error fails the typecheck if the line compiles.
    const contracts = (event: WebhookEvent) => {
      const byAmount: CreateQuoteRequest = { type: 'SELL', amount: 100, partnerUserRef: 'u' };
      const byUsdc: CreateQuoteRequest = { type: 'SELL', amountUsdc: 100, partnerUserRef: 'u' };
      // @ts-expect-error: amount and amountUsdc are exclusive
      const both: CreateQuoteRequest = { type: 'SELL', amount: 1, amountUsdc: 1, partnerUserRef: 'u' };
      // @ts-expect-error: only SELL quotes exist
      const buy: CreateQuoteRequest = { type: 'BUY', amount: 1, partnerUserRef: 'u' };
      // @ts-expect-error: COMPANY KYC needs companyName, rfc, incorporationDate, companyType
      const company: StartKycRequest = { type: 'COMPANY', level: 'FULL', email: 'a@b.c' };
      // @ts-expect-error: not a documented error code
      const code: PartnerErrorCode = 'QUOTE_EXPIRD';
      if (event.event === 'order.completed') {
        const sequence: number = event.data.sequence;
        void sequence;
      } else if (event.event === 'user.kyc_approved') {
        // @ts-expect-error: user events carry no order sequence
        const sequence: number = event.data.sequence;
        void sequence;
      }
      return [byAmount, byUsdc, both, buy, company, code];
    };
    assert.equal(typeof contracts, 'function');
  });
});

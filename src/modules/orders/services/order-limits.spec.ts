import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { kycSatisfied, utcPeriods } from './order-limits';

describe('order limits helpers', () => {
  test('volume windows are the UTC calendar day and month', () => {
    const { dayStart, monthStart } = utcPeriods(new Date('2025-03-31T23:59:59.999Z'));
    assert.equal(dayStart.toISOString(), '2025-03-31T00:00:00.000Z');
    assert.equal(monthStart.toISOString(), '2025-03-01T00:00:00.000Z');
    const jan = utcPeriods(new Date('2025-01-01T00:00:00.000Z'));
    assert.equal(jan.dayStart.toISOString(), '2025-01-01T00:00:00.000Z');
    assert.equal(jan.monthStart.toISOString(), '2025-01-01T00:00:00.000Z');
  });

  test('KYC counts as done when APPROVED, or attested for PARTNER_MANAGED partners only', () => {
    const attestation = { level: 'FULL' };
    assert.equal(
      kycSatisfied({ kycModel: 'GATEWAY_MANAGED' }, { kycStatus: 'APPROVED', kycAttestation: null }),
      true,
    );
    assert.equal(
      kycSatisfied(
        { kycModel: 'PARTNER_MANAGED' },
        { kycStatus: 'NOT_REQUIRED', kycAttestation: attestation },
      ),
      true,
    );
    assert.equal(
      kycSatisfied(
        { kycModel: 'GATEWAY_MANAGED' },
        { kycStatus: 'NOT_REQUIRED', kycAttestation: attestation },
      ),
      false,
    );
    assert.equal(
      kycSatisfied({ kycModel: 'PARTNER_MANAGED' }, { kycStatus: 'PENDING', kycAttestation: null }),
      false,
    );
    assert.equal(
      kycSatisfied({ kycModel: 'GATEWAY_MANAGED' }, { kycStatus: 'REJECTED', kycAttestation: null }),
      false,
    );
  });
});

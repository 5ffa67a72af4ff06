import { PartnerContext } from '@app/modules/partners/auth/partner-context';
import type { QuoteForOrder } from './order-admission';

/** Volume windows are calendar periods in UTC: the day and the month `now` falls in. */
export function utcPeriods(now: Date): { dayStart: Date; monthStart: Date } {
  return {
    dayStart: new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate())),
    monthStart: new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1)),
  };
}

/** A user counts as KYC-approved when TruBit approved them, or when a PARTNER_MANAGED partner attested them. */
export function kycSatisfied(
  partner: Pick<PartnerContext, 'kycModel'>,
  user: Pick<QuoteForOrder['user'], 'kycStatus' | 'kycAttestation'>,
): boolean {
  return (
    user.kycStatus === 'APPROVED' || (partner.kycModel === 'PARTNER_MANAGED' && user.kycAttestation != null)
  );
}

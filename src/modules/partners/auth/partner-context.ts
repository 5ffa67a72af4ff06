import { KycModel, PartnerTier } from '@app/generated/prisma/enums';
import { PartnerLimits } from '../limits/tier-limits';

/** The authenticated partner a request acts for: every partner-scoped query takes `id` from here. */
export interface PartnerContext {
  id: string;
  name: string;
  tier: PartnerTier;
  kycModel: KycModel;
  limits: PartnerLimits;
  keyId: string;
}

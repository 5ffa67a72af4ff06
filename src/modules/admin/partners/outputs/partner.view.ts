import { resolveLimits, PartnerLimits } from '@app/modules/partners/limits/tier-limits';
import { ApiKeyRecord, PartnerRecord } from '@app/modules/partners/partners.repository';

export interface PartnerView {
  id: string;
  name: string;
  tier: string;
  status: string;
  kycModel: string;
  webhookUrl: string | null;
  webhookDisabledAt: string | null;
  ipWhitelist: string[];
  limits: PartnerLimits;
  limitOverrides: unknown;
  trubit: { apiKey: string | null; merchantId: string | null; ownAccount: boolean };
  apiKeys?: Array<{
    id: string;
    prefix: string;
    status: string;
    expiresAt: string | null;
    revokedAt: string | null;
    createdAt: string;
  }>;
  createdAt: string;
  updatedAt: string;
}

/** The operator's view of a partner: never a key hash or a sealed secret. */
export function toPartnerView(p: PartnerRecord, keys?: ApiKeyRecord[]): PartnerView {
  return {
    id: p.id,
    name: p.name,
    tier: p.tier,
    status: p.status,
    kycModel: p.kycModel,
    webhookUrl: p.webhookUrl,
    webhookDisabledAt: p.webhookDisabledAt?.toISOString() ?? null,
    ipWhitelist: p.ipWhitelist,
    limits: resolveLimits(p.tier, p.limits),
    limitOverrides: p.limits ?? null,
    trubit: { apiKey: p.trubitApiKey, merchantId: p.trubitMerchantId, ownAccount: p.trubitApiKey !== null },
    apiKeys: keys?.map((k) => ({
      id: k.id,
      prefix: k.prefix,
      status: k.expiresAt && k.expiresAt.getTime() <= Date.now() ? 'EXPIRED' : k.status,
      expiresAt: k.expiresAt?.toISOString() ?? null,
      revokedAt: k.revokedAt?.toISOString() ?? null,
      createdAt: k.createdAt.toISOString(),
    })),
    createdAt: p.createdAt.toISOString(),
    updatedAt: p.updatedAt.toISOString(),
  };
}

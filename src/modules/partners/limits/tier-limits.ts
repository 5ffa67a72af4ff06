import { PartnerTier } from '@app/generated/prisma/enums';

/** What a partner may do per tier (partner-api.md §3). `null` means unlimited. */
export interface PartnerLimits {
  requestsPerMinute: number;
  monthlyUsers: number | null;
  monthlyVolumeMxn: number | null;
  dailyVolumeMxn: number | null;
  kycPerMonth: number | null;
  /** Share of the partner's fee the platform keeps, in percent. */
  revenueSharePercent: number;
}

export const TIER_LIMITS: Record<PartnerTier, PartnerLimits> = {
  FREE: {
    requestsPerMinute: 50,
    monthlyUsers: 10,
    monthlyVolumeMxn: 50_000,
    dailyVolumeMxn: 10_000,
    kycPerMonth: 10,
    revenueSharePercent: 30,
  },
  GROWTH: {
    requestsPerMinute: 200,
    monthlyUsers: 500,
    monthlyVolumeMxn: 1_000_000,
    dailyVolumeMxn: 200_000,
    kycPerMonth: 500,
    revenueSharePercent: 20,
  },
  // Enterprise volume limits and revenue share are per partner: operators set them as overrides.
  ENTERPRISE: {
    requestsPerMinute: 1000,
    monthlyUsers: null,
    monthlyVolumeMxn: null,
    dailyVolumeMxn: null,
    kycPerMonth: null,
    revenueSharePercent: 10,
  },
};

export type LimitOverrides = Partial<PartnerLimits>;

/** The tier's limits with the operator's per-partner overrides on top. */
export function resolveLimits(tier: PartnerTier, overrides: unknown): PartnerLimits {
  const base = TIER_LIMITS[tier];
  if (!overrides || typeof overrides !== 'object') return { ...base };
  const o = overrides as LimitOverrides;
  const pick = <K extends keyof PartnerLimits>(k: K): PartnerLimits[K] =>
    k in o ? (o[k] as PartnerLimits[K]) : base[k];
  return {
    requestsPerMinute: pick('requestsPerMinute'),
    monthlyUsers: pick('monthlyUsers'),
    monthlyVolumeMxn: pick('monthlyVolumeMxn'),
    dailyVolumeMxn: pick('dailyVolumeMxn'),
    kycPerMonth: pick('kycPerMonth'),
    revenueSharePercent: pick('revenueSharePercent'),
  };
}

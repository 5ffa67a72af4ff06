import { ApiProperty } from '@nestjs/swagger';
import { Prisma } from '@app/generated/prisma/client';
import { KycStatus, KycTier } from '@app/generated/prisma/enums';
import { mxn } from '@app/common/money/money';

/** The end_users columns a partner may see (plus what the KYC flows need); never partner-internal data. */
export const END_USER_SELECT = {
  id: true,
  partnerId: true,
  partnerUserRef: true,
  kycStatus: true,
  kycTier: true,
  kycCompletedAt: true,
  kycRequestedAt: true,
  kycRequestedTier: true,
  kycSessionId: true,
  trubitMerchantId: true,
  trubitMerchantName: true,
  amlRiskLevel: true,
  isPep: true,
  isSanctioned: true,
  createdAt: true,
  updatedAt: true,
} satisfies Prisma.EndUserSelect;

export type EndUserRecord = Prisma.EndUserGetPayload<{ select: typeof END_USER_SELECT }>;

/** Orders that count towards a user's totals: everything not CANCELLED/EXPIRED/REJECTED/FAILED. */
export interface UserStats {
  orderCount: number;
  totalVolumeMxn: Prisma.Decimal | string;
  monthlyVolumeMxn: Prisma.Decimal | string;
}

export const EMPTY_STATS: UserStats = { orderCount: 0, totalVolumeMxn: '0', monthlyVolumeMxn: '0' };

export class UserOutput {
  @ApiProperty({ example: 'cmi8x2k4p0000abcdefghijkl' }) id: string;
  @ApiProperty({ example: 'user_123' }) partnerUserRef: string;
  @ApiProperty({ enum: KycStatus }) kycStatus: KycStatus;
  @ApiProperty({ enum: KycTier }) kycTier: KycTier;
  @ApiProperty({ nullable: true, type: String, example: null }) kycCompletedAt: string | null;
  @ApiProperty({ example: 0 }) orderCount: number;
  @ApiProperty({ example: 0, description: 'Lifetime MXN gross of counting orders' }) totalVolumeMxn: number;
  @ApiProperty({ example: 0, description: 'This calendar month (UTC)' }) monthlyVolumeMxn: number;
  @ApiProperty({ example: 'LOW' }) amlRiskLevel: string;
  @ApiProperty() isPep: boolean;
  @ApiProperty() isSanctioned: boolean;
  @ApiProperty({ example: '2026-11-22T10:00:00.000Z' }) createdAt: string;
  @ApiProperty({ example: '2026-11-22T10:00:00.000Z' }) updatedAt: string;
}

export class UserListOutput {
  @ApiProperty({ type: [UserOutput] }) users: UserOutput[];
  @ApiProperty() total: number;
  @ApiProperty() limit: number;
  @ApiProperty() offset: number;
  @ApiProperty() hasMore: boolean;
}

/** What a partner sees of a user (GET /users, /users/:ref, and user.kyc_* webhooks' `data`). */
export function toUserView(u: EndUserRecord, s: UserStats): UserOutput {
  return {
    id: u.id,
    partnerUserRef: u.partnerUserRef,
    kycStatus: u.kycStatus,
    kycTier: u.kycTier,
    kycCompletedAt: u.kycCompletedAt?.toISOString() ?? null,
    orderCount: s.orderCount,
    totalVolumeMxn: mxn(s.totalVolumeMxn),
    monthlyVolumeMxn: mxn(s.monthlyVolumeMxn),
    amlRiskLevel: u.amlRiskLevel,
    isPep: u.isPep,
    isSanctioned: u.isSanctioned,
    createdAt: u.createdAt.toISOString(),
    updatedAt: u.updatedAt.toISOString(),
  };
}

import { Injectable } from '@nestjs/common';
import { KycTier } from '@app/generated/prisma/enums';
import { PrismaService } from '@app/infra/prisma/prisma.service';
import type { Db } from '@app/modules/users/users.repository';

export interface PendingSession {
  kycSessionId: string;
  kycRequestedTier: KycTier;
  kycRequestedAt: Date;
  trubitMerchantId: string;
  trubitMerchantName: string;
}

export interface PendingKycUser {
  id: string;
  partnerId: string;
  trubitMerchantId: string;
  kycRequestedTier: KycTier | null;
}

/** The KYC columns of end_users (always with the partner id). */
@Injectable()
export class KycRepository {
  constructor(private readonly prisma: PrismaService) {}

  /** KYC sessions the partner started since `since` (each user counts once, with its latest start). */
  async countStartedSince(partnerId: string, since: Date): Promise<number> {
    return this.prisma.endUser.count({ where: { partnerId, kycRequestedAt: { gte: since } } });
  }

  /** Records a started session, only if the user has none running (NOT_REQUIRED or REJECTED). */
  async markPending(partnerId: string, userId: string, s: PendingSession): Promise<boolean> {
    const res = await this.prisma.endUser.updateMany({
      where: { id: userId, partnerId, kycStatus: { in: ['NOT_REQUIRED', 'REJECTED'] } },
      data: { kycStatus: 'PENDING', ...s },
    });
    return res.count === 1;
  }

  /** Partners that have users waiting for TruBit's KYC verdict. */
  async partnersWithPending(): Promise<string[]> {
    const rows = await this.prisma.endUser.groupBy({
      by: ['partnerId'],
      where: { kycStatus: 'PENDING', trubitMerchantId: { not: null } },
    });
    return rows.map((r) => r.partnerId);
  }

  async pendingUsers(partnerIds: string[]): Promise<PendingKycUser[]> {
    const rows = await this.prisma.endUser.findMany({
      where: { partnerId: { in: partnerIds }, kycStatus: 'PENDING', trubitMerchantId: { not: null } },
      select: { id: true, partnerId: true, trubitMerchantId: true, kycRequestedTier: true },
    });
    return rows.filter((r): r is PendingKycUser => r.trubitMerchantId !== null);
  }

  /**
   * PENDING → APPROVED/REJECTED for this merchant, only if still PENDING on it: of two replicas applying the
   * same verdict, exactly one changes the row (and so only one writes the webhook).
   */
  async settle(db: Db, u: PendingKycUser, verdict: 'APPROVED' | 'REJECTED', at: Date): Promise<boolean> {
    const res = await db.endUser.updateMany({
      where: {
        id: u.id,
        partnerId: u.partnerId,
        kycStatus: 'PENDING',
        trubitMerchantId: u.trubitMerchantId,
      },
      data:
        verdict === 'APPROVED'
          ? { kycStatus: 'APPROVED', kycTier: u.kycRequestedTier ?? 'BASIC', kycCompletedAt: at }
          : { kycStatus: 'REJECTED' },
    });
    return res.count === 1;
  }
}

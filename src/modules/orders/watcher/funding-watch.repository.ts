import { Injectable } from '@nestjs/common';
import { PrismaService } from '@app/infra/prisma/prisma.service';

/** The funding watcher's scans (each bounded; the next tick continues). */
@Injectable()
export class FundingWatchRepository {
  constructor(private readonly prisma: PrismaService) {}

  /** Orders past expiresAt that never reached TruBit. */
  async expired(now: Date, limit: number): Promise<string[]> {
    const rows = await this.prisma.order.findMany({
      where: {
        status: 'PENDING_DEPOSIT',
        submission: { in: ['NOT_SUBMITTED', 'QUEUED'] },
        expiresAt: { lte: now },
      },
      select: { id: true },
      orderBy: { expiresAt: 'asc' },
      take: limit,
    });
    return rows.map((r) => r.id);
  }

  /** Unfunded live orders, oldest first. */
  unfunded(now: Date, limit: number) {
    return this.prisma.order.findMany({
      where: { status: 'PENDING_DEPOSIT', submission: 'NOT_SUBMITTED', expiresAt: { gt: now } },
      select: { id: true, partnerId: true, token: true, sellQuantity: true, submitAttempts: true },
      orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
      take: limit,
    });
  }

  /** Funded orders that have sat in QUEUED a while: their job may be lost or out of attempts. */
  stuckQueued(before: Date, limit: number) {
    return this.prisma.order.findMany({
      where: { status: 'PENDING_DEPOSIT', submission: 'QUEUED', updatedAt: { lt: before } },
      select: { id: true, submitAttempts: true },
      orderBy: { updatedAt: 'asc' },
      take: limit,
    });
  }
}

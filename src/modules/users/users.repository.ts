import { Injectable } from '@nestjs/common';
import { Prisma } from '@app/generated/prisma/client';
import { KycStatus, KycTier, OrderStatus } from '@app/generated/prisma/enums';
import { PrismaService } from '@app/infra/prisma/prisma.service';
import { END_USER_SELECT, EndUserRecord, UserStats } from './outputs/user.view';

/** The Prisma client or a transaction: reads that must see a transaction's writes take the transaction. */
export type Db = Prisma.TransactionClient;

/** Orders in these states never happened for volume purposes (partner-api.md §3). */
export const NON_COUNTING_ORDER_STATUSES: OrderStatus[] = ['CANCELLED', 'EXPIRED', 'REJECTED', 'FAILED'];

// A burst of creates for one partner queues on the advisory lock; each holder is quick, so allow some queueing.
const CREATE_TX_OPTIONS = { maxWait: 10_000, timeout: 10_000 };

export interface NewEndUser {
  id: string;
  partnerId: string;
  partnerUserRef: string;
  kycStatus?: KycStatus;
  kycTier?: KycTier;
  kycCompletedAt?: Date;
  kycAttestation?: Prisma.InputJsonValue;
}

export type CreateUserResult =
  { created: EndUserRecord } | { refused: 'DUPLICATE_USER' | 'USER_LIMIT_REACHED' };

/** end_users, always scoped by partner id, and the order totals shown on a user. */
@Injectable()
export class UsersRepository {
  constructor(private readonly prisma: PrismaService) {}

  /**
   * Inserts the user unless the partner already has `partnerUserRef` or has created `monthlyLimit` users since
   * `monthStart`. With a limit, a per-partner advisory lock serialises count-then-insert across instances so
   * concurrent creates cannot overshoot; the unique index (partnerId, partnerUserRef) settles double creates.
   */
  async createWithinLimit(
    user: NewEndUser,
    monthlyLimit: number | null,
    monthStart: Date,
  ): Promise<CreateUserResult> {
    try {
      return await this.prisma.$transaction(async (tx) => {
        if (monthlyLimit !== null) {
          await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${`users:${user.partnerId}`}, 0))`;
          const existing = await tx.endUser.findUnique({
            where: {
              partnerId_partnerUserRef: { partnerId: user.partnerId, partnerUserRef: user.partnerUserRef },
            },
            select: { id: true },
          });
          if (existing) return { refused: 'DUPLICATE_USER' as const };
          const count = await tx.endUser.count({
            where: { partnerId: user.partnerId, createdAt: { gte: monthStart } },
          });
          if (count >= monthlyLimit) return { refused: 'USER_LIMIT_REACHED' as const };
        }
        return { created: await tx.endUser.create({ data: user, select: END_USER_SELECT }) };
      }, CREATE_TX_OPTIONS);
    } catch (err) {
      if (err instanceof Prisma.PrismaClientKnownRequestError && err.code === 'P2002') {
        return { refused: 'DUPLICATE_USER' };
      }
      throw err;
    }
  }

  async findByRef(partnerId: string, partnerUserRef: string, db: Db = this.prisma) {
    return db.endUser.findUnique({
      where: { partnerId_partnerUserRef: { partnerId, partnerUserRef } },
      select: END_USER_SELECT,
    });
  }

  async findById(partnerId: string, id: string, db: Db = this.prisma) {
    return db.endUser.findFirst({ where: { id, partnerId }, select: END_USER_SELECT });
  }

  /** Newest first; `id` breaks ties so paging is stable. */
  async list(partnerId: string, limit: number, offset: number) {
    const [items, total] = await Promise.all([
      this.prisma.endUser.findMany({
        where: { partnerId },
        select: END_USER_SELECT,
        orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
        take: limit,
        skip: offset,
      }),
      this.prisma.endUser.count({ where: { partnerId } }),
    ]);
    return { items, total };
  }

  /** Order count and MXN gross (lifetime and since `monthStart`) of counting orders, per user id. */
  async stats(
    partnerId: string,
    userIds: string[],
    monthStart: Date,
    db: Db = this.prisma,
  ): Promise<Map<string, UserStats>> {
    const out = new Map<string, UserStats>();
    if (!userIds.length) return out;
    const where = { partnerId, userId: { in: userIds }, status: { notIn: NON_COUNTING_ORDER_STATUSES } };
    const [lifetime, monthly] = await Promise.all([
      db.order.groupBy({ by: ['userId'], where, _count: { _all: true }, _sum: { grossAmountMxn: true } }),
      db.order.groupBy({
        by: ['userId'],
        where: { ...where, createdAt: { gte: monthStart } },
        _sum: { grossAmountMxn: true },
      }),
    ]);
    for (const row of lifetime) {
      out.set(row.userId, {
        orderCount: row._count._all,
        totalVolumeMxn: row._sum.grossAmountMxn ?? '0',
        monthlyVolumeMxn: '0',
      });
    }
    for (const row of monthly) {
      const s = out.get(row.userId);
      if (s) s.monthlyVolumeMxn = row._sum.grossAmountMxn ?? '0';
    }
    return out;
  }
}

import { Injectable } from '@nestjs/common';
import Decimal from 'decimal.js';
import { Prisma } from '@app/generated/prisma/client';
import { Tx } from '@app/modules/outbox/outbox.writer';
import { ORDER_VIEW_INCLUDE, OrderForView } from '../outputs/order.view';

/** pg_advisory_xact_lock(namespace, hashtext(partnerId)): volume checks and order inserts of a partner serialise. */
const VOLUME_LOCK_NAMESPACE = 71001;

/** Statuses whose orders do not count towards volume (partner-api.md §3). */
const NOT_COUNTED = Prisma.sql`('CANCELLED', 'EXPIRED', 'REJECTED', 'FAILED')`;

export const QUOTE_FOR_ORDER_SELECT = {
  id: true,
  partnerId: true,
  userId: true,
  type: true,
  token: true,
  amount: true,
  exchangeRate: true,
  grossAmountMxn: true,
  feePercent: true,
  feeAmountMxn: true,
  feeRecipient: true,
  netAmountMxn: true,
  revenueSharePercent: true,
  expiresAt: true,
  usedAt: true,
  user: {
    select: { id: true, partnerUserRef: true, kycStatus: true, kycAttestation: true, amlRiskLevel: true },
  },
} satisfies Prisma.QuoteSelect;

export type QuoteForOrder = Prisma.QuoteGetPayload<{ select: typeof QUOTE_FOR_ORDER_SELECT }>;

type Db = Pick<Tx, 'quote'>;

/**
 * Reads and writes of POST /orders. Quotes and users belong to other modules; orders read their rows here,
 * always scoped by partner.
 */
@Injectable()
export class OrderCreationRepository {
  findQuote(db: Db, partnerId: string, quoteId: string): Promise<QuoteForOrder | null> {
    return db.quote.findFirst({ where: { id: quoteId, partnerId }, select: QUOTE_FOR_ORDER_SELECT });
  }

  async lockPartnerVolume(tx: Tx, partnerId: string): Promise<void> {
    await tx.$queryRaw`SELECT 1 AS ok FROM pg_advisory_xact_lock(${VOLUME_LOCK_NAMESPACE}::int, hashtext(${partnerId}))`;
  }

  /** MXN gross of the partner's counted orders since the start of the UTC day and of the UTC month. */
  async partnerVolume(
    tx: Tx,
    partnerId: string,
    dayStart: Date,
    monthStart: Date,
  ): Promise<{ daily: Decimal; monthly: Decimal }> {
    const [row] = await tx.$queryRaw<Array<{ daily: string; monthly: string }>>`
      SELECT COALESCE(SUM("grossAmountMxn") FILTER (WHERE "createdAt" >= ${dayStart}), 0)::text AS daily,
             COALESCE(SUM("grossAmountMxn"), 0)::text AS monthly
      FROM orders
      WHERE "partnerId" = ${partnerId} AND "createdAt" >= ${monthStart} AND status NOT IN ${NOT_COUNTED}`;
    return { daily: new Decimal(row?.daily ?? 0), monthly: new Decimal(row?.monthly ?? 0) };
  }

  async userMonthlyVolume(tx: Tx, partnerId: string, userId: string, monthStart: Date): Promise<Decimal> {
    const [row] = await tx.$queryRaw<Array<{ monthly: string }>>`
      SELECT COALESCE(SUM("grossAmountMxn"), 0)::text AS monthly
      FROM orders
      WHERE "partnerId" = ${partnerId} AND "userId" = ${userId} AND "createdAt" >= ${monthStart}
        AND status NOT IN ${NOT_COUNTED}`;
    return new Decimal(row?.monthly ?? 0);
  }

  /** The atomic consumption: only an unused, unexpired quote of this partner is taken, exactly once. */
  async consumeQuote(tx: Tx, partnerId: string, quoteId: string, now: Date): Promise<boolean> {
    const { count } = await tx.quote.updateMany({
      where: { id: quoteId, partnerId, usedAt: null, expiresAt: { gt: now } },
      data: { usedAt: now },
    });
    return count === 1;
  }

  createOrder(tx: Tx, data: Prisma.OrderUncheckedCreateInput): Promise<OrderForView> {
    return tx.order.create({ data, include: ORDER_VIEW_INCLUDE });
  }

  reload(tx: Tx, id: string): Promise<OrderForView> {
    return tx.order.findUniqueOrThrow({ where: { id }, include: ORDER_VIEW_INCLUDE });
  }
}

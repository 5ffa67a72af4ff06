import { Injectable } from '@nestjs/common';
import { Prisma } from '@app/generated/prisma/client';
import { newId } from '@app/infra/crypto/ids';
import { PrismaService } from '@app/infra/prisma/prisma.service';

export const ORDER_FOR_SUBMISSION_SELECT = {
  id: true,
  partnerId: true,
  userId: true,
  status: true,
  submission: true,
  token: true,
  sellQuantity: true,
  exchangeRate: true,
  sellerClabe: true,
  bankName: true,
  submitAttempts: true,
  expiresAt: true,
  user: {
    select: { partnerUserRef: true, kycStatus: true, trubitMerchantId: true, trubitMerchantName: true },
  },
  partner: { select: { trubitMerchantId: true } },
} satisfies Prisma.OrderSelect;

export type OrderForSubmission = Prisma.OrderGetPayload<{ select: typeof ORDER_FOR_SUBMISSION_SELECT }>;

/**
 * The submission state changes of the contract, each a conditional update on the order row: whoever's
 * condition no longer holds (a cancel, an expiry, another worker) changes nothing.
 */
@Injectable()
export class SubmissionRepository {
  constructor(private readonly prisma: PrismaService) {}

  load(orderId: string): Promise<OrderForSubmission | null> {
    return this.prisma.order.findUnique({ where: { id: orderId }, select: ORDER_FOR_SUBMISSION_SELECT });
  }

  findPayout(userId: string, clabe: string) {
    return this.prisma.payoutMethod.findUnique({
      where: { userId_clabe: { userId, clabe } },
      select: { trubitMerchantId: true, trubitPaymentId: true },
    });
  }

  async savePayout(partnerId: string, userId: string, clabe: string, mcId: string, paymentId: string) {
    await this.prisma.payoutMethod.upsert({
      where: { userId_clabe: { userId, clabe } },
      create: {
        id: newId.payout(),
        partnerId,
        userId,
        clabe,
        trubitMerchantId: mcId,
        trubitPaymentId: paymentId,
      },
      update: { trubitMerchantId: mcId, trubitPaymentId: paymentId },
    });
  }

  /** QUEUED → SUBMITTING right before order/add (still PENDING_DEPOSIT and not expired). */
  async markSubmitting(orderId: string, mcId: string, paymentId: string, now: Date): Promise<boolean> {
    const { count } = await this.prisma.order.updateMany({
      where: { id: orderId, submission: 'QUEUED', status: 'PENDING_DEPOSIT', expiresAt: { gt: now } },
      data: {
        submission: 'SUBMITTING',
        submittedAt: now,
        submitAttempts: { increment: 1 },
        trubitMerchantId: mcId,
        trubitPaymentId: paymentId,
      },
    });
    return count === 1;
  }

  /** order/add's outcome is unknown: the TruBit order may exist; reconciliation decides. Funds stay reserved. */
  async markUnknown(orderId: string): Promise<boolean> {
    const { count } = await this.prisma.order.updateMany({
      where: { id: orderId, submission: 'SUBMITTING' },
      data: { submission: 'UNKNOWN' },
    });
    return count === 1;
  }

  /**
   * Nothing reached TruBit (breaker open, rate limited, credentials refused): back to QUEUED. The attempt is
   * not counted, so the job id (order id + submitAttempts) stays the one now retrying.
   */
  async requeue(orderId: string): Promise<boolean> {
    const { count } = await this.prisma.order.updateMany({
      where: { id: orderId, submission: 'SUBMITTING' },
      data: { submission: 'QUEUED', submitAttempts: { decrement: 1 } },
    });
    return count === 1;
  }
}

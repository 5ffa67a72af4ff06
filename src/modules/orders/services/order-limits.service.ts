import { Inject, Injectable } from '@nestjs/common';
import Decimal from 'decimal.js';
import { APP_CONFIG, AppConfig } from '@app/config/app-config';
import { ApiError } from '@app/common/errors/api.error';
import { mxn } from '@app/common/money/money';
import { PartnerContext } from '@app/modules/partners/auth/partner-context';
import { Tx } from '@app/modules/outbox/outbox.writer';
import { OrderCreationRepository, QuoteForOrder } from '../repositories/order-creation.repository';

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

/**
 * The limit checks of POST /orders, in the spec's order (volume, then KYC), counting this order. Runs inside
 * the order transaction after the partner's volume lock, so concurrent orders cannot both slip under a limit.
 */
@Injectable()
export class OrderLimits {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly repo: OrderCreationRepository,
  ) {}

  async check(tx: Tx, partner: PartnerContext, quote: QuoteForOrder, now: Date): Promise<void> {
    const gross = new Decimal(quote.grossAmountMxn.toString());
    const { dayStart, monthStart } = utcPeriods(now);
    const used = await this.repo.partnerVolume(tx, partner.id, dayStart, monthStart);
    const windows = [
      { scope: 'daily', limit: partner.limits.dailyVolumeMxn, used: used.daily },
      { scope: 'monthly', limit: partner.limits.monthlyVolumeMxn, used: used.monthly },
    ];
    for (const w of windows) {
      if (w.limit !== null && w.used.plus(gross).gt(w.limit)) {
        throw new ApiError(
          'VOLUME_LIMIT_EXCEEDED',
          `This order would exceed the partner's ${w.scope} volume limit of ${w.limit} MXN`,
          { scope: w.scope, limitMxn: w.limit, usedMxn: mxn(w.used), orderMxn: mxn(gross) },
        );
      }
    }

    if (kycSatisfied(partner, quote.user)) return;
    const threshold = this.config.trading.kycThresholdMxn;
    const userMonthly = await this.repo.userMonthlyVolume(tx, partner.id, quote.userId, monthStart);
    if (userMonthly.plus(gross).gt(threshold)) {
      throw new ApiError(
        'KYC_REQUIRED',
        `The user's monthly volume would exceed ${threshold} MXN without approved KYC`,
        { thresholdMxn: threshold, monthlyVolumeMxn: mxn(userMonthly), orderMxn: mxn(gross) },
      );
    }
  }
}

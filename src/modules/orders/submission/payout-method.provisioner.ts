import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '@app/config/app-config';
import { FundingAccount } from '@app/modules/funding/accounts/funding-accounts';
import { TRUBIT_API } from '@app/modules/trubit/trubit.constants';
import type { TrubitApi } from '@app/modules/trubit/trubit-api.interface';
import { TrubitBusinessError } from '@app/modules/trubit/trubit.errors';
import type { TrubitPaymentConfig, TrubitPaymentField } from '@app/modules/trubit/trubit.types';
import { PermanentSubmissionError, SubmissionNotReadyError } from './submission.errors';
import { OrderForSubmission, SubmissionRepository } from './submission.repository';

/** One payout method as the simulator (and, we assume, TruBit) lists it on the merchant in mc/list. */
interface ListedPayment {
  id: number;
  accountNo?: string;
}

const CONFIG_TTL_MS = 60 * 60 * 1000;

/**
 * The user's CLABE as a TruBit payout method of the merchant: payout_methods row when we have one for that
 * merchant; else one already at TruBit (a previous attempt whose answer was lost); else `payment/add` with
 * the automatic SPEI config, whose id is then read back from `mc/list` (payment/add returns no id).
 */
@Injectable()
export class PayoutMethodProvisioner {
  private speiConfig?: { config: TrubitPaymentConfig; until: number };

  constructor(
    @Inject(APP_CONFIG) private readonly appConfig: AppConfig,
    @Inject(TRUBIT_API) private readonly trubit: TrubitApi,
    private readonly repo: SubmissionRepository,
  ) {}

  async paymentIdFor(order: OrderForSubmission, mcId: number, account: FundingAccount): Promise<string> {
    const stored = order.payout;
    if (stored && stored.trubitMerchantId === String(mcId)) return stored.trubitPaymentId;

    let id = await this.findAtTrubit(mcId, order.sellerClabe, account);
    if (id === undefined) {
      const config = await this.config(account);
      try {
        await this.trubit.addPayment(
          {
            mcId,
            country: this.appConfig.trubit.country,
            fiatCurrency: 'MXN',
            paymentConfigId: config.id,
            paymentMethodName: config.paymentName,
            realName: (order.user.trubitMerchantName ?? order.user.partnerUserRef).slice(0, 64),
            fieldJson: fillFields(config.fieldList, order.sellerClabe, order.bankName),
            remark: '',
          },
          account.credentials,
        );
      } catch (err) {
        if (err instanceof TrubitBusinessError) {
          throw new PermanentSubmissionError(`TruBit refused the payout CLABE: ${err.msg || err.code}`, {
            trubitCode: err.code,
          });
        }
        throw err;
      }
      id = await this.findAtTrubit(mcId, order.sellerClabe, account);
      if (id === undefined) throw new SubmissionNotReadyError('new payout method not listed yet');
    }
    await this.repo.savePayout(order.partnerId, order.userId, order.sellerClabe, String(mcId), String(id));
    return String(id);
  }

  private async findAtTrubit(
    mcId: number,
    clabe: string,
    account: FundingAccount,
  ): Promise<number | undefined> {
    const merchants = await this.trubit.listMerchants(account.credentials);
    const merchant = merchants.find((m) => m.id === mcId);
    const payments = Array.isArray(merchant?.payments) ? (merchant.payments as ListedPayment[]) : [];
    const matching = payments.filter((p) => p.accountNo === clabe).map((p) => p.id);
    return matching.length ? Math.max(...matching) : undefined;
  }

  /** Mexico's automatic SPEI config ("Automated SPEI - Arcus"), the one with an account-number field. */
  private async config(account: FundingAccount): Promise<TrubitPaymentConfig> {
    if (this.speiConfig && this.speiConfig.until > Date.now()) return this.speiConfig.config;
    const { payments } = await this.trubit.listPaymentConfigs(
      { country: this.appConfig.trubit.country },
      account.credentials,
    );
    const spei = payments.filter((p) => /spei/i.test(p.paymentName) && p.fieldList?.some((f) => f.isAccount));
    const config = spei.find((p) => p.paymentType === 1) ?? spei[0];
    if (!config) throw new PermanentSubmissionError('TruBit offers no SPEI payout method for this country');
    this.speiConfig = { config, until: Date.now() + CONFIG_TTL_MS };
    return config;
  }
}

/** The config's fields with the CLABE in the account field and the bank name in the bank field. */
export function fillFields(
  fields: TrubitPaymentField[],
  clabe: string,
  bankName: string,
): TrubitPaymentField[] {
  return fields.map((f) => ({
    ...f,
    text: f.isAccount
      ? clabe
      : /banco|bank/i.test(f.title)
        ? bankName.slice(0, f.maxLimit ?? 50)
        : (f.text ?? ''),
  }));
}

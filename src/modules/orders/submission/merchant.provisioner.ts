import { Inject, Injectable, Logger } from '@nestjs/common';
import { RedisService } from '@app/infra/redis/redis.service';
import { FundingAccount } from '@app/modules/funding/accounts/funding-accounts';
import { TRUBIT_API } from '@app/modules/trubit/trubit.constants';
import type { TrubitApi } from '@app/modules/trubit/trubit-api.interface';
import { TrubitBusinessError } from '@app/modules/trubit/trubit.errors';
import type { TrubitMerchant } from '@app/modules/trubit/trubit.types';
import { PermanentSubmissionError, SubmissionNotReadyError } from './submission.errors';
import { OrderForSubmission } from './submission.repository';

const MERCHANT_APPROVED = 2;
const MERCHANT_REJECTED = 3;

/**
 * The TruBit merchant a SELL is placed through: the user's own merchant once their KYC is approved, else the
 * partner's configured merchant, else the gateway's default merchant of that TruBit account. The default is
 * created once with `mc/add` under a name derived from the account, so it is found again in `mc/list` after
 * a lost answer, a Redis flush or a race between workers; only its id (once approved) is cached in Redis.
 */
@Injectable()
export class MerchantProvisioner {
  private readonly logger = new Logger('MerchantProvisioner');

  constructor(
    @Inject(TRUBIT_API) private readonly trubit: TrubitApi,
    private readonly redis: RedisService,
  ) {}

  async merchantFor(order: OrderForSubmission, account: FundingAccount): Promise<number> {
    if (order.user.kycStatus === 'APPROVED' && order.user.trubitMerchantId)
      return Number(order.user.trubitMerchantId);
    if (order.partner.trubitMerchantId) return Number(order.partner.trubitMerchantId);
    return this.defaultMerchant(account);
  }

  /** The account's default merchant once TruBit approved it; SubmissionNotReadyError while KYB is pending. */
  async defaultMerchant(account: FundingAccount): Promise<number> {
    const cacheKey = this.redis.key('trubit', 'default-merchant', account.id);
    const cached = await this.redis.client.get(cacheKey).catch(() => null);
    if (cached) return Number(cached);

    const name = defaultMerchantName(account);
    let merchant = await this.find(account, name);
    if (!merchant) {
      try {
        const created = await this.trubit.addMerchant(
          defaultMerchantRequest(account, name),
          account.credentials,
        );
        this.logger.log(`created default merchant ${created.merchantId} for TruBit account ${account.id}`);
      } catch (err) {
        // Another worker may have just created it (the name is unique at TruBit): look again before failing.
        if (!(err instanceof TrubitBusinessError)) throw err;
        if (!(await this.find(account, name))) {
          throw new PermanentSubmissionError(`TruBit refused the gateway merchant: ${err.msg || err.code}`, {
            trubitCode: err.code,
          });
        }
      }
      merchant = await this.find(account, name);
      if (!merchant) throw new SubmissionNotReadyError('default merchant not listed yet');
    }
    if (merchant.status === MERCHANT_REJECTED) {
      throw new PermanentSubmissionError('TruBit rejected the verification of the gateway merchant');
    }
    if (merchant.status !== undefined && merchant.status !== MERCHANT_APPROVED) {
      throw new SubmissionNotReadyError(`default merchant ${merchant.id} is not approved yet`);
    }
    await this.redis.client.set(cacheKey, String(merchant.id)).catch(() => undefined);
    return merchant.id;
  }

  private async find(account: FundingAccount, name: string): Promise<TrubitMerchant | undefined> {
    const list = await this.trubit.listMerchants(account.credentials);
    return list.find((m) => m.merchantName === name);
  }
}

export function defaultMerchantName(account: FundingAccount): string {
  return `gateway-${account.id}`;
}

/**
 * The gateway's own settlement merchant (COMPANY). Its identity fields are placeholders: production
 * deployments configure a real, verified merchant per partner (`trubit.merchantId` in the admin API).
 */
function defaultMerchantRequest(account: FundingAccount, name: string) {
  return {
    trench: 'CLABE' as const,
    merchantName: name,
    email: `${name}@settlement.gateway.example`,
    merchantType: 'COMPANY' as const,
    companyName: 'Partner gateway settlement',
    aliasName: name,
    companyType: 'SC',
    rfc: 'XAXX010101000',
    remark: `default merchant of TruBit account ${account.id}`,
  };
}

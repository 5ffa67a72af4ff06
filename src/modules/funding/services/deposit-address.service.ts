import { Inject, Injectable } from '@nestjs/common';
import { RedisService } from '@app/infra/redis/redis.service';
import { TRUBIT_API } from '@app/modules/trubit/trubit.constants';
import type { TrubitApi } from '@app/modules/trubit/trubit-api.interface';
import { FundingAccount } from '../accounts/funding-accounts';

export interface DepositAddress {
  token: string;
  chain: string;
  address: string;
  addressTag: string | null;
  needAddressTag: boolean;
  minQuantity: number | null;
  requiredConfirmations: number | null;
  allowDeposit: boolean;
}

/** Deposit addresses do not change for an account: keep them a day instead of spending TruBit budget. */
const CACHE_TTL_MS = 24 * 60 * 60 * 1000;

@Injectable()
export class DepositAddresses {
  constructor(
    @Inject(TRUBIT_API) private readonly trubit: TrubitApi,
    private readonly redis: RedisService,
  ) {}

  /** The account's TruBit address for token/chain (validated by the caller). Throws TrubitError. */
  async get(account: FundingAccount, token: string, chain: string): Promise<DepositAddress> {
    const key = this.redis.key('funds', 'deposit-address', account.id, token, chain);
    const cached = await this.redis.client.get(key).catch(() => null);
    if (cached) return JSON.parse(cached) as DepositAddress;
    const res = await this.trubit.getDepositAddress(
      { tokenId: token, chainType: chain },
      account.credentials,
    );
    const address: DepositAddress = {
      token,
      chain,
      address: res.address,
      addressTag: res.addressExt ? res.addressExt : null,
      needAddressTag: res.needAddressTag ?? false,
      minQuantity: res.minQuantity !== undefined ? Number(res.minQuantity) : null,
      requiredConfirmations: res.requiredConfirmNum ?? null,
      allowDeposit: res.allowDeposit,
    };
    if (address.address) {
      await this.redis.client.set(key, JSON.stringify(address), 'PX', CACHE_TTL_MS).catch(() => undefined);
    }
    return address;
  }
}

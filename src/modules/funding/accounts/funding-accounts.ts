import { Inject, Injectable } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { APP_CONFIG, AppConfig } from '@app/config/app-config';
import { TrubitAccountResolver } from '@app/modules/trubit/trubit-account.resolver';
import type { TrubitCredentials } from '@app/modules/trubit/trubit.options';

/** The TruBit account a partner trades on, as funding sees it. */
export interface FundingAccount {
  /** Non-secret id of the account (truncated SHA-256 of its API key): cache keys and logs. */
  id: string;
  /** The account's TruBit API key: partners configured with the same key share one account and its funds. */
  apiKey: string;
  /** undefined = the operator's default account (the TruBit client's own credentials). */
  credentials: TrubitCredentials | undefined;
}

/** Resolves partners to the TruBit account whose balance funds their orders. */
@Injectable()
export class FundingAccounts {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly resolver: TrubitAccountResolver,
  ) {}

  async forPartner(partnerId: string): Promise<FundingAccount> {
    const credentials = await this.resolver.forPartner(partnerId);
    const apiKey = credentials?.apiKey ?? this.config.trubit.apiKey;
    return { id: accountId(apiKey), apiKey, credentials };
  }

  /** The operator's API key: partners without complete credentials of their own trade on it. */
  get operatorApiKey(): string {
    return this.config.trubit.apiKey;
  }
}

export function accountId(apiKey: string): string {
  return createHash('sha256').update(apiKey).digest('hex').slice(0, 16);
}

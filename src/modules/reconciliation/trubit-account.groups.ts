import { Injectable } from '@nestjs/common';
import { TrubitAccountResolver } from '@app/modules/trubit/trubit-account.resolver';
import type { TrubitCredentials } from '@app/modules/trubit/trubit.options';

export interface TrubitAccountGroup<T> {
  /** 'operator' or 'partner:<id>' (TrubitAccountResolver.accountKey). */
  key: string;
  /** undefined = the operator's default account. */
  credentials: TrubitCredentials | undefined;
  items: T[];
}

/**
 * Groups partner-owned items by the TruBit account they live on (the operator's, or a partner's own), so a
 * pass reads each account's order list once however many partners and orders share it.
 */
@Injectable()
export class TrubitAccountGroups {
  constructor(private readonly accounts: TrubitAccountResolver) {}

  async group<T extends { partnerId: string }>(items: T[]): Promise<Array<TrubitAccountGroup<T>>> {
    const groups = new Map<string, TrubitAccountGroup<T>>();
    const byPartner = new Map<string, { key: string; credentials: TrubitCredentials | undefined }>();
    for (const item of items) {
      let account = byPartner.get(item.partnerId);
      if (!account) {
        const credentials = await this.accounts.forPartner(item.partnerId);
        account = { key: credentials ? `partner:${item.partnerId}` : 'operator', credentials };
        byPartner.set(item.partnerId, account);
      }
      let group = groups.get(account.key);
      if (!group) {
        group = { key: account.key, credentials: account.credentials, items: [] };
        groups.set(account.key, group);
      }
      group.items.push(item);
    }
    return [...groups.values()];
  }
}

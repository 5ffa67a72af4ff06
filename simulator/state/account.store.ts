// API accounts (one per key pair, as TruBit issues them per UID) with their balances and callback URL.
import { money, isDecimalLiteral } from '@sim/common/money.math';
import type { SnowflakeGenerator } from '@sim/common/snowflake.generator';
import type { AccountSeed } from '@sim/simulator.options';
import { BalanceLedger } from './balance.ledger';

export interface SimAccount {
  apiKey: string;
  apiSecret: string;
  userId: string;
  accountId: string;
  callbackUrl: string | null;
  balances: BalanceLedger;
  createdAt: number;
}

export interface UpsertResult {
  account: SimAccount;
  created: boolean;
}

export class AccountStore {
  private readonly accounts = new Map<string, SimAccount>();

  constructor(
    private readonly ids: SnowflakeGenerator,
    private readonly clock: () => number,
  ) {}

  /**
   * Creates the account, or returns the existing one for the same key. Repeating the call never re-credits
   * balances (it is idempotent); a different secret or callbackUrl updates the stored one so a restarted
   * gateway with new settings keeps working against a long-lived simulator.
   */
  upsert(seed: AccountSeed): UpsertResult {
    const existing = this.accounts.get(seed.apiKey);
    if (existing) {
      existing.apiSecret = seed.apiSecret;
      if (seed.callbackUrl !== undefined) existing.callbackUrl = seed.callbackUrl;
      return { account: existing, created: false };
    }
    const account: SimAccount = {
      apiKey: seed.apiKey,
      apiSecret: seed.apiSecret,
      userId: this.ids.next().toString(),
      accountId: this.ids.next().toString(),
      callbackUrl: seed.callbackUrl ?? null,
      balances: new BalanceLedger(this.clock),
      createdAt: this.clock(),
    };
    for (const { asset, free, locked } of normaliseBalances(seed.balances)) {
      account.balances.set(asset, money(free), money(locked));
    }
    this.accounts.set(seed.apiKey, account);
    return { account, created: true };
  }

  get(apiKey: string): SimAccount | undefined {
    return this.accounts.get(apiKey);
  }

  list(): SimAccount[] {
    return [...this.accounts.values()];
  }

  clear(): void {
    this.accounts.clear();
  }
}

/** Accepts { USDT: "100" } or [{ asset, free, locked? }]; throws on anything that is not a plain decimal. */
export function normaliseBalances(
  balances: AccountSeed['balances'],
): Array<{ asset: string; free: string; locked: string }> {
  if (!balances) return [];
  const rows = Array.isArray(balances)
    ? balances.map((b) => ({ asset: b.asset, free: String(b.free), locked: String(b.locked ?? '0') }))
    : Object.entries(balances).map(([asset, free]) => ({ asset, free: String(free), locked: '0' }));
  for (const row of rows) {
    if (!row.asset || !isDecimalLiteral(row.free) || !isDecimalLiteral(row.locked)) {
      throw new TypeError(
        `invalid balance for asset "${row.asset}": free="${row.free}" locked="${row.locked}"`,
      );
    }
  }
  return rows;
}

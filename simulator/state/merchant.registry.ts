// Merchants created through mc/add (status 1 authenticating -> 2 normal / 3 failed) and the payout methods
// registered on them through payment/add. Ids are small sequential numbers like the doc's (mcId 3,
// paymentId 221); merchantName and email are unique across the whole simulator, as documented.
import type Decimal from 'decimal.js';
import { money } from '@sim/common/money.math';
import type { PaymentField } from './reference.data';

export type MerchantStatus = 1 | 2 | 3;

export interface SimMerchant {
  id: number;
  apiKey: string;
  trench: 'CLABE' | 'CVU';
  country: string;
  fiat: string;
  merchantName: string;
  email: string;
  merchantType: 'PERSONAL' | 'COMPANY';
  companyName: string | null;
  status: MerchantStatus;
  buyLimit: Decimal;
  sellLimit: Decimal;
  buyUsed: Decimal;
  sellUsed: Decimal;
  /** The KYC fields as sent, kept for inspection through the control API. */
  details: Record<string, string>;
  createTime: number;
  updateTime: number;
}

export interface SimPayoutMethod {
  id: number;
  mcId: number;
  apiKey: string;
  paymentConfigId: number;
  paymentMethodName: string;
  paymentLogo: string;
  realName: string;
  country: string;
  fiatCurrency: string;
  fieldJson: PaymentField[];
  /** The text of the isAccount field: the CLABE / CVU. */
  accountNo: string;
  remark: string;
  createTime: number;
}

export type NewMerchant = Omit<
  SimMerchant,
  'id' | 'status' | 'buyUsed' | 'sellUsed' | 'createTime' | 'updateTime'
>;
export type NewPayoutMethod = Omit<SimPayoutMethod, 'id' | 'createTime'>;

export class MerchantRegistry {
  private readonly merchants = new Map<number, SimMerchant>();
  private readonly payouts = new Map<number, SimPayoutMethod>();
  private nextMerchantId = 1;
  private nextPayoutId = 201;

  constructor(private readonly clock: () => number) {}

  nameTaken(name: string): boolean {
    return [...this.merchants.values()].some((m) => m.merchantName.toLowerCase() === name.toLowerCase());
  }

  emailTaken(email: string): boolean {
    return [...this.merchants.values()].some((m) => m.email.toLowerCase() === email.toLowerCase());
  }

  create(input: NewMerchant): SimMerchant {
    const now = this.clock();
    const merchant: SimMerchant = {
      ...input,
      id: this.nextMerchantId++,
      status: 1,
      buyUsed: money(0),
      sellUsed: money(0),
      createTime: now,
      updateTime: now,
    };
    this.merchants.set(merchant.id, merchant);
    return merchant;
  }

  get(id: number): SimMerchant | undefined {
    return this.merchants.get(id);
  }

  /** The merchant only if it belongs to this API account: other accounts' merchants do not exist for it. */
  getOwned(apiKey: string, id: number): SimMerchant | undefined {
    const m = this.merchants.get(id);
    return m && m.apiKey === apiKey ? m : undefined;
  }

  listByAccount(apiKey: string): SimMerchant[] {
    return [...this.merchants.values()].filter((m) => m.apiKey === apiKey);
  }

  listAll(): SimMerchant[] {
    return [...this.merchants.values()];
  }

  setStatus(merchant: SimMerchant, status: MerchantStatus): void {
    merchant.status = status;
    merchant.updateTime = this.clock();
  }

  addPayout(input: NewPayoutMethod): SimPayoutMethod {
    const payout: SimPayoutMethod = { ...input, id: this.nextPayoutId++, createTime: this.clock() };
    this.payouts.set(payout.id, payout);
    return payout;
  }

  getPayout(id: number): SimPayoutMethod | undefined {
    return this.payouts.get(id);
  }

  payoutsOf(mcId: number): SimPayoutMethod[] {
    return [...this.payouts.values()].filter((p) => p.mcId === mcId);
  }

  clear(): void {
    this.merchants.clear();
    this.payouts.clear();
    this.nextMerchantId = 1;
    this.nextPayoutId = 201;
  }
}

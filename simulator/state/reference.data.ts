// Static catalogue data seeded from the doc's examples (trubit-otc.md §8.4): countries, fiat/crypto pairs
// and payment configs. Read-only; everything per account lives in the stores next to this file.

export interface PaymentField {
  index: number;
  textType: number; // 1 number, 2 letter, 3 number+letter, 4 string, 5 image
  title: string;
  promptText: string;
  maxLimit: number;
  text: string;
  picUrl?: string[];
  tempPicUrl?: string[];
  isOptional: boolean; // read as "false = required" (§3.3 note)
  isAccount: boolean;
}

export interface PaymentConfig {
  id: number;
  country: string;
  fiatCurrency: string;
  paymentName: string;
  paymentType: 0 | 1;
  waitPayMoneyMinute: number;
  waitReceiveMoneyMinute: number;
  logo: string;
  color: string;
  fieldList: PaymentField[];
}

export interface Country {
  country: string;
  abbr: string;
  fiat: string;
  flagUrl: string;
  buySwitch: 0 | 1;
  sellSwitch: 0 | 1;
}

export const COUNTRIES: Country[] = [
  {
    country: 'Mexico',
    abbr: 'MX',
    fiat: 'MXN',
    flagUrl: 'https://static.trubit.com/flags/mx.png',
    buySwitch: 1,
    sellSwitch: 1,
  },
  {
    country: 'Argentina',
    abbr: 'AR',
    fiat: 'ARS',
    flagUrl: 'https://static.trubit.com/flags/ar.png',
    buySwitch: 1,
    sellSwitch: 1,
  },
  {
    country: 'Brazil',
    abbr: 'BR',
    fiat: 'BRL',
    flagUrl: 'https://static.trubit.com/flags/br.png',
    buySwitch: 1,
    sellSwitch: 0,
  },
  {
    country: 'Colombia',
    abbr: 'CO',
    fiat: 'COP',
    flagUrl: 'https://static.trubit.com/flags/co.png',
    buySwitch: 1,
    sellSwitch: 1,
  },
  {
    country: 'Hong Kong',
    abbr: 'HK',
    fiat: 'HKD',
    flagUrl: 'https://static.trubit.com/flags/hk.png',
    buySwitch: 0,
    sellSwitch: 0,
  },
];

/** base/symbol/self/list_data, verbatim from the reference page. */
export const FIAT_LIST = [
  { name: 'MXN', symbolList: ['USDT', 'MMXN'] },
  { name: 'ARS', symbolList: ['USDT', 'BTC'] },
];
export const TOKEN_LIST = [
  { name: 'USDT', symbolList: ['MXN', 'ARS', 'VES', 'COP', 'TWD', 'MYR'] },
  { name: 'MMXN', symbolList: ['MXN'] },
  { name: 'BTC', symbolList: ['ARS'] },
];

export const CRYPTO_LOGOS: Record<string, string> = {
  USDT: 'https://static.trubit.com/token/USDT.png',
  MMXN: 'https://static.trubit.com/token/MMXN.png',
  BTC: 'https://static.trubit.com/token/BTC.png',
};

const CLABE_FIELD: PaymentField = {
  index: 0,
  textType: 1,
  title: 'Cuenta CLABE',
  promptText: 'Ingresa los 18 dígitos de tu CLABE',
  maxLimit: 18,
  text: '',
  isOptional: false,
  isAccount: true,
};
const BANK_FIELD: PaymentField = {
  index: 1,
  textType: 4,
  title: 'Banco',
  promptText: 'Nombre del banco',
  maxLimit: 50,
  text: '',
  isOptional: true,
  isAccount: false,
};

export const PAYMENT_CONFIGS: PaymentConfig[] = [
  {
    id: 58,
    country: 'Mexico',
    fiatCurrency: 'MXN',
    paymentName: 'Automated SPEI - Arcus',
    paymentType: 1,
    waitPayMoneyMinute: 15,
    waitReceiveMoneyMinute: 240,
    logo: 'https://static.trubit.com/payment/spei.png',
    color: '#4658C1',
    fieldList: [CLABE_FIELD, BANK_FIELD],
  },
  {
    id: 59,
    country: 'Mexico',
    fiatCurrency: 'MXN',
    paymentName: 'SPEI',
    paymentType: 0,
    waitPayMoneyMinute: 30,
    waitReceiveMoneyMinute: 240,
    logo: 'https://static.trubit.com/payment/spei.png',
    color: '#2E7D32',
    fieldList: [CLABE_FIELD, BANK_FIELD],
  },
  {
    id: 71,
    country: 'Argentina',
    fiatCurrency: 'ARS',
    paymentName: 'CVU - Transferencia',
    paymentType: 1,
    waitPayMoneyMinute: 15,
    waitReceiveMoneyMinute: 240,
    logo: 'https://static.trubit.com/payment/cvu.png',
    color: '#1565C0',
    fieldList: [{ ...CLABE_FIELD, title: 'CVU', promptText: 'Ingresa tu CVU', maxLimit: 22 }],
  },
];

export const CURRENCIES_BY_COUNTRY: Record<string, Array<{ id: number; fiatCurrency: string }>> = {
  Mexico: [{ id: 1, fiatCurrency: 'MXN' }],
  Argentina: [{ id: 2, fiatCurrency: 'ARS' }],
  Brazil: [{ id: 3, fiatCurrency: 'BRL' }],
  Colombia: [{ id: 4, fiatCurrency: 'COP' }],
};

/** The automatic-payment configs usable as BUY `paymentId` (returned as autoApiFiatPaymentList). */
export function autoPaymentConfigs(): PaymentConfig[] {
  return PAYMENT_CONFIGS.filter((p) => p.paymentType === 1);
}

export function findCountry(name: string): Country | undefined {
  return COUNTRIES.find(
    (c) => c.country.toLowerCase() === name.toLowerCase() || c.abbr === name.toUpperCase(),
  );
}

export function findPaymentConfig(id: number): PaymentConfig | undefined {
  return PAYMENT_CONFIGS.find((p) => p.id === id);
}

/** Which tokens can be deposited on which chains, with the BHEX-style response extras. */
export const DEPOSIT_CHAINS: Record<
  string,
  Record<string, { tokenType: string; minQuantity: string; confirmations: number }>
> = {
  USDT: {
    ERC20: { tokenType: 'ERC20_TOKEN', minQuantity: '5', confirmations: 64 },
    TRC20: { tokenType: 'TRC20_TOKEN', minQuantity: '1', confirmations: 20 },
  },
  MMXN: { ERC20: { tokenType: 'ERC20_TOKEN', minQuantity: '10', confirmations: 64 } },
};

/**
 * Wire types for /openapi/v1/otc (trubit-otc.md §3), as the client returns them after parseTrubitJson:
 * ids (orderId, userId, accountId) are exact decimal strings, money fields are decimal strings as received,
 * small integers are numbers. Fields TruBit sends inconsistently are typed as unions on purpose
 * (orderStatus: "30" in lists, 40 in details).
 */

export type TrubitOrderType = 'BUY' | 'SELL';
/** A TruBit decimal amount as a string, e.g. "700.00". */
export type TrubitDecimal = string;
/** A 64-bit snowflake id as an exact decimal string. */
export type TrubitId = string;
/** ms since epoch; TruBit sends these as numbers or as strings depending on the endpoint. */
export type TrubitEpochMs = number | string;
export type TrubitOrderStatusCode = 10 | 30 | 31 | 40 | 50 | 60 | 70 | 80;

/** `{"result":true,"msg":""}` (payment/add, order/finish). A `result:false` is raised as TrubitBusinessError. */
export interface TrubitResultResponse {
  result: boolean;
  msg: string;
}

// ---- 3.1 base data -------------------------------------------------------------------------------------

export interface TrubitListCountriesRequest {
  hasValid?: number;
}
export interface TrubitCountry {
  country: string;
  abbr: string;
  flagUrl?: string;
  buySwitch: number;
  sellSwitch: number;
}
export interface TrubitListCountriesResponse {
  countryList: TrubitCountry[];
}

export interface TrubitListSymbolsRequest {
  /** Country *name*, e.g. "Mexico". */
  country?: string;
  hasValid?: 0 | 1;
}
export interface TrubitSymbolGroup {
  name: string;
  symbolList: string[];
}
export interface TrubitAutoApiFiatPayment {
  id: number;
  paymentName?: string;
  [extra: string]: unknown;
}
export interface TrubitListSymbolsResponse {
  fiatList: TrubitSymbolGroup[];
  tokenList: TrubitSymbolGroup[];
  /** Mentioned by the user guide, not in the documented schema: shape unknown. */
  autoApiFiatPaymentList?: TrubitAutoApiFiatPayment[];
  [extra: string]: unknown;
}

// ---- 3.2 rates -----------------------------------------------------------------------------------------

export interface TrubitUserQuoteRequest {
  country: string;
  fiatCurrency: string;
  cryptoCurrency: string;
}
export interface TrubitUserQuoteResponse {
  /** 0 = quoting closed (order/add should fail), 1 = open. */
  hasOpen: number;
  fiatCurrency: string;
  cryptoCurrency: string;
  /** Fiat per 1 crypto the client pays when buying crypto. */
  buyRate: TrubitDecimal;
  /** Fiat per 1 crypto the client receives when selling crypto. */
  sellRate: TrubitDecimal;
}

// ---- 3.3 payment methods -------------------------------------------------------------------------------

/** 1 number, 2 letter, 3 number+letter, 4 string, 5 image. */
export type TrubitFieldTextType = 1 | 2 | 3 | 4 | 5;

export interface TrubitPaymentField {
  index: number;
  textType: TrubitFieldTextType | number;
  title: string;
  promptText?: string;
  maxLimit?: number;
  text?: string;
  picUrl?: string[];
  tempPicUrl?: string[];
  /** false = required (the doc's wording contradicts itself; the examples read this way). */
  isOptional?: boolean;
  isAccount?: boolean;
}

export interface TrubitPaymentConfig {
  id: number;
  country: string;
  paymentName: string;
  /** 0 manual, 1 automatic. */
  paymentType: number;
  waitPayMoneyMinute?: number;
  waitReceiveMoneyMinute?: number;
  logo?: string;
  fieldNum?: number;
  fieldList: TrubitPaymentField[];
}

export interface TrubitListPaymentConfigsRequest {
  country?: string;
}
export interface TrubitListPaymentConfigsResponse {
  currencys: Array<{ id: number; fiatCurrency: string }>;
  payments: TrubitPaymentConfig[];
}

export interface TrubitAddPaymentRequest {
  mcId: number;
  country: string;
  fiatCurrency: string;
  paymentConfigId: number;
  paymentLogo?: string;
  paymentMethodName: string;
  realName: string;
  /** The config's fields with `text` filled in (an array in v1). */
  fieldJson: TrubitPaymentField[];
  remark?: string;
}
export type TrubitAddPaymentResponse = TrubitResultResponse;

// ---- 3.4 merchants -------------------------------------------------------------------------------------

export interface TrubitMerchant {
  id: number;
  country: string;
  merchantName: string;
  paymentId?: number;
  paymentMethodName?: string;
  fiat: string;
  buyLimit: TrubitDecimal;
  buyUsed: TrubitDecimal;
  sellLimit: TrubitDecimal;
  sellUsed: TrubitDecimal;
  /** KYC status, when TruBit includes it: 1 authenticating, 2 normal, 3 failed. */
  status?: number;
  [extra: string]: unknown;
}
export type TrubitListMerchantsResponse = TrubitMerchant[];

export type TrubitMerchantType = 'PERSONAL' | 'COMPANY';

interface TrubitAddMerchantBase {
  merchantName: string;
  email: string;
  merchantType: TrubitMerchantType;
  remark?: string;
}

/** Mexico / CLABE channel. Personal fields for PERSONAL, company fields for COMPANY. */
export interface TrubitAddMerchantClabeRequest extends TrubitAddMerchantBase {
  trench: 'CLABE';
  curp?: string;
  rfc?: string;
  /** yyyy-MM-dd */
  cardIssueDate?: string;
  cardExpireDate?: string;
  address?: string;
  city?: string;
  state?: string;
  zipCode?: string;
  phone?: string;
  companyName?: string;
  aliasName?: string;
  companyType?: string;
  incorporationDate?: string;
  birthday?: string;
  name?: string;
  fatherSurname?: string;
  motherSurname?: string;
}

/** Argentina / CVU channel. */
export interface TrubitAddMerchantCvuRequest extends TrubitAddMerchantBase {
  trench: 'CVU';
  cuit: string;
  name: string;
}

export type TrubitAddMerchantRequest = TrubitAddMerchantClabeRequest | TrubitAddMerchantCvuRequest;

export interface TrubitAddMerchantResponse {
  merchantId: number;
  country: string;
  merchantName: string;
  /** 1 authenticating, 2 normal, 3 authentication failed. */
  status: number;
  /** Numeric, mapping not published: opaque. */
  merchantType: number | string;
}

// ---- 3.5 orders ----------------------------------------------------------------------------------------

export interface TrubitListOrdersRequest {
  currentPage?: number;
  pageSize?: number;
  isPending?: boolean;
}

export interface TrubitOrderSummary {
  orderId: TrubitId;
  userId?: TrubitId;
  accountId?: TrubitId;
  cryptoCurrency: string;
  cryptoLogo?: string;
  fiatCurrency: string;
  orderPrice: TrubitDecimal;
  quantity: TrubitDecimal;
  fiatAmount: TrubitDecimal;
  orderType: TrubitOrderType;
  /** "30" in lists, 40 in details. */
  orderStatus: string | number;
  deptPaymentMethodName?: string;
  deptPaymentMethodColor?: string;
  orderApprovedTime?: TrubitEpochMs | null;
  hasRefund?: number;
  hasSelf?: number;
}

export interface TrubitListOrdersResponse {
  currentPage: number;
  size: number;
  total: number;
  pendingOrders?: number;
  record: TrubitOrderSummary[];
}

export interface TrubitPaymentInfo {
  id?: number;
  name?: string;
  logo?: string;
  color?: string;
  realName?: string;
  paymentFieldList?: TrubitPaymentField[];
}

export interface TrubitGetOrderRequest {
  orderId: TrubitId;
}

export interface TrubitOrderDetail extends TrubitOrderSummary {
  /** 0 manual, 1 automatic. */
  paymentType?: number;
  orderTimeFrameMinute?: number;
  /** SECONDS since epoch (unlike every other time field). */
  orderConfirmTimestamp?: number | string;
  /** SECONDS since epoch. */
  orderExpireTimestamp?: number | string;
  completedTime?: TrubitEpochMs | null;
  createTime?: TrubitEpochMs;
  updateTime?: TrubitEpochMs;
  mark?: string;
  mcId?: number;
  mcName?: string;
  companyName?: string;
  /** (sic) SPEI tracking key once fiat has moved. */
  traclingNumber?: string;
  deptPaymentInfo?: TrubitPaymentInfo | null;
  userPaymentInfo?: TrubitPaymentInfo | null;
}

export interface TrubitAddOrderRequest {
  country: string;
  mcId: number;
  cryptoCurrency: string;
  fiatCurrency: string;
  /** Crypto amount; truncated to 4 dp by the client. SELL orders are driven by it. */
  quantity?: TrubitDecimal;
  /** Fiat amount; truncated to 2 dp by the client. BUY orders are driven by it. */
  orderAmount?: TrubitDecimal;
  orderType: TrubitOrderType;
  /** BUY: payment config id (e.g. 58); SELL: the user's payout method id. Sent as given (number or string). */
  paymentId: number | string;
}
export interface TrubitAddOrderResponse {
  orderId: TrubitId;
}

export interface TrubitFinishOrderRequest {
  /** Written to the body as a bare JSON number with the exact digits. */
  orderId: TrubitId;
}
export type TrubitFinishOrderResponse = TrubitResultResponse;

// ---- 3.6 deposit and account ---------------------------------------------------------------------------

export interface TrubitDepositAddressRequest {
  tokenId: string;
  /** 'ERC20' | 'TRC20' | '' */
  chainType?: string;
}
export interface TrubitDepositAddressResponse {
  allowDeposit: boolean;
  address: string;
  addressExt?: string;
  minQuantity?: TrubitDecimal;
  needAddressTag?: boolean;
  requiredConfirmNum?: number;
  canWithdrawConfirmNum?: number;
  tokenType?: string;
}

export interface TrubitBalance {
  asset: string;
  assetId?: string;
  assetName?: string;
  total: TrubitDecimal;
  free: TrubitDecimal;
  locked: TrubitDecimal;
}
export interface TrubitAccountResponse {
  accountId?: TrubitId;
  accountName?: string;
  accountType?: number;
  accountIndex?: number;
  canTrade?: boolean;
  canDeposit?: boolean;
  canWithdraw?: boolean;
  balances: TrubitBalance[];
  updateTime?: TrubitEpochMs;
}

// ---- 6.2 callbacks -------------------------------------------------------------------------------------

export interface TrubitOrderWebhook {
  webhookId?: string;
  eventType?: string;
  orderId: TrubitId;
  clientId?: string;
  userId?: TrubitId;
  merchantId?: number | string;
  orderType?: TrubitOrderType | string;
  fiat?: string;
  /** From `fiatAmount`, or the doc example's `orderAmount`. */
  fiatAmount?: TrubitDecimal;
  fiatFee?: TrubitDecimal;
  crypto?: string;
  cryptoAmount?: TrubitDecimal;
  orderPrice?: TrubitDecimal;
  /** Always a string here ("60"), whatever was sent. */
  orderStatus: string;
  hasRefund?: number;
  createTime?: TrubitEpochMs;
  updateTime?: TrubitEpochMs;
}

// Request and response shapes of the Partner API (partner-api.md §4 and §6). Field names are the
// MexicoP2P ones and never change; money travels as JSON numbers, TruBit ids as strings, times as
// ISO-8601 UTC strings.

export type PartnerTier = 'FREE' | 'GROWTH' | 'ENTERPRISE';
export type KycStatus = 'NOT_REQUIRED' | 'PENDING' | 'APPROVED' | 'REJECTED';
export type KycTier = 'NONE' | 'BASIC' | 'FULL';
export type KycLevel = 'BASIC' | 'FULL';
export type FeeRecipient = 'USER' | 'PARTNER' | 'NONE';
export type OrderStatus =
  | 'PENDING_DEPOSIT'
  | 'ACTIVE'
  | 'LOCKED'
  | 'VERIFIED'
  | 'COMPLETED'
  | 'CANCELLED'
  | 'REFUNDED'
  | 'REJECTED'
  | 'EXPIRED'
  | 'FAILED';
export type WebhookDeliveryStatus = 'PENDING' | 'DELIVERED' | 'FAILED';
/** ISO-8601 UTC timestamp with milliseconds, e.g. `2026-11-22T10:00:00.000Z`. */
export type IsoDateTime = string;

/** Every list answers with this envelope around its items (`orders`, `users`, `webhooks`). */
export interface PageInfo {
  total: number;
  limit: number;
  offset: number;
  hasMore: boolean;
}

/** `limit` 1–100 (default 20), `offset` default 0; lists are newest first. */
export interface PageParams {
  limit?: number;
  offset?: number;
}

// ---- health & exchange rate -------------------------------------------------------------------

export interface HealthResponse {
  status: 'ok';
  partner: string;
  tier: PartnerTier;
  timestamp: IsoDateTime;
}

export interface ExchangeRate {
  /** TruBit's sellRate for token/MXN. */
  usdMxn: number;
  token: string;
  source: 'trubit';
  timestamp: IsoDateTime;
  /** Seconds the rate may be cached for (300). */
  validFor: number;
}

// ---- users & KYC ----------------------------------------------------------------------------------

/** Only for PARTNER_MANAGED partners: marks the user APPROVED at `level`. */
export interface KycAttestation {
  level: KycLevel;
  provider: string;
  reference: string;
  verifiedAt: IsoDateTime;
}

export interface CreateUserRequest {
  partnerUserRef: string;
  kycAttestation?: KycAttestation;
}

/** The 201 body of `POST /users`. */
export interface CreatedUser {
  id: string;
  partnerUserRef: string;
  kycStatus: KycStatus;
  kycTier: KycTier;
  orderCount: number;
  totalVolumeMxn: number;
  createdAt: IsoDateTime;
}

export interface User {
  id: string;
  partnerUserRef: string;
  kycStatus: KycStatus;
  kycTier: KycTier;
  kycCompletedAt: IsoDateTime | null;
  orderCount: number;
  totalVolumeMxn: number;
  monthlyVolumeMxn: number;
  amlRiskLevel: string;
  isPep: boolean;
  isSanctioned: boolean;
  createdAt: IsoDateTime;
  updatedAt: IsoDateTime;
}

export type ListUsersParams = PageParams;

export interface UserList extends PageInfo {
  users: User[];
}

interface KycRequestBase {
  level: KycLevel;
  returnUrl?: string;
  email: string;
  phone: string;
  address: string;
  city: string;
  /** State code, e.g. `CMX`. */
  state: string;
  zipCode: string;
}

/** Identity of a natural person (TruBit `mc/add`, merchantType PERSONAL). Dates are `yyyy-MM-dd`. */
export interface PersonalKycRequest extends KycRequestBase {
  type: 'PERSONAL';
  name: string;
  fatherSurname: string;
  motherSurname: string;
  birthday: string;
  /** `curp` or `rfc` (at least one). */
  curp?: string;
  rfc?: string;
  cardIssueDate?: string;
  cardExpireDate?: string;
}

/** Identity of a company (TruBit `mc/add`, merchantType COMPANY). Dates are `yyyy-MM-dd`. */
export interface CompanyKycRequest extends KycRequestBase {
  type: 'COMPANY';
  companyName: string;
  aliasName?: string;
  rfc: string;
  incorporationDate: string;
  /** e.g. `SC`, `SA`. */
  companyType: string;
}

export type StartKycRequest = PersonalKycRequest | CompanyKycRequest;

export interface KycSession {
  kycStatus: 'PENDING';
  level: KycLevel;
  sessionId: string;
  createdAt: IsoDateTime;
}

// ---- quotes ---------------------------------------------------------------------------------------

interface CreateQuoteBase {
  type: 'SELL';
  /** Defaults to `USDT`. */
  token?: string;
  partnerUserRef: string;
  /** 0–10, default 0: the partner's fee on top of the trade. */
  feePercent?: number;
  /** Default `NONE`. */
  feeRecipient?: FeeRecipient;
}

/** Quote by token amount: give exactly one of `amount` or `amountUsdc` (up to 6 dp). */
export type CreateQuoteRequest = CreateQuoteBase &
  ({ amount: number; amountUsdc?: never } | { amountUsdc: number; amount?: never });

export interface Quote {
  id: string;
  type: 'SELL';
  token: string;
  amount: number;
  amountUsdc: number;
  exchangeRate: number;
  grossAmountMxn: number;
  feePercent: number;
  feeAmountMxn: number;
  feeRecipient: FeeRecipient;
  netAmountMxn: number;
  /** 5 minutes after creation. */
  expiresAt: IsoDateTime;
}

// ---- orders ---------------------------------------------------------------------------------------

export interface CreateOrderRequest {
  quoteId: string;
  partnerUserRef: string;
  /** 18-digit CLABE with a valid check digit. */
  sellerClabe: string;
}

/** Where to send the tokens while an order waits in PENDING_DEPOSIT (shape owned by the gateway). */
export interface OrderDeposit {
  token?: string;
  chain?: string;
  address?: string;
  amount?: number;
  [key: string]: unknown;
}

/** The 201 body of `POST /orders`. */
export interface CreatedOrder {
  id: string;
  status: OrderStatus;
  token: string;
  amountUsdc: number;
  amount: number;
  totalMxn: number;
  netAmountMxn: number;
  exchangeRate: number;
  sellerClabe: string;
  bankName: string;
  amlRiskLevel: string;
  deposit?: OrderDeposit;
  /** Creation + 60 minutes: an unfunded order expires then. */
  expiresAt: IsoDateTime;
  createdAt: IsoDateTime;
}

export interface BankAccount {
  clabe: string;
  bankCode: string;
  bankName: string;
}

export interface OrderFees {
  feePercent: number;
  feeAmountMxn: number;
  feeRecipient: FeeRecipient;
  revenueSharePercent: number;
  partnerFeeMxn: number;
  platformFeeMxn: number;
}

export interface OrderTimelineEntry {
  id: string;
  event: string;
  data: Record<string, unknown> | null;
  timestamp: IsoDateTime;
}

/** An order as `GET /orders` lists it (and as webhook `data` snapshots it). */
export interface Order extends CreatedOrder {
  partnerUserRef: string;
  /** TruBit's order id (a >2^53 integer, kept as a string); null until submitted. */
  trubitOrderId: string | null;
  bankAccount: BankAccount;
  /** SPEI tracking key (TruBit `traclingNumber`), set from VERIFIED on. */
  cepTrackingKey: string | null;
  fees: OrderFees;
  failureReason: string | null;
  completedAt: IsoDateTime | null;
  updatedAt: IsoDateTime;
}

/** `GET /orders/:id`: the order plus its timeline. */
export interface OrderDetail extends Order {
  timeline: OrderTimelineEntry[];
}

export interface ListOrdersParams extends PageParams {
  status?: OrderStatus;
  partnerUserRef?: string;
}

export interface OrderList extends PageInfo {
  orders: Order[];
}

// ---- funding --------------------------------------------------------------------------------------

export interface Balance {
  token: string;
  total: number;
  free: number;
  locked: number;
  /** Held by the gateway for orders accepted but not yet submitted. */
  reserved: number;
  available: number;
}

export interface Balances {
  balances: Balance[];
}

/** The partner account's TruBit deposit address (TruBit `depositAddress`). */
export interface DepositAddress {
  token: string;
  chain: string;
  address: string;
  addressExt?: string;
  minQuantity?: number | string;
  needAddressTag?: boolean;
  requiredConfirmNum?: number;
  tokenType?: string;
  [key: string]: unknown;
}

// ---- webhook deliveries & endpoint ----------------------------------------------------------------

export interface WebhookDelivery {
  id: string;
  eventId: string;
  orderId: string | null;
  eventType: WebhookEventType;
  status: WebhookDeliveryStatus;
  attempts: number;
  maxAttempts: number;
  lastAttemptAt: IsoDateTime | null;
  nextAttemptAt: IsoDateTime | null;
  deliveredAt: IsoDateTime | null;
  lastStatusCode: number | null;
  errorMessage: string | null;
  createdAt: IsoDateTime;
}

export interface ListWebhooksParams extends PageParams {
  status?: WebhookDeliveryStatus;
  orderId?: string;
  eventType?: WebhookEventType;
}

export interface WebhookDeliveryList extends PageInfo {
  webhooks: WebhookDelivery[];
}

export interface RecoverWebhooksRequest {
  /** Start of the window (a Date is sent as ISO-8601). */
  since: IsoDateTime | Date;
  until?: IsoDateTime | Date;
}

/** Result of `POST /webhooks/recover` (shape owned by the gateway; `recovered` = deliveries re-queued). */
export interface RecoverWebhooksResult {
  recovered?: number;
  [key: string]: unknown;
}

export interface WebhookEndpoint {
  url: string | null;
  [key: string]: unknown;
}

/** The new secret is shown once; the old one keeps signing alongside it for 24 h. */
export interface RotatedWebhookSecret {
  webhookSecret: string;
  [key: string]: unknown;
}

// ---- webhook events (§6) --------------------------------------------------------------------------

export type OrderWebhookEventType =
  | 'order.created'
  | 'order.active'
  | 'order.locked'
  | 'order.payment_verified'
  | 'order.completed'
  | 'order.cancelled'
  | 'order.refunded'
  | 'order.rejected'
  | 'order.expired'
  | 'order.failed';
export type UserWebhookEventType = 'user.kyc_approved' | 'user.kyc_rejected';
export type WebhookEventType = OrderWebhookEventType | UserWebhookEventType;

/** `data` of an `order.*` event: the order snapshot plus the per-order `sequence` (+1 per event). */
export interface OrderWebhookData extends Partial<Omit<Order, 'id' | 'status' | 'partnerUserRef'>> {
  orderId: string;
  status: OrderStatus;
  sequence: number;
  partnerUserRef: string;
  [key: string]: unknown;
}

/** `data` of a `user.*` event. */
export interface UserWebhookData {
  partnerUserRef: string;
  kycStatus?: KycStatus;
  kycTier?: KycTier;
  [key: string]: unknown;
}

interface WebhookEventBase<E extends WebhookEventType, D> {
  /** `evt_…`, stable across delivery attempts: dedupe on it. */
  id: string;
  event: E;
  createdAt: IsoDateTime;
  data: D;
}

export type OrderWebhookEvent = {
  [E in OrderWebhookEventType]: WebhookEventBase<E, OrderWebhookData>;
}[OrderWebhookEventType];
export type UserWebhookEvent = {
  [E in UserWebhookEventType]: WebhookEventBase<E, UserWebhookData>;
}[UserWebhookEventType];
/** Narrow on `event` to get the matching `data` type. */
export type WebhookEvent = OrderWebhookEvent | UserWebhookEvent;

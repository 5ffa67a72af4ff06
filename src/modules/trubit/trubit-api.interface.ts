import type { TrubitCredentials } from './trubit.options';
import type { TrubitBudget } from './trubit-rate-limiter.base';
import type {
  TrubitAccountResponse,
  TrubitAddMerchantRequest,
  TrubitAddMerchantResponse,
  TrubitAddOrderRequest,
  TrubitAddOrderResponse,
  TrubitAddPaymentRequest,
  TrubitAddPaymentResponse,
  TrubitDepositAddressRequest,
  TrubitDepositAddressResponse,
  TrubitFinishOrderRequest,
  TrubitFinishOrderResponse,
  TrubitGetOrderRequest,
  TrubitListCountriesRequest,
  TrubitListCountriesResponse,
  TrubitListMerchantsResponse,
  TrubitListOrdersRequest,
  TrubitListOrdersResponse,
  TrubitListPaymentConfigsRequest,
  TrubitListPaymentConfigsResponse,
  TrubitListSymbolsRequest,
  TrubitListSymbolsResponse,
  TrubitOrderDetail,
  TrubitUserQuoteRequest,
  TrubitUserQuoteResponse,
} from './trubit.types';

/**
 * Everything the gateway may ask TruBit. Each method takes optional per-partner credentials and otherwise
 * uses the operator's default account. Failures are TrubitError subclasses (see trubit.errors.ts).
 * Tests elsewhere can implement this with a fake.
 */
export interface TrubitApi {
  listCountries(
    req?: TrubitListCountriesRequest,
    credentials?: TrubitCredentials,
  ): Promise<TrubitListCountriesResponse>;
  listSymbols(
    req?: TrubitListSymbolsRequest,
    credentials?: TrubitCredentials,
  ): Promise<TrubitListSymbolsResponse>;
  getUserQuote(
    req: TrubitUserQuoteRequest,
    credentials?: TrubitCredentials,
  ): Promise<TrubitUserQuoteResponse>;
  listPaymentConfigs(
    req?: TrubitListPaymentConfigsRequest,
    credentials?: TrubitCredentials,
  ): Promise<TrubitListPaymentConfigsResponse>;
  addPayment(
    req: TrubitAddPaymentRequest,
    credentials?: TrubitCredentials,
  ): Promise<TrubitAddPaymentResponse>;
  listMerchants(credentials?: TrubitCredentials): Promise<TrubitListMerchantsResponse>;
  addMerchant(
    req: TrubitAddMerchantRequest,
    credentials?: TrubitCredentials,
  ): Promise<TrubitAddMerchantResponse>;
  listOrders(
    req?: TrubitListOrdersRequest,
    credentials?: TrubitCredentials,
  ): Promise<TrubitListOrdersResponse>;
  getOrder(req: TrubitGetOrderRequest, credentials?: TrubitCredentials): Promise<TrubitOrderDetail>;
  addOrder(req: TrubitAddOrderRequest, credentials?: TrubitCredentials): Promise<TrubitAddOrderResponse>;
  finishOrder(
    req: TrubitFinishOrderRequest,
    credentials?: TrubitCredentials,
  ): Promise<TrubitFinishOrderResponse>;
  getDepositAddress(
    req: TrubitDepositAddressRequest,
    credentials?: TrubitCredentials,
  ): Promise<TrubitDepositAddressResponse>;
  getAccount(credentials?: TrubitCredentials): Promise<TrubitAccountResponse>;
}

export type TrubitBreakerStateName = 'CLOSED' | 'OPEN' | 'HALF_OPEN';

export interface TrubitBreakerState {
  state: TrubitBreakerStateName;
  /** opossum's rolling-window counters (fires, failures, successes, timeouts, rejects, latency…). */
  stats: Record<string, unknown>;
}

/** Read-only view for /admin/v1/upstream. */
export interface TrubitUpstreamInspector {
  getBreakerState(): TrubitBreakerState;
  getBudget(credentials?: TrubitCredentials): Promise<TrubitBudget>;
}

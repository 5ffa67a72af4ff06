/**
 * The /openapi/v1/otc catalogue (trubit-otc.md §3) with what the client needs per route: signing (§2.1),
 * limiter weight (§7) and whether a lost response means "maybe executed" (write).
 */

export interface TrubitEndpoint {
  /** Stable name used in metrics and errors, e.g. "order/add". */
  readonly name: string;
  readonly method: 'GET' | 'POST';
  /** Path below /openapi/v1/otc/. */
  readonly path: string;
  readonly signed: boolean;
  /** REQUESTS_WEIGHT per call. */
  readonly weight: number;
  /** A state-changing call: timeouts/5xx mean "outcome unknown", never "failed". */
  readonly write: boolean;
  /** Counts against ORDERS per second. */
  readonly order: boolean;
}

function ep(
  name: string,
  method: 'GET' | 'POST',
  flags: { signed: boolean; weight?: number; write?: boolean; order?: boolean; path?: string },
): TrubitEndpoint {
  return Object.freeze({
    name,
    method,
    path: flags.path ?? name,
    signed: flags.signed,
    weight: flags.weight ?? 1,
    write: flags.write ?? false,
    order: flags.order ?? false,
  });
}

export const TRUBIT_OTC_BASE_PATH = '/openapi/v1/otc/';

export const TRUBIT_ENDPOINTS = Object.freeze({
  listCountries: ep('base/symbol_rate/country/list', 'GET', { signed: false }),
  listSymbols: ep('base/symbol/self/list_data', 'GET', { signed: false }),
  // A POST, but it only reads a quote: a lost response is harmless.
  getUserQuote: ep('rate/user_quote/find', 'POST', { signed: true }),
  listPaymentConfigs: ep('payment/list', 'GET', { signed: false }),
  addPayment: ep('payment/add', 'POST', { signed: true, write: true }),
  listMerchants: ep('mc/list', 'GET', { signed: true, weight: 5 }),
  // Not in S1's signed list (the path itself is only in the reference copy); every write there is signed.
  addMerchant: ep('mc/add', 'POST', { signed: true, write: true }),
  listOrders: ep('order/list', 'GET', { signed: true, weight: 5 }),
  getOrder: ep('order/detail', 'GET', { signed: true }),
  addOrder: ep('order/add', 'POST', { signed: true, write: true, order: true }),
  finishOrder: ep('order/finish', 'POST', { signed: true, write: true }),
  getDepositAddress: ep('depositAddress', 'GET', { signed: true }),
  getAccount: ep('account', 'GET', { signed: true, weight: 5 }),
} satisfies Record<string, TrubitEndpoint>);

export type TrubitEndpointKey = keyof typeof TRUBIT_ENDPOINTS;

import { ErrorCode } from '../errors/error-codes';

/** Errors every partner operation can answer (auth, limits, validation, the unexpected). */
export const PARTNER_COMMON_ERRORS: ErrorCode[] = [
  'VALIDATION_ERROR',
  'MISSING_API_KEY',
  'INVALID_API_KEY',
  'PARTNER_INACTIVE',
  'PARTNER_SUSPENDED',
  'IP_NOT_ALLOWED',
  'RATE_LIMITED',
  'INTERNAL_ERROR',
];

export const ADMIN_COMMON_ERRORS: ErrorCode[] = ['VALIDATION_ERROR', 'UNAUTHORIZED', 'INTERNAL_ERROR'];

/** The codes specific to each operation ("METHOD /path" as in the OpenAPI document). */
export const OPERATION_ERRORS: Record<string, ErrorCode[]> = {
  'GET /api/v1/exchange-rate': ['UNSUPPORTED_TOKEN', 'UPSTREAM_UNAVAILABLE'],
  'POST /api/v1/users': ['DUPLICATE_USER', 'USER_LIMIT_REACHED', 'KYC_NOT_AVAILABLE'],
  'GET /api/v1/users/{ref}': ['NOT_FOUND'],
  'POST /api/v1/users/{ref}/kyc': [
    'NOT_FOUND',
    'KYC_NOT_AVAILABLE',
    'KYC_LIMIT_REACHED',
    'KYC_SESSION_FAILED',
  ],
  'POST /api/v1/quotes': ['NOT_FOUND', 'UNSUPPORTED_TOKEN', 'UPSTREAM_UNAVAILABLE'],
  'POST /api/v1/orders': [
    'INVALID_CLABE',
    'INVALID_QUOTE',
    'QUOTE_USER_MISMATCH',
    'QUOTE_USED',
    'QUOTE_EXPIRED',
    'NOT_FOUND',
    'VOLUME_LIMIT_EXCEEDED',
    'KYC_REQUIRED',
    'IDEMPOTENCY_KEY_REUSED',
    'IDEMPOTENCY_IN_PROGRESS',
  ],
  'GET /api/v1/orders/{id}': ['NOT_FOUND'],
  'POST /api/v1/orders/{id}/cancel': ['NOT_FOUND', 'ORDER_NOT_CANCELLABLE'],
  'GET /api/v1/balances': ['UPSTREAM_UNAVAILABLE'],
  'GET /api/v1/deposit-address': ['UNSUPPORTED_TOKEN', 'UPSTREAM_UNAVAILABLE'],
  'POST /api/v1/webhooks/{id}/retry': ['NOT_FOUND'],
  'PUT /api/v1/webhook-endpoint': ['VALIDATION_ERROR'],
};

export const ERROR_EXAMPLES: Partial<Record<ErrorCode, string>> = {
  VALIDATION_ERROR: 'amount: amount must be a positive number',
  MISSING_API_KEY: 'Missing X-API-Key header',
  INVALID_API_KEY: 'API key is invalid, revoked or expired',
  PARTNER_INACTIVE: 'Partner account is not active',
  PARTNER_SUSPENDED: 'Partner account is suspended',
  IP_NOT_ALLOWED: "IP 203.0.113.9 is not in the partner's allowlist",
  RATE_LIMITED: 'Rate limit of 200 requests per minute exceeded',
  INTERNAL_ERROR: 'Internal error; quote the requestId when contacting support',
  UNAUTHORIZED: 'Missing or invalid admin bearer token',
  INVALID_CLABE: 'sellerClabe failed the CLABE check digit',
  INVALID_QUOTE: 'Quote not found',
  QUOTE_EXPIRED: 'Quote expired',
  QUOTE_USED: 'Quote already used by an order',
  QUOTE_USER_MISMATCH: 'The quote belongs to another partnerUserRef',
  NOT_FOUND: 'Resource not found',
  DUPLICATE_USER: 'A user with this partnerUserRef already exists',
  USER_LIMIT_REACHED: 'Monthly user limit of the tier reached',
  VOLUME_LIMIT_EXCEEDED: 'Daily volume limit of 200000 MXN exceeded',
  KYC_NOT_AVAILABLE: 'KYC is managed by the partner (PARTNER_MANAGED)',
  KYC_LIMIT_REACHED: 'Monthly KYC allowance reached',
  KYC_SESSION_FAILED: 'The KYC provider refused the session',
  KYC_REQUIRED: "The user's monthly volume would exceed 32000 MXN without approved KYC",
  ORDER_NOT_CANCELLABLE: 'Only orders waiting for funds can be cancelled',
  IDEMPOTENCY_KEY_REUSED: 'Idempotency-Key was used with a different request',
  IDEMPOTENCY_IN_PROGRESS: 'A request with this Idempotency-Key is still in progress',
  UPSTREAM_UNAVAILABLE: 'TruBit is unavailable; retry later',
  UNSUPPORTED_TOKEN: 'Token DOGE is not supported',
};

export { PartnerClient } from './client';
export type {
  CreateOrderOptions,
  PartnerClientOptions,
  RawRequest,
  RequestOptions,
  ResponseMeta,
  RetryInfo,
  RetryReason,
} from './client';
export {
  PARTNER_ERROR_STATUS,
  PartnerApiError,
  PartnerConnectionError,
  PartnerError,
  PartnerTimeoutError,
  isPartnerErrorCode,
} from './errors';
export type { PartnerApiErrorInit, PartnerErrorCode, RateLimitInfo, ValidationProblem } from './errors';
export { verifyWebhook, WebhookVerificationError } from './webhooks';
export type { VerifyWebhookOptions, WebhookHeaders, WebhookVerificationReason } from './webhooks';
export type { QueryValue } from './http-util';
export { SDK_VERSION } from './version';
export type * from './types';

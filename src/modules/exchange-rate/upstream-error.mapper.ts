import { ApiError } from '@app/common/errors/api.error';
import {
  TrubitAuthError,
  TrubitBusinessError,
  TrubitError,
  TrubitRateLimitError,
  TrubitUnavailableError,
} from '@app/modules/trubit/trubit.errors';

const seconds = (ms: number) => Math.max(1, Math.ceil(ms / 1000));

/**
 * A failed TruBit READ as the partner sees it: TruBit (or our breaker/budget) cannot serve us now → 503
 * UPSTREAM_UNAVAILABLE with Retry-After; TruBit refused the request itself → 502 UPSTREAM_REJECTED with its
 * code. Credential problems are ours, not the partner's, so they read as "unavailable" without details.
 */
export function upstreamReadError(err: unknown, breakerResetMs: number): unknown {
  if (!(err instanceof TrubitError)) return err;
  const unavailable = (retryAfterS: number) =>
    new ApiError('UPSTREAM_UNAVAILABLE', 'TruBit is not available right now; retry later', undefined, {
      'Retry-After': retryAfterS,
    });
  if (err instanceof TrubitRateLimitError) return unavailable(seconds(err.retryAfterMs));
  if (err instanceof TrubitUnavailableError) return unavailable(seconds(breakerResetMs));
  if (err instanceof TrubitAuthError) return unavailable(seconds(breakerResetMs));
  if (err instanceof TrubitBusinessError) {
    return new ApiError('UPSTREAM_REJECTED', `TruBit refused the request: ${err.msg || 'no reason given'}`, {
      trubitCode: err.code,
    });
  }
  // Server errors, timeouts, unreadable answers: transient.
  return unavailable(1);
}

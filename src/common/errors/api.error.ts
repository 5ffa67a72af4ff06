import { ERROR_STATUS, ErrorCode } from './error-codes';

export interface ErrorDetail {
  field: string;
  problem: string;
}

/**
 * A failure with a public error code. Services throw it; the exception filter turns it into
 * `{error, message, details?, requestId}` with the status from ERROR_STATUS and any extra headers.
 */
export class ApiError extends Error {
  readonly status: number;

  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: unknown,
    readonly headers?: Record<string, string | number>,
  ) {
    super(message);
    this.name = 'ApiError';
    this.status = ERROR_STATUS[code];
  }

  static notFound(what = 'Resource'): ApiError {
    return new ApiError('NOT_FOUND', `${what} not found`);
  }

  static validation(details: ErrorDetail[], message = 'Request validation failed'): ApiError {
    return new ApiError('VALIDATION_ERROR', message, details);
  }
}

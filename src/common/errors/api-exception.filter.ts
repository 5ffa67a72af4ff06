import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ApiError } from './api.error';
import { ERROR_STATUS, ErrorCode } from './error-codes';

/** Fastify's own error codes that mean "the client sent something wrong", mapped to our public codes. */
const FASTIFY_CODES: Record<string, ErrorCode> = {
  FST_ERR_CTP_BODY_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'UNSUPPORTED_MEDIA_TYPE',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'VALIDATION_ERROR',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'VALIDATION_ERROR',
  FST_ERR_CTP_INVALID_JSON_BODY: 'VALIDATION_ERROR',
};

const HTTP_STATUS_CODES: Record<number, ErrorCode> = {
  400: 'VALIDATION_ERROR',
  401: 'UNAUTHORIZED',
  404: 'NOT_FOUND',
  405: 'METHOD_NOT_ALLOWED',
  413: 'PAYLOAD_TOO_LARGE',
  415: 'UNSUPPORTED_MEDIA_TYPE',
  429: 'RATE_LIMITED',
};

/**
 * The single place errors become responses: every failure, ours or the framework's, leaves as
 * `{error, message, details?, requestId}`; anything unexpected is logged and answered as INTERNAL_ERROR
 * without a stack trace.
 */
@Catch()
export class ApiExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('Errors');

  catch(exception: unknown, host: ArgumentsHost): void {
    const ctx = host.switchToHttp();
    const reply = ctx.getResponse<FastifyReply>();
    const request = ctx.getRequest<FastifyRequest>();
    const error = this.toApiError(exception, request);
    if (error.status >= 500 && error.code === 'INTERNAL_ERROR') {
      this.logger.error({ err: exception, requestId: request?.id, url: request?.url }, 'unhandled error');
    }
    for (const [name, value] of Object.entries(error.headers ?? {})) reply.header(name, value);
    const body: Record<string, unknown> = { error: error.code, message: error.message };
    if (error.details !== undefined) body.details = error.details;
    if (request?.id) body.requestId = request.id;
    void reply.status(error.status).type('application/json; charset=utf-8').send(body);
  }

  private toApiError(exception: unknown, request: FastifyRequest | undefined): ApiError {
    if (exception instanceof ApiError) return exception;
    const fastifyCode = (exception as { code?: string })?.code;
    if (fastifyCode && FASTIFY_CODES[fastifyCode]) {
      const code = FASTIFY_CODES[fastifyCode];
      const message =
        code === 'PAYLOAD_TOO_LARGE'
          ? 'Request body is larger than the allowed maximum'
          : code === 'UNSUPPORTED_MEDIA_TYPE'
            ? 'Content-Type must be application/json'
            : 'Request body is not valid JSON';
      return new ApiError(code, message);
    }
    if (
      exception instanceof SyntaxError ||
      (exception as { type?: string })?.type === 'entity.parse.failed'
    ) {
      return new ApiError('VALIDATION_ERROR', 'Request body is not valid JSON');
    }
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const code = HTTP_STATUS_CODES[status];
      if (code) {
        const message =
          code === 'NOT_FOUND'
            ? `Route ${request?.method ?? ''} ${request?.url?.split('?')[0] ?? ''} not found`.trim()
            : exception.message;
        return new ApiError(code, message);
      }
      if (status < 500) return new ApiError('VALIDATION_ERROR', exception.message);
    }
    const statusCode = (exception as { statusCode?: number })?.statusCode;
    if (typeof statusCode === 'number' && statusCode >= 400 && statusCode < 500) {
      return new ApiError(HTTP_STATUS_CODES[statusCode] ?? 'VALIDATION_ERROR', (exception as Error).message);
    }
    const internal = new ApiError(
      'INTERNAL_ERROR',
      'Internal error; quote the requestId when contacting support',
    );
    return internal;
  }
}

export { ERROR_STATUS };

import { CallHandler, ExecutionContext, Injectable, Logger, NestInterceptor } from '@nestjs/common';
import { HTTP_CODE_METADATA } from '@nestjs/common/constants';
import { Reflector } from '@nestjs/core';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { catchError, from, mergeMap, Observable, of, throwError } from 'rxjs';
import { ApiError } from '@app/common/errors/api.error';
import { ERROR_STATUS, ErrorCode } from '@app/common/errors/error-codes';
import { Clock } from '@app/infra/clock/clock';
import { IdempotencyStore } from './idempotency.store';
import { requestFingerprint } from './request-fingerprint';

export const IDEMPOTENCY_HEADER = 'idempotency-key';
export const REPLAYED_HEADER = 'Idempotent-Replayed';
export const IDEMPOTENCY_TTL_MS = 24 * 60 * 60 * 1000;
/** An IN_PROGRESS claim older than this belongs to a request that died with its process. */
export const IDEMPOTENCY_STALE_MS = 60_000;

/** 4xx answers that say "not now" rather than "no": never stored, so a retry with the key runs again. */
const NOT_FINAL: ReadonlySet<ErrorCode> = new Set<ErrorCode>(['RATE_LIMITED', 'IDEMPOTENCY_IN_PROGRESS']);

/** 1–255 printable ASCII characters (RFC draft: a client-chosen opaque string). */
export function parseIdempotencyKey(raw: string | string[]): string {
  const value = Array.isArray(raw) ? null : raw;
  if (value === null || !/^[\x20-\x7e]{1,255}$/.test(value) || !value.trim()) {
    throw ApiError.validation(
      [{ field: 'Idempotency-Key', problem: 'must be 1 to 255 printable ASCII characters, sent once' }],
      'Idempotency-Key must be 1 to 255 printable ASCII characters',
    );
  }
  return value;
}

/**
 * `Idempotency-Key` for partner POSTs (apply with @Idempotent()). Per partner and key, the first request runs;
 * its 2xx or final 4xx answer is stored for 24 h and replayed to the same request (`Idempotent-Replayed:
 * true`); a different request under the key gets 422 IDEMPOTENCY_KEY_REUSED, and one arriving while the first
 * still runs gets 409 IDEMPOTENCY_IN_PROGRESS with `Retry-After: 1`. A 5xx (or anything unexpected) releases
 * the key so a retry can run. Must sit behind PartnerAuthGuard (guards run before interceptors).
 */
@Injectable()
export class IdempotencyInterceptor implements NestInterceptor {
  private readonly logger = new Logger('Idempotency');

  constructor(
    private readonly store: IdempotencyStore,
    private readonly reflector: Reflector,
    private readonly clock: Clock,
  ) {}

  async intercept(context: ExecutionContext, next: CallHandler): Promise<Observable<unknown>> {
    const http = context.switchToHttp();
    const request = http.getRequest<FastifyRequest>();
    const raw = request.headers[IDEMPOTENCY_HEADER];
    if (raw === undefined) return next.handle();
    const key = parseIdempotencyKey(raw);
    const partnerId = request.partner?.id;
    if (!partnerId) throw new Error('@Idempotent() route without PartnerAuthGuard');

    const hash = requestFingerprint(request.method, request.url, request.body);
    const now = this.clock.now();
    const begun = await this.store.begin(partnerId, key, hash, {
      now,
      expiresAt: new Date(now.getTime() + IDEMPOTENCY_TTL_MS),
      staleBefore: new Date(now.getTime() - IDEMPOTENCY_STALE_MS),
    });
    switch (begun.kind) {
      case 'mismatch':
        throw new ApiError(
          'IDEMPOTENCY_KEY_REUSED',
          'This Idempotency-Key was already used with a different request',
        );
      case 'in_progress':
        throw new ApiError(
          'IDEMPOTENCY_IN_PROGRESS',
          'A request with this Idempotency-Key is still being processed',
          undefined,
          { 'Retry-After': 1 },
        );
      case 'replay':
        return this.replay(http.getResponse<FastifyReply>(), begun.status, begun.body);
      case 'started':
        break;
    }

    const successStatus =
      this.reflector.get<number | undefined>(HTTP_CODE_METADATA, context.getHandler()) ??
      (request.method === 'POST' ? 201 : 200);
    return next.handle().pipe(
      mergeMap((body: unknown) =>
        from(this.finish(() => this.store.complete(partnerId, key, hash, successStatus, toJson(body)))).pipe(
          mergeMap(() => of(body)),
        ),
      ),
      catchError((err: unknown) => {
        const stored = storableError(err);
        const done = stored
          ? this.store.complete(partnerId, key, hash, stored.status, stored.body)
          : this.store.release(partnerId, key, hash);
        return from(this.finish(() => done)).pipe(mergeMap(() => throwError(() => err)));
      }),
    );
  }

  /** The stored answer again. Success statuses are static per route, so Nest's own status matches. */
  private replay(reply: FastifyReply, status: number, body: unknown): Observable<unknown> {
    if (status >= 400) {
      const e = (body ?? {}) as { error?: string; message?: string; details?: unknown };
      const code = (e.error && e.error in ERROR_STATUS ? e.error : 'VALIDATION_ERROR') as ErrorCode;
      return throwError(
        () => new ApiError(code, e.message ?? 'Replayed error', e.details, { [REPLAYED_HEADER]: 'true' }),
      );
    }
    void reply.header(REPLAYED_HEADER, 'true');
    return of(body);
  }

  /** Bookkeeping failures are logged, never turned into a failure of a request that already happened. */
  private async finish(op: () => Promise<void>): Promise<void> {
    try {
      await op();
    } catch (err) {
      this.logger.error({ err }, 'idempotency record update failed');
    }
  }
}

function toJson(body: unknown): unknown {
  return body === undefined ? null : (JSON.parse(JSON.stringify(body)) as unknown);
}

/** The envelope of a final 4xx (what the exception filter will render, minus the per-request requestId). */
export function storableError(err: unknown): { status: number; body: Record<string, unknown> } | null {
  if (!(err instanceof ApiError) || err.status >= 500 || NOT_FINAL.has(err.code)) return null;
  const body: Record<string, unknown> = { error: err.code, message: err.message };
  if (err.details !== undefined) body.details = toJson(err.details);
  return { status: err.status, body };
}

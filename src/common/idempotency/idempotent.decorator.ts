import { applyDecorators, UseInterceptors } from '@nestjs/common';
import { ApiHeader } from '@nestjs/swagger';
import { IdempotencyInterceptor } from './idempotency.interceptor';

/**
 * Makes a partner route honour `Idempotency-Key` (see IdempotencyInterceptor). The module of the controller
 * must import IdempotencyModule.
 */
export function Idempotent(): MethodDecorator & ClassDecorator {
  return applyDecorators(
    UseInterceptors(IdempotencyInterceptor),
    ApiHeader({
      name: 'Idempotency-Key',
      required: false,
      description:
        'Up to 255 printable characters, scoped to your partner account and kept 24 h. Repeating a request with ' +
        'the same key returns the stored response with `Idempotent-Replayed: true`; a different request with ' +
        'the key gets 422 IDEMPOTENCY_KEY_REUSED; while the first is still running, 409 IDEMPOTENCY_IN_PROGRESS.',
    }),
  );
}

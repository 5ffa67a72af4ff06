import { Module } from '@nestjs/common';
import { Clock } from '@app/infra/clock/clock';
import { IdempotencyInterceptor } from './idempotency.interceptor';
import { IdempotencyStore } from './idempotency.store';

/** Import where a controller uses @Idempotent(); the worker imports it for the purge of expired records. */
@Module({
  providers: [IdempotencyStore, IdempotencyInterceptor, Clock],
  exports: [IdempotencyStore, IdempotencyInterceptor, Clock],
})
export class IdempotencyModule {}

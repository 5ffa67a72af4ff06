import { Module } from '@nestjs/common';
import { RetentionMetrics } from './retention.metrics';
import { RetentionRepository } from './retention.repository';
import { RetentionSweeper } from './retention.sweeper';

/** Deletes relayed outbox events and foreign TruBit callbacks past their retention (worker process). */
@Module({
  providers: [RetentionRepository, RetentionMetrics, RetentionSweeper],
  exports: [RetentionSweeper],
})
export class RetentionWorkerModule {}

import { Module } from '@nestjs/common';
import { AdminModule } from '@app/modules/admin/admin.module';
import { BullBoardMount } from './bull-board.mount';
import { QueueDepthMetrics } from './queue-depth.metrics';
import { QueueRegistry } from './queue-registry';

/** Operators' view of the queues: Bull Board UI at /admin/queues and queue depth on /metrics (API process). */
@Module({
  imports: [AdminModule],
  providers: [QueueRegistry, BullBoardMount, QueueDepthMetrics],
})
export class AdminQueuesModule {}

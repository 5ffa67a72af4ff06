import { Module } from '@nestjs/common';
import { OrderTransitionService } from '@app/modules/orders/transitions/order-transition.service';
import { OutboxNudge } from '@app/modules/outbox/outbox.nudge';
import { CallbackApplier } from './callback-applier.service';
import { CallbackInboxRepository } from './callback-inbox.repository';
import { CallbackJobs } from './callback.jobs';
import { CallbackSweeper } from './callback.sweeper';
import { TrubitCallbackProcessor } from './trubit-callback.processor';

/** Applies stored TruBit callbacks through the state machine. */
@Module({
  providers: [
    OrderTransitionService,
    OutboxNudge,
    CallbackApplier,
    CallbackInboxRepository,
    CallbackJobs,
    CallbackSweeper,
    TrubitCallbackProcessor,
  ],
  exports: [CallbackSweeper],
})
export class CallbacksWorkerModule {}

import { Module } from '@nestjs/common';
import { OrderTransitionService } from '@app/modules/orders/transitions/order-transition.service';
import { OutboxNudge } from '@app/modules/outbox/outbox.nudge';
import { CallbackApplier } from './callback-applier.service';
import { CallbackInboxRepository } from './callback-inbox.repository';
import { WaitingCallbacks } from './waiting-callbacks.service';

/**
 * Applying stored callbacks, for the callback worker and for the code that records a TruBit order id on an order
 * (submission, reconciliation), which applies the callbacks that were waiting for it.
 */
@Module({
  providers: [
    OrderTransitionService,
    OutboxNudge,
    CallbackInboxRepository,
    CallbackApplier,
    WaitingCallbacks,
  ],
  exports: [CallbackInboxRepository, CallbackApplier, WaitingCallbacks],
})
export class CallbacksCoreModule {}

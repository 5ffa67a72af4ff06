import { Module } from '@nestjs/common';
import { OrderTransitionService } from '@app/modules/orders/transitions/order-transition.service';

/** Applies stored TruBit callbacks through the state machine. */
@Module({ providers: [OrderTransitionService] })
export class CallbacksWorkerModule {}

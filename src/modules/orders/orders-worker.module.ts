import { Module } from '@nestjs/common';
import { OrderTransitionService } from './transitions/order-transition.service';

/** Worker side of orders: submission to TruBit and the funding watcher. */
@Module({ providers: [OrderTransitionService], exports: [OrderTransitionService] })
export class OrdersWorkerModule {}

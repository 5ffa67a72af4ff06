import { Module } from '@nestjs/common';
import { OrderTransitionService } from '@app/modules/orders/transitions/order-transition.service';

/** Repeatable reconciliation against TruBit: orders, unknown submissions, merchant KYC, expiries. */
@Module({ providers: [OrderTransitionService] })
export class ReconciliationWorkerModule {}

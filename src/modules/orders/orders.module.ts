import { Module } from '@nestjs/common';
import { PartnersModule } from '@app/modules/partners/partners.module';
import { OrderTransitionService } from './transitions/order-transition.service';

/** Partner order API: POST/GET /orders, GET /orders/:id, cancel; admin order views. */
@Module({ imports: [PartnersModule], providers: [OrderTransitionService], exports: [OrderTransitionService] })
export class OrdersModule {}

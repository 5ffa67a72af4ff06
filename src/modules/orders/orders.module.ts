import { Module } from '@nestjs/common';
import { IdempotencyModule } from '@app/common/idempotency/idempotency.module';
import { Clock } from '@app/infra/clock/clock';
import { AdminModule } from '@app/modules/admin/admin.module';
import { OutboxNudge } from '@app/modules/outbox/outbox.nudge';
import { FundingCoreModule } from '@app/modules/funding/funding-core.module';
import { PartnersModule } from '@app/modules/partners/partners.module';
import { AdminOrdersController } from './controllers/admin-orders.controller';
import { OrdersController } from './controllers/orders.controller';
import { OrderCreationRepository } from './repositories/order-creation.repository';
import { OrdersRepository } from './repositories/orders.repository';
import { OrderCancelService } from './services/order-cancel.service';
import { OrderCreationService } from './services/order-creation.service';
import { OrdersQueryService } from './services/orders-query.service';
import { SubmissionQueue } from './submission/submission.queue';
import { OrderTransitionService } from './transitions/order-transition.service';

/** Partner order API: POST/GET /orders, GET /orders/:id, cancel; admin order views. */
@Module({
  imports: [PartnersModule, AdminModule, IdempotencyModule, FundingCoreModule],
  controllers: [OrdersController, AdminOrdersController],
  providers: [
    OrderTransitionService,
    OrderCreationRepository,
    OrdersRepository,
    OrderCreationService,
    OrdersQueryService,
    OrderCancelService,
    SubmissionQueue,
    OutboxNudge,
    Clock,
  ],
  exports: [OrderTransitionService],
})
export class OrdersModule {}

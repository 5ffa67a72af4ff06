import { Module } from '@nestjs/common';
import { AdminModule } from '@app/modules/admin/admin.module';
import { PartnersModule } from '@app/modules/partners/partners.module';
import { AdminWebhooksController } from './admin/admin-webhooks.controller';
import { DeliveryScheduler } from './delivery/delivery.scheduler';
import { WebhookEndpointController } from './partner/webhook-endpoint.controller';
import { WebhooksController } from './partner/webhooks.controller';
import { WebhookDeliveriesRepository } from './webhook-deliveries.repository';
import { WebhookEndpointRepository } from './webhook-endpoint.repository';
import { WebhookEndpointService } from './webhook-endpoint.service';
import { WebhookLogService } from './webhook-log.service';

/** Partner webhook endpoints (log, retry, recover, endpoint URL, secret rotation) and admin dead letters. */
@Module({
  imports: [PartnersModule, AdminModule],
  controllers: [WebhooksController, WebhookEndpointController, AdminWebhooksController],
  providers: [
    WebhookLogService,
    WebhookEndpointService,
    WebhookDeliveriesRepository,
    WebhookEndpointRepository,
    DeliveryScheduler,
  ],
})
export class WebhooksModule {}

import { Module } from '@nestjs/common';
import { SecretBox } from '@app/infra/crypto/secret-box.service';
import { OutboxRelay } from '@app/modules/outbox/outbox.relay';
import { OutboxRelayRunner } from '@app/modules/outbox/outbox-relay.runner';
import { DeliveryAttemptService } from './delivery/delivery-attempt.service';
import { DeliveryExchange } from './delivery/delivery.exchange';
import { DeliveryAttemptsRepository } from './delivery/delivery-attempts.repository';
import { DeliveryScheduler } from './delivery/delivery.scheduler';
import { DeliverySweeper } from './delivery/delivery.sweeper';
import { DirectDeliveryService } from './delivery/direct-delivery.service';
import { PartnerDeliverySlots } from './delivery/partner-delivery.slots';
import { WebhookDeliveryProcessor } from './delivery/webhook-delivery.processor';
import { WebhookSender } from './delivery/webhook.sender';

/** Outbox relay and signed webhook delivery (worker process). */
@Module({
  providers: [
    OutboxRelay,
    OutboxRelayRunner,
    DeliveryScheduler,
    DeliveryAttemptsRepository,
    DeliveryAttemptService,
    DeliveryExchange,
    DeliverySweeper,
    DirectDeliveryService,
    PartnerDeliverySlots,
    WebhookSender,
    WebhookDeliveryProcessor,
    SecretBox,
  ],
  exports: [OutboxRelay, DeliverySweeper],
})
export class WebhooksWorkerModule {}

import { Module } from '@nestjs/common';
import { PartnersModule } from '@app/modules/partners/partners.module';

/** Partner webhook endpoints (log, retry, recover, endpoint URL, secret rotation) and admin dead letters. */
@Module({ imports: [PartnersModule] })
export class WebhooksModule {}

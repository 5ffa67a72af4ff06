import { DynamicModule, Module } from '@nestjs/common';
import { AppConfig } from './config/app-config';
import { ConfigModule } from './config/config.module';
import { PrismaModule } from './infra/prisma/prisma.module';
import { RedisModule } from './infra/redis/redis.module';
import { AdminModule } from './modules/admin/admin.module';
import { HealthModule } from './modules/health/health.module';
import { MetricsModule } from './modules/metrics/metrics.module';
import { PartnersModule } from './modules/partners/partners.module';
import { QueueModule } from './infra/queue/queue.module';
import { TrubitGatewayModule } from './modules/trubit/trubit-gateway.module';
import { UsersModule } from './modules/users/users.module';
import { KycModule } from './modules/kyc/kyc.module';
import { ExchangeRateModule } from './modules/exchange-rate/exchange-rate.module';
import { QuotesModule } from './modules/quotes/quotes.module';
import { OrdersModule } from './modules/orders/orders.module';
import { FundingModule } from './modules/funding/funding.module';
import { CallbacksModule } from './modules/callbacks/callbacks.module';
import { WebhooksModule } from './modules/webhooks/webhooks.module';
import { ReconciliationModule } from './modules/reconciliation/reconciliation.module';
import { AdminQueuesModule } from './modules/admin/queues/admin-queues.module';

/** The API process: partner, admin and callback HTTP. */
@Module({})
export class AppModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(config),
        PrismaModule,
        RedisModule,
        MetricsModule,
        PartnersModule,
        AdminModule,
        HealthModule,
        QueueModule,
        TrubitGatewayModule,
        UsersModule,
        KycModule,
        ExchangeRateModule,
        QuotesModule,
        OrdersModule,
        FundingModule,
        CallbacksModule,
        WebhooksModule,
        ReconciliationModule,
        AdminQueuesModule,
      ],
    };
  }
}

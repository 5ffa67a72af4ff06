import { DynamicModule, Module } from '@nestjs/common';
import { AppConfig } from './config/app-config';
import { ConfigModule } from './config/config.module';
import { PrismaModule } from './infra/prisma/prisma.module';
import { RedisModule } from './infra/redis/redis.module';
import { MetricsModule } from './modules/metrics/metrics.module';
import { WorkerMetricsModule } from './modules/metrics/worker-metrics.module';
import { QueueModule } from './infra/queue/queue.module';
import { TrubitGatewayModule } from './modules/trubit/trubit-gateway.module';
import { OrdersWorkerModule } from './modules/orders/orders-worker.module';
import { CallbacksWorkerModule } from './modules/callbacks/callbacks-worker.module';
import { WebhooksWorkerModule } from './modules/webhooks/webhooks-worker.module';
import { ReconciliationWorkerModule } from './modules/reconciliation/reconciliation-worker.module';
import { KycWorkerModule } from './modules/kyc/kyc-worker.module';
import { RetentionWorkerModule } from './modules/retention/retention-worker.module';

/** The worker process: BullMQ processors (outbox relay, submission, webhooks, reconciliation, retention). */
@Module({})
export class WorkerModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: WorkerModule,
      imports: [
        ConfigModule.forRoot(config),
        PrismaModule,
        RedisModule,
        MetricsModule,
        WorkerMetricsModule,
        QueueModule,
        TrubitGatewayModule,
        OrdersWorkerModule,
        CallbacksWorkerModule,
        WebhooksWorkerModule,
        ReconciliationWorkerModule,
        KycWorkerModule,
        RetentionWorkerModule,
      ],
    };
  }
}

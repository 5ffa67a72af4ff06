import { DynamicModule, Module } from '@nestjs/common';
import { AppConfig } from './config/app-config';
import { ConfigModule } from './config/config.module';
import { PrismaModule } from './infra/prisma/prisma.module';
import { RedisModule } from './infra/redis/redis.module';
import { MetricsModule } from './modules/metrics/metrics.module';

/** The worker process: BullMQ processors (outbox relay, submission, webhooks, reconciliation). */
@Module({})
export class WorkerModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: WorkerModule,
      imports: [ConfigModule.forRoot(config), PrismaModule, RedisModule, MetricsModule],
    };
  }
}

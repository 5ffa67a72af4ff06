import { Global, Module } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '@app/config/app-config';
import { SecretBox } from '@app/infra/crypto/secret-box.service';
import { RedisService } from '@app/infra/redis/redis.service';
import { TrubitAccountResolver } from './trubit-account.resolver';
import { trubitOptionsFromConfig } from './trubit-config.mapper';
import { TrubitModule } from './trubit.module';

/** The TruBit client configured from AppConfig, sharing the process's Redis for the outbound budget. */
@Global()
@Module({
  imports: [
    TrubitModule.registerAsync({
      inject: [APP_CONFIG, RedisService],
      useFactory: (config: AppConfig, redis: RedisService) => ({
        options: trubitOptionsFromConfig(config, redis.prefix),
        redis: redis.client,
      }),
    }),
  ],
  providers: [TrubitAccountResolver, SecretBox],
  exports: [TrubitModule, TrubitAccountResolver],
})
export class TrubitGatewayModule {}

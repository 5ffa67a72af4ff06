import { Module } from '@nestjs/common';
import { Clock } from '@app/infra/clock/clock';
import { SecretBox } from '@app/infra/crypto/secret-box.service';
import { PartnerAuthGuard } from './auth/partner-auth.guard';
import { PartnerAuthService } from './auth/partner-auth.service';
import { ApiKeyIssuer } from './keys/api-key.issuer';
import { RedisRateLimiter } from './limits/redis-rate.limiter';
import { PartnersRepository } from './partners.repository';

@Module({
  providers: [
    PartnersRepository,
    PartnerAuthService,
    PartnerAuthGuard,
    RedisRateLimiter,
    ApiKeyIssuer,
    SecretBox,
    Clock,
  ],
  exports: [
    PartnersRepository,
    PartnerAuthService,
    PartnerAuthGuard,
    RedisRateLimiter,
    ApiKeyIssuer,
    SecretBox,
    Clock,
  ],
})
export class PartnersModule {}

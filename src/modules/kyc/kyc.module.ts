import { Module } from '@nestjs/common';
import { PartnersModule } from '@app/modules/partners/partners.module';
import { UsersModule } from '@app/modules/users/users.module';
import { KycController } from './kyc.controller';
import { KycSessionService } from './kyc-session.service';
import { KycStartLock } from './kyc-start.lock';
import { KycRepository } from './kyc.repository';
import { MerchantOpener } from './merchant.opener';

/** KYC for GATEWAY_MANAGED partners: POST /users/:ref/kyc (TruBit merchant per user). */
@Module({
  imports: [PartnersModule, UsersModule],
  controllers: [KycController],
  providers: [KycSessionService, KycRepository, MerchantOpener, KycStartLock],
})
export class KycModule {}

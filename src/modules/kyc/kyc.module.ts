import { Module } from '@nestjs/common';
import { PartnersModule } from '@app/modules/partners/partners.module';

/** KYC for GATEWAY_MANAGED partners: POST /users/:ref/kyc (TruBit merchant per user). */
@Module({ imports: [PartnersModule] })
export class KycModule {}

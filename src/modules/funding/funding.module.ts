import { Module } from '@nestjs/common';
import { PartnersModule } from '@app/modules/partners/partners.module';

/** The partner's TruBit account: GET /balances, GET /deposit-address. */
@Module({ imports: [PartnersModule] })
export class FundingModule {}

import { Module } from '@nestjs/common';
import { PartnersModule } from '@app/modules/partners/partners.module';
import { FundingController } from './controllers/funding.controller';
import { FundingCoreModule } from './funding-core.module';
import { BalancesService } from './services/balances.service';

/** The partner's TruBit account: GET /balances, GET /deposit-address. */
@Module({
  imports: [PartnersModule, FundingCoreModule],
  controllers: [FundingController],
  providers: [BalancesService],
})
export class FundingModule {}

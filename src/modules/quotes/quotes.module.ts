import { Module } from '@nestjs/common';
import { ExchangeRateModule } from '@app/modules/exchange-rate/exchange-rate.module';
import { PartnersModule } from '@app/modules/partners/partners.module';
import { QuotesController } from './quotes.controller';
import { QuotesRepository } from './quotes.repository';
import { QuotesService } from './quotes.service';

/** POST /quotes: decimal fee maths on TruBit's rate, 5-minute TTL. */
@Module({
  imports: [PartnersModule, ExchangeRateModule],
  controllers: [QuotesController],
  providers: [QuotesRepository, QuotesService],
})
export class QuotesModule {}

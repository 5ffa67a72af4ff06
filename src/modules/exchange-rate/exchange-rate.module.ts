import { Module } from '@nestjs/common';
import { PartnersModule } from '@app/modules/partners/partners.module';

/** GET /exchange-rate: TruBit sellRate, short cache, single flight. */
@Module({ imports: [PartnersModule] })
export class ExchangeRateModule {}

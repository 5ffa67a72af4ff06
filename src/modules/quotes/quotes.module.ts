import { Module } from '@nestjs/common';
import { PartnersModule } from '@app/modules/partners/partners.module';

/** POST /quotes: decimal fee maths on TruBit's rate, 5-minute TTL. */
@Module({ imports: [PartnersModule] })
export class QuotesModule {}

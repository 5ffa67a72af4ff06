import { Module } from '@nestjs/common';
import { PartnersModule } from '@app/modules/partners/partners.module';
import { HealthController } from './health.controller';
import { ReadinessService } from './readiness.service';

@Module({ imports: [PartnersModule], controllers: [HealthController], providers: [ReadinessService] })
export class HealthModule {}

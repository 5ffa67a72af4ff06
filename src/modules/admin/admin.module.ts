import { Module } from '@nestjs/common';
import { PartnersModule } from '@app/modules/partners/partners.module';
import { AdminAuthGuard } from './admin-auth.guard';
import { AdminPartnersController } from './partners/admin-partners.controller';
import { AdminPartnersService } from './partners/admin-partners.service';

@Module({
  imports: [PartnersModule],
  controllers: [AdminPartnersController],
  providers: [AdminAuthGuard, AdminPartnersService],
  exports: [AdminAuthGuard],
})
export class AdminModule {}

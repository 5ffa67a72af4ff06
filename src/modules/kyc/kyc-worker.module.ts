import { Module } from '@nestjs/common';
import { Clock } from '@app/infra/clock/clock';
import { UserViews } from '@app/modules/users/user-views.service';
import { UsersRepository } from '@app/modules/users/users.repository';
import { KycRepository } from './kyc.repository';
import { KycSyncProcessor } from './sync/kyc-sync.processor';
import { KycSyncScheduler } from './sync/kyc-sync.scheduler';
import { KycSyncService } from './sync/kyc-sync.service';

/** Worker side of KYC: polls TruBit merchants (mc/list) and applies approvals / rejections. */
@Module({
  providers: [
    KycSyncService,
    KycSyncProcessor,
    KycSyncScheduler,
    KycRepository,
    UsersRepository,
    UserViews,
    Clock,
  ],
})
export class KycWorkerModule {}

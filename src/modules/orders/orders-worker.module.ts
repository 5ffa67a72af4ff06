import { Module } from '@nestjs/common';
import { IdempotencyModule } from '@app/common/idempotency/idempotency.module';
import { Clock } from '@app/infra/clock/clock';
import { CallbacksCoreModule } from '@app/modules/callbacks/callbacks-core.module';
import { FundingCoreModule } from '@app/modules/funding/funding-core.module';
import { OutboxNudge } from '@app/modules/outbox/outbox.nudge';
import { MerchantProvisioner } from './submission/merchant.provisioner';
import { OrderSubmissionProcessor } from './submission/order-submission.processor';
import { OrderSubmitter } from './submission/order-submitter.service';
import { PayoutMethodProvisioner } from './submission/payout-method.provisioner';
import { SubmissionAdmission } from './submission/submission.admission';
import { SubmissionQueue } from './submission/submission.queue';
import { SubmissionRepository } from './submission/submission.repository';
import { OrderTransitionService } from './transitions/order-transition.service';
import { FundingWatchProcessor } from './watcher/funding-watch.processor';
import { FundingWatchRepository } from './watcher/funding-watch.repository';
import { FundingWatchScheduler } from './watcher/funding-watch.scheduler';
import { FundingWatcher } from './watcher/funding-watcher.service';

/** Worker side of orders: submission to TruBit and the funding watcher. */
@Module({
  imports: [FundingCoreModule, IdempotencyModule, CallbacksCoreModule],
  providers: [
    OrderTransitionService,
    SubmissionRepository,
    MerchantProvisioner,
    PayoutMethodProvisioner,
    OrderSubmitter,
    OrderSubmissionProcessor,
    SubmissionAdmission,
    SubmissionQueue,
    FundingWatchRepository,
    FundingWatcher,
    FundingWatchScheduler,
    FundingWatchProcessor,
    Clock,
    OutboxNudge,
  ],
  exports: [OrderTransitionService, SubmissionQueue, FundingWatcher],
})
export class OrdersWorkerModule {}

import { Module } from '@nestjs/common';
import { CallbacksCoreModule } from '@app/modules/callbacks/callbacks-core.module';
import { AdminModule } from '@app/modules/admin/admin.module';
import { FundingCoreModule } from '@app/modules/funding/funding-core.module';
import { SubmissionAdmission } from '@app/modules/orders/submission/submission.admission';
import { SubmissionQueue } from '@app/modules/orders/submission/submission.queue';
import { OrderTransitionService } from '@app/modules/orders/transitions/order-transition.service';
import { AdminReconcileController } from './admin/admin-reconcile.controller';
import { OrderReconcileService } from './admin/order-reconcile.service';
import { UpstreamStatusService } from './admin/upstream-status.service';
import { ReconciliationMetrics } from './reconciliation.metrics';
import { ReconciliationRepository } from './reconciliation.repository';
import { OrderAnomalies } from './sync/order-anomalies';
import { OrderStatusSyncer } from './sync/order-status.syncer';
import { TrubitAccountGroups } from './trubit-account.groups';
import { UnknownSubmissionResolver } from './unknown/unknown-submission.resolver';

/** API side of reconciliation: POST /admin/v1/orders/:id/reconcile (inline), GET /admin/v1/upstream. */
@Module({
  imports: [AdminModule, CallbacksCoreModule, FundingCoreModule],
  controllers: [AdminReconcileController],
  providers: [
    OrderTransitionService,
    SubmissionQueue,
    SubmissionAdmission,
    ReconciliationRepository,
    ReconciliationMetrics,
    TrubitAccountGroups,
    UnknownSubmissionResolver,
    OrderAnomalies,
    OrderStatusSyncer,
    OrderReconcileService,
    UpstreamStatusService,
  ],
})
export class ReconciliationModule {}

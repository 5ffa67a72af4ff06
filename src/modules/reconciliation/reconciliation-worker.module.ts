import { Module } from '@nestjs/common';
import { CallbacksCoreModule } from '@app/modules/callbacks/callbacks-core.module';
import { SubmissionQueue } from '@app/modules/orders/submission/submission.queue';
import { OrderTransitionService } from '@app/modules/orders/transitions/order-transition.service';
import { ReconciliationLock } from './reconciliation.lock';
import { ReconciliationMetrics } from './reconciliation.metrics';
import { ReconciliationPassService } from './reconciliation-pass.service';
import { ReconciliationProcessor } from './reconciliation.processor';
import { ReconciliationRepository } from './reconciliation.repository';
import { ReconciliationScheduler } from './reconciliation.scheduler';
import { OrderAnomalies } from './sync/order-anomalies';
import { OrderStatusSyncer } from './sync/order-status.syncer';
import { TrubitAccountGroups } from './trubit-account.groups';
import { UnknownSubmissionResolver } from './unknown/unknown-submission.resolver';

/**
 * Repeatable reconciliation against TruBit: resolves unknown submissions and syncs order statuses, so
 * missed callbacks do not matter. (Merchant KYC polling and unfunded-order expiry live with KYC and funding.)
 */
@Module({
  imports: [CallbacksCoreModule],
  providers: [
    OrderTransitionService,
    SubmissionQueue,
    ReconciliationRepository,
    ReconciliationMetrics,
    ReconciliationLock,
    TrubitAccountGroups,
    UnknownSubmissionResolver,
    OrderAnomalies,
    OrderStatusSyncer,
    ReconciliationPassService,
    ReconciliationProcessor,
    ReconciliationScheduler,
  ],
})
export class ReconciliationWorkerModule {}

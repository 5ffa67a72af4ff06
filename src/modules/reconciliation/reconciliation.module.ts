import { Module } from '@nestjs/common';

/** API side of reconciliation: POST /admin/v1/orders/:id/reconcile, GET /admin/v1/upstream. */
@Module({})
export class ReconciliationModule {}

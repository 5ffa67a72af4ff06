import { Controller, Get, HttpCode, Param, Post, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { AdminAuthGuard } from '@app/modules/admin/admin-auth.guard';
import { OrderReconcileService } from './order-reconcile.service';
import { UpstreamStatusService } from './upstream-status.service';

@ApiTags('admin')
@ApiBearerAuth('admin')
@UseGuards(AdminAuthGuard)
@Controller('admin/v1')
export class AdminReconcileController {
  constructor(
    private readonly orders: OrderReconcileService,
    private readonly upstream: UpstreamStatusService,
  ) {}

  /** Reconcile one order against TruBit now; answers with the order's state afterwards. */
  @Post('orders/:id/reconcile')
  @HttpCode(200)
  reconcile(@Param('id') id: string) {
    return this.orders.reconcile(id);
  }

  /** Circuit breaker state and counters, upstream error rate, outbound TruBit budgets. */
  @Get('upstream')
  status() {
    return this.upstream.status();
  }
}

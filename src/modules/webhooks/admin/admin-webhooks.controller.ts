import { Controller, Get, HttpCode, Param, Post, Query, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { AdminAuthGuard } from '@app/modules/admin/admin-auth.guard';
import { AdminListWebhooksQuery } from '../inputs/admin-list-webhooks.query';
import { DeliveryIdParams } from '../inputs/delivery-id.params';
import { WebhookLogService } from '../webhook-log.service';

@ApiTags('admin')
@ApiBearerAuth('admin')
@UseGuards(AdminAuthGuard)
@Controller('admin/v1/webhooks')
export class AdminWebhooksController {
  constructor(private readonly log: WebhookLogService) {}

  /** Every partner's deliveries; `?status=FAILED` is the dead-letter list. */
  @Get()
  list(@Query() query: AdminListWebhooksQuery) {
    return this.log.listAll(query);
  }

  @Post(':id/retry')
  @HttpCode(202)
  retry(@Param() params: DeliveryIdParams) {
    return this.log.adminRetry(params.id);
  }
}

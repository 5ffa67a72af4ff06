import { Controller, Get, Param, Query, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { AdminAuthGuard } from '@app/modules/admin/admin-auth.guard';
import { AdminListOrdersQuery } from '../inputs/admin-list-orders.query';
import { AdminOrderDetailOutput, AdminOrderListOutput } from '../outputs/order.outputs';
import { OrdersQueryService } from '../services/orders-query.service';

@ApiTags('admin')
@ApiBearerAuth('admin')
@UseGuards(AdminAuthGuard)
@Controller('admin/v1/orders')
export class AdminOrdersController {
  constructor(private readonly queries: OrdersQueryService) {}

  @Get()
  @ApiOkResponse({ type: AdminOrderListOutput, description: 'All partners, newest first' })
  list(@Query() query: AdminListOrdersQuery): Promise<AdminOrderListOutput> {
    return this.queries.adminList(query);
  }

  @Get(':id')
  @ApiOkResponse({ type: AdminOrderDetailOutput })
  get(@Param('id') id: string): Promise<AdminOrderDetailOutput> {
    return this.queries.adminGet(id) as Promise<AdminOrderDetailOutput>;
  }
}

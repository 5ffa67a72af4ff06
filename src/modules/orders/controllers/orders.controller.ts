import { Body, Controller, Get, HttpCode, Param, Post, Query, UseGuards } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { Idempotent } from '@app/common/idempotency/idempotent.decorator';
import { CurrentPartner, PartnerAuthGuard } from '@app/modules/partners/auth/partner-auth.guard';
import { PartnerContext } from '@app/modules/partners/auth/partner-context';
import { CreateOrderInput } from '../inputs/create-order.input';
import { ListOrdersQuery } from '../inputs/list-orders.query';
import {
  CreatedOrderOutput,
  OrderDetailOutput,
  OrderListOutput,
  OrderOutput,
} from '../outputs/order.outputs';
import { OrderCancelService } from '../services/order-cancel.service';
import { OrderCreationService } from '../services/order-creation.service';
import { OrdersQueryService } from '../services/orders-query.service';

@ApiTags('partner')
@ApiSecurity('apiKey')
@UseGuards(PartnerAuthGuard)
@Controller('api/v1/orders')
export class OrdersController {
  constructor(
    private readonly creation: OrderCreationService,
    private readonly queries: OrdersQueryService,
    private readonly cancellation: OrderCancelService,
  ) {}

  @Post()
  @Idempotent()
  @ApiCreatedResponse({ type: CreatedOrderOutput })
  create(
    @CurrentPartner() partner: PartnerContext,
    @Body() input: CreateOrderInput,
  ): Promise<CreatedOrderOutput> {
    return this.creation.create(partner, input);
  }

  @Get()
  @ApiOkResponse({ type: OrderListOutput, description: 'Newest first' })
  list(@CurrentPartner() partner: PartnerContext, @Query() query: ListOrdersQuery): Promise<OrderListOutput> {
    return this.queries.list(partner.id, query);
  }

  @Get(':id')
  @ApiOkResponse({ type: OrderDetailOutput })
  get(@CurrentPartner() partner: PartnerContext, @Param('id') id: string): Promise<OrderDetailOutput> {
    return this.queries.get(partner.id, id) as Promise<OrderDetailOutput>;
  }

  @Post(':id/cancel')
  @HttpCode(200)
  @ApiOkResponse({ type: OrderOutput })
  cancel(@CurrentPartner() partner: PartnerContext, @Param('id') id: string): Promise<OrderOutput> {
    return this.cancellation.cancel(partner.id, id);
  }
}

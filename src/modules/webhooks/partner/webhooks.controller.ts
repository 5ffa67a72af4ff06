import { Body, Controller, Get, HttpCode, Param, Post, Query, UseGuards } from '@nestjs/common';
import { ApiAcceptedResponse, ApiOkResponse, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { CurrentPartner, PartnerAuthGuard } from '@app/modules/partners/auth/partner-auth.guard';
import type { PartnerContext } from '@app/modules/partners/auth/partner-context';
import { DeliveryIdParams } from '../inputs/delivery-id.params';
import { ListWebhooksQuery } from '../inputs/list-webhooks.query';
import { RecoverWebhooksInput } from '../inputs/recover-webhooks.input';
import { RecoverWebhooksOutput } from '../outputs/webhook-endpoint.view';
import { WebhookDeliveryListOutput, WebhookDeliveryOutput } from '../outputs/webhook-delivery.view';
import { WebhookLogService } from '../webhook-log.service';

@ApiTags('partner')
@ApiSecurity('apiKey')
@UseGuards(PartnerAuthGuard)
@Controller('api/v1/webhooks')
export class WebhooksController {
  constructor(private readonly log: WebhookLogService) {}

  @Get()
  @ApiOkResponse({ type: WebhookDeliveryListOutput })
  list(@CurrentPartner() partner: PartnerContext, @Query() query: ListWebhooksQuery) {
    return this.log.list(partner.id, query);
  }

  @Post('recover')
  @HttpCode(202)
  @ApiAcceptedResponse({
    type: RecoverWebhooksOutput,
    description: 'Every FAILED delivery in the window is re-sent',
  })
  recover(@CurrentPartner() partner: PartnerContext, @Body() input: RecoverWebhooksInput) {
    return this.log.recover(partner.id, input);
  }

  @Post(':id/retry')
  @HttpCode(202)
  @ApiAcceptedResponse({
    type: WebhookDeliveryOutput,
    description: 'A new attempt series starts now. NOT_FOUND (404)',
  })
  retry(@CurrentPartner() partner: PartnerContext, @Param() params: DeliveryIdParams) {
    return this.log.retry(partner.id, params.id);
  }
}

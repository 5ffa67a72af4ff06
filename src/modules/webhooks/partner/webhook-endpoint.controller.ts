import { Body, Controller, Get, HttpCode, Post, Put, UseGuards } from '@nestjs/common';
import { ApiOkResponse, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { CurrentPartner, PartnerAuthGuard } from '@app/modules/partners/auth/partner-auth.guard';
import type { PartnerContext } from '@app/modules/partners/auth/partner-context';
import { SetWebhookEndpointInput } from '../inputs/set-webhook-endpoint.input';
import { RotatedWebhookSecretOutput, WebhookEndpointOutput } from '../outputs/webhook-endpoint.view';
import { WebhookEndpointService } from '../webhook-endpoint.service';

@ApiTags('partner')
@ApiSecurity('apiKey')
@UseGuards(PartnerAuthGuard)
@Controller('api/v1/webhook-endpoint')
export class WebhookEndpointController {
  constructor(private readonly endpoints: WebhookEndpointService) {}

  @Get()
  @ApiOkResponse({ type: WebhookEndpointOutput })
  get(@CurrentPartner() partner: PartnerContext) {
    return this.endpoints.get(partner.id);
  }

  @Put()
  @ApiOkResponse({
    type: WebhookEndpointOutput,
    description: 'VALIDATION_ERROR for non-https or private targets',
  })
  set(@CurrentPartner() partner: PartnerContext, @Body() input: SetWebhookEndpointInput) {
    return this.endpoints.set(partner.id, input.url);
  }

  @Post('rotate-secret')
  @HttpCode(200)
  @ApiOkResponse({ type: RotatedWebhookSecretOutput, description: 'The new secret, shown once' })
  rotate(@CurrentPartner() partner: PartnerContext) {
    return this.endpoints.rotateSecret(partner.id);
  }
}

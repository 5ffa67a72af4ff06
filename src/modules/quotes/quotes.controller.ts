import { Body, Controller, HttpCode, Post, UseGuards } from '@nestjs/common';
import { ApiCreatedResponse, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { CurrentPartner, PartnerAuthGuard } from '@app/modules/partners/auth/partner-auth.guard';
import type { PartnerContext } from '@app/modules/partners/auth/partner-context';
import { CreateQuoteInput } from './inputs/create-quote.input';
import { QuoteOutput } from './outputs/quote.view';
import { QuotesService } from './quotes.service';

@ApiTags('partner')
@ApiSecurity('apiKey')
@UseGuards(PartnerAuthGuard)
@Controller('api/v1/quotes')
export class QuotesController {
  constructor(private readonly quotes: QuotesService) {}

  @Post()
  @HttpCode(201)
  @ApiCreatedResponse({
    type: QuoteOutput,
    description:
      'Errors: VALIDATION_ERROR, UNSUPPORTED_TOKEN (400), NOT_FOUND (404, unknown user), UPSTREAM_UNAVAILABLE (503)',
  })
  create(@CurrentPartner() partner: PartnerContext, @Body() input: CreateQuoteInput): Promise<QuoteOutput> {
    return this.quotes.create(partner, input);
  }
}

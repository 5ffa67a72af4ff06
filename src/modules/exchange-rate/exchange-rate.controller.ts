import { Controller, Get, Inject, Query, UseGuards } from '@nestjs/common';
import { ApiOkResponse, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { APP_CONFIG, AppConfig } from '@app/config/app-config';
import { rate } from '@app/common/money/money';
import { PartnerAuthGuard } from '@app/modules/partners/auth/partner-auth.guard';
import { ExchangeRateService } from './exchange-rate.service';
import { ExchangeRateQuery } from './inputs/exchange-rate.query';
import { ExchangeRateOutput } from './outputs/exchange-rate.output';
import { DEFAULT_TOKEN } from './supported-tokens';

@ApiTags('partner')
@ApiSecurity('apiKey')
@UseGuards(PartnerAuthGuard)
@Controller('api/v1/exchange-rate')
export class ExchangeRateController {
  constructor(
    private readonly rates: ExchangeRateService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Get()
  @ApiOkResponse({
    type: ExchangeRateOutput,
    description: 'Errors: UNSUPPORTED_TOKEN (400), UPSTREAM_UNAVAILABLE (503 + Retry-After)',
  })
  async get(@Query() query: ExchangeRateQuery): Promise<ExchangeRateOutput> {
    const r = await this.rates.sellRate(query.token ?? DEFAULT_TOKEN);
    return {
      usdMxn: rate(r.rate),
      token: r.token,
      source: 'trubit',
      timestamp: r.fetchedAt.toISOString(),
      validFor: this.config.trading.quoteTtlSeconds,
    };
  }
}

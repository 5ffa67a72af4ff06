import { Controller, Get, Query, UseGuards } from '@nestjs/common';
import { ApiOkResponse, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { DEFAULT_TOKEN } from '@app/modules/exchange-rate/supported-tokens';
import { CurrentPartner, PartnerAuthGuard } from '@app/modules/partners/auth/partner-auth.guard';
import { PartnerContext } from '@app/modules/partners/auth/partner-context';
import { DEFAULT_DEPOSIT_CHAIN } from '../deposit-chains';
import { DepositAddressQuery } from '../inputs/deposit-address.query';
import { BalancesOutput, DepositAddressOutput } from '../outputs/funding.outputs';
import { BalancesService } from '../services/balances.service';

@ApiTags('partner')
@ApiSecurity('apiKey')
@UseGuards(PartnerAuthGuard)
@Controller('api/v1')
export class FundingController {
  constructor(private readonly balances: BalancesService) {}

  @Get('balances')
  @ApiOkResponse({ type: BalancesOutput, description: "The partner's TruBit account, net of reservations" })
  list(@CurrentPartner() partner: PartnerContext): Promise<BalancesOutput> {
    return this.balances.balances(partner.id);
  }

  @Get('deposit-address')
  @ApiOkResponse({ type: DepositAddressOutput })
  depositAddress(
    @CurrentPartner() partner: PartnerContext,
    @Query() query: DepositAddressQuery,
  ): Promise<DepositAddressOutput> {
    return this.balances.depositAddress(
      partner.id,
      query.token ?? DEFAULT_TOKEN,
      query.chain ?? DEFAULT_DEPOSIT_CHAIN,
    );
  }
}

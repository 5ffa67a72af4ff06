import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsOptional, IsString, Matches } from 'class-validator';
import { DEFAULT_TOKEN, TOKEN_SYMBOL_PATTERN } from '@app/modules/exchange-rate/supported-tokens';
import { DEFAULT_DEPOSIT_CHAIN } from '../deposit-chains';

const upper = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.toUpperCase() : value);

export class DepositAddressQuery {
  @ApiPropertyOptional({ default: DEFAULT_TOKEN, example: 'USDT' })
  @IsOptional()
  @Transform(upper)
  @IsString()
  @Matches(TOKEN_SYMBOL_PATTERN, { message: 'token must be 1-16 letters or digits' })
  token?: string;

  @ApiPropertyOptional({ default: DEFAULT_DEPOSIT_CHAIN, example: 'TRC20', description: 'TRC20 or ERC20' })
  @IsOptional()
  @Transform(upper)
  @IsString()
  @Matches(/^[A-Z0-9]{2,16}$/, { message: 'chain must be 2-16 letters or digits' })
  chain?: string;
}

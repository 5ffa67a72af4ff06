import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, Matches } from 'class-validator';
import { DEFAULT_TOKEN, SUPPORTED_TOKENS, TOKEN_SYMBOL_PATTERN } from '../supported-tokens';

export class ExchangeRateQuery {
  @ApiPropertyOptional({ enum: SUPPORTED_TOKENS, default: DEFAULT_TOKEN })
  @IsOptional()
  @IsString()
  @Matches(TOKEN_SYMBOL_PATTERN, { message: 'token must be 1-16 letters or digits' })
  token?: string;
}

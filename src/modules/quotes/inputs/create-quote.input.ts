import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, Length, Matches } from 'class-validator';
import { FeeRecipient } from '@app/generated/prisma/enums';
import {
  DEFAULT_TOKEN,
  SUPPORTED_TOKENS,
  TOKEN_SYMBOL_PATTERN,
} from '@app/modules/exchange-rate/supported-tokens';
import { PARTNER_USER_REF_PATTERN, PARTNER_USER_REF_RULE } from '@app/modules/users/inputs/partner-user-ref';
import { IsDecimalNumber } from './decimal-number.validator';

/** Largest token amount one quote may carry (≈ 20 M MXN): a sanity bound, far above any tier's volume. */
export const MAX_QUOTE_AMOUNT = 1_000_000;
export const AMOUNT_RULE = { maxDecimals: 6, min: 0, exclusiveMin: true, max: MAX_QUOTE_AMOUNT };
export const FEE_PERCENT_RULE = { maxDecimals: 2, min: 0, max: 10 };

export class CreateQuoteInput {
  @ApiProperty({ enum: ['SELL'], description: 'Only SELL (token → MXN) is offered' })
  @IsIn(['SELL'])
  type: 'SELL';

  @ApiPropertyOptional({
    example: 100,
    description: `Token amount to sell (JSON number, > 0, ≤ ${MAX_QUOTE_AMOUNT}, ≤ 6 decimals). Send exactly one of amount / amountUsdc.`,
  })
  @IsOptional()
  @IsDecimalNumber(AMOUNT_RULE)
  amount?: number;

  @ApiPropertyOptional({ example: 100, description: 'MexicoP2P alias of `amount` (same rules)' })
  @IsOptional()
  @IsDecimalNumber(AMOUNT_RULE)
  amountUsdc?: number;

  @ApiPropertyOptional({ enum: SUPPORTED_TOKENS, default: DEFAULT_TOKEN })
  @IsOptional()
  @IsString()
  @Matches(TOKEN_SYMBOL_PATTERN, { message: 'token must be 1-16 letters or digits' })
  token?: string;

  @ApiProperty({ example: 'user_123', pattern: PARTNER_USER_REF_PATTERN.source })
  @IsString()
  @Length(1, 128)
  @Matches(PARTNER_USER_REF_PATTERN, { message: `partnerUserRef ${PARTNER_USER_REF_RULE}` })
  partnerUserRef: string;

  @ApiPropertyOptional({ example: 1.5, minimum: 0, maximum: 10, default: 0, description: 'Up to 2 decimals' })
  @IsOptional()
  @IsDecimalNumber(FEE_PERCENT_RULE)
  feePercent?: number;

  @ApiPropertyOptional({ enum: FeeRecipient, default: FeeRecipient.NONE })
  @IsOptional()
  @IsIn(Object.values(FeeRecipient))
  feeRecipient?: FeeRecipient;
}

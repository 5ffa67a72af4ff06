import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, Length, Matches } from 'class-validator';

/** A partner's own TruBit OTC account; without it the partner trades on the operator's default account. */
export class TrubitCredentialsInput {
  @ApiProperty()
  @IsString()
  @Length(1, 256)
  @Matches(/^[\x21-\x7e]+$/, { message: 'apiKey must be printable ASCII' })
  apiKey: string;

  @ApiProperty()
  @IsString()
  @Length(1, 256)
  @Matches(/^[\x21-\x7e]+$/, { message: 'apiSecret must be printable ASCII' })
  apiSecret: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @Matches(/^\d{1,20}$/, { message: 'merchantId must be numeric' })
  merchantId?: string;
}

import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsEnum, IsOptional, IsString, Length, ValidateNested } from 'class-validator';
import { KycModel, PartnerTier } from '@app/generated/prisma/enums';
import { IsIpOrCidr } from './ip-whitelist.validator';
import { LimitsInput } from './limits.input';
import { TrubitCredentialsInput } from './trubit-credentials.input';

export class CreatePartnerInput {
  @ApiProperty({ example: 'Acme Wallet' })
  @IsString()
  @Length(1, 200)
  name: string;

  @ApiProperty({ enum: PartnerTier })
  @IsEnum(PartnerTier)
  tier: PartnerTier;

  @ApiProperty({ enum: KycModel })
  @IsEnum(KycModel)
  kycModel: KycModel;

  @ApiPropertyOptional({ example: 'https://partner.example.com/webhooks/mp2p' })
  @IsOptional()
  @IsString()
  @Length(1, 2048)
  webhookUrl?: string;

  @ApiPropertyOptional({ type: [String], example: ['203.0.113.7', '2001:db8::/32'] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(100)
  @IsIpOrCidr({ each: true })
  ipWhitelist?: string[];

  @ApiPropertyOptional({ type: LimitsInput })
  @IsOptional()
  @ValidateNested()
  @Type(() => LimitsInput)
  limits?: LimitsInput;

  @ApiPropertyOptional({ type: TrubitCredentialsInput })
  @IsOptional()
  @ValidateNested()
  @Type(() => TrubitCredentialsInput)
  trubit?: TrubitCredentialsInput;
}

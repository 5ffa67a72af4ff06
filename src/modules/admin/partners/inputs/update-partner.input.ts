import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsEnum,
  IsOptional,
  IsString,
  Length,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import { PartnerStatus, PartnerTier } from '@app/generated/prisma/enums';
import { IsIpOrCidr } from './ip-whitelist.validator';
import { LimitsInput } from './limits.input';
import { TrubitCredentialsInput } from './trubit-credentials.input';

/** Every field optional; `null` clears webhookUrl, limits (back to the tier's) and trubit (operator account). */
export class UpdatePartnerInput {
  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @Length(1, 200)
  name?: string;

  @ApiPropertyOptional({ enum: PartnerTier })
  @IsOptional()
  @IsEnum(PartnerTier)
  tier?: PartnerTier;

  @ApiPropertyOptional({ enum: PartnerStatus })
  @IsOptional()
  @IsEnum(PartnerStatus)
  status?: PartnerStatus;

  @ApiPropertyOptional({ type: [String] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(100)
  @IsIpOrCidr({ each: true })
  ipWhitelist?: string[];

  @ApiPropertyOptional({ nullable: true })
  @IsOptional()
  @ValidateIf((o) => o.webhookUrl !== null)
  @IsString()
  @Length(1, 2048)
  webhookUrl?: string | null;

  @ApiPropertyOptional({ type: LimitsInput, nullable: true })
  @IsOptional()
  @ValidateIf((o) => o.limits !== null)
  @ValidateNested()
  @Type(() => LimitsInput)
  limits?: LimitsInput | null;

  @ApiPropertyOptional({ type: TrubitCredentialsInput, nullable: true })
  @IsOptional()
  @ValidateIf((o) => o.trubit !== null)
  @ValidateNested()
  @Type(() => TrubitCredentialsInput)
  trubit?: TrubitCredentialsInput | null;
}

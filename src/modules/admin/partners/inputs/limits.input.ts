import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, IsNumber, IsOptional, Max, Min, ValidateIf } from 'class-validator';

const orNull = (field: string) => ValidateIf((o: Record<string, unknown>) => o[field] !== null);

/** Operator overrides of a partner's tier limits; `null` means unlimited where that makes sense. */
export class LimitsInput {
  @ApiPropertyOptional({ minimum: 1, maximum: 1_000_000 })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(1_000_000)
  requestsPerMinute?: number;

  @ApiPropertyOptional({ nullable: true })
  @IsOptional()
  @orNull('monthlyUsers')
  @IsInt()
  @Min(0)
  @Max(100_000_000)
  monthlyUsers?: number | null;

  @ApiPropertyOptional({ nullable: true })
  @IsOptional()
  @orNull('monthlyVolumeMxn')
  @IsNumber({ maxDecimalPlaces: 2 })
  @Min(0)
  @Max(1e13)
  monthlyVolumeMxn?: number | null;

  @ApiPropertyOptional({ nullable: true })
  @IsOptional()
  @orNull('dailyVolumeMxn')
  @IsNumber({ maxDecimalPlaces: 2 })
  @Min(0)
  @Max(1e13)
  dailyVolumeMxn?: number | null;

  @ApiPropertyOptional({ nullable: true })
  @IsOptional()
  @orNull('kycPerMonth')
  @IsInt()
  @Min(0)
  @Max(100_000_000)
  kycPerMonth?: number | null;

  @ApiPropertyOptional({ minimum: 0, maximum: 100 })
  @IsOptional()
  @IsNumber({ maxDecimalPlaces: 3 })
  @Min(0)
  @Max(100)
  revenueSharePercent?: number;
}

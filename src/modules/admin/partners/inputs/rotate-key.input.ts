import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, IsOptional, Max, Min } from 'class-validator';

export class RotateKeyInput {
  @ApiPropertyOptional({
    description: 'Seconds the previous key keeps working (0 = revoked now)',
    minimum: 0,
    maximum: 604800,
  })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(7 * 24 * 3600)
  graceSeconds?: number;
}

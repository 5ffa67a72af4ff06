import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsISO8601, IsOptional } from 'class-validator';

/** POST /webhooks/recover: re-deliver every FAILED delivery created in [since, until). */
export class RecoverWebhooksInput {
  @ApiProperty({
    example: '2026-11-21T00:00:00.000Z',
    description: 'ISO-8601; deliveries created at or after',
  })
  @IsISO8601({ strict: true })
  since: string;

  @ApiPropertyOptional({
    example: '2026-11-22T00:00:00.000Z',
    description: 'ISO-8601, exclusive; default now',
  })
  @IsOptional()
  @IsISO8601({ strict: true })
  until?: string;
}

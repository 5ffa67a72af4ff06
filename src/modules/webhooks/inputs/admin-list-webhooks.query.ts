import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength } from 'class-validator';
import { ListWebhooksQuery } from './list-webhooks.query';

/** GET /admin/v1/webhooks: every partner's deliveries (e.g. `?status=FAILED`, the dead letters). */
export class AdminListWebhooksQuery extends ListWebhooksQuery {
  @ApiPropertyOptional({ example: 'ptn_0m3v8x1k2abcdefghijklmn' })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  partnerId?: string;
}

import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { PaginationInput } from '@app/common/http/pagination.input';

export const DELIVERY_STATUSES = ['PENDING', 'DELIVERED', 'FAILED'] as const;
export type DeliveryStatusFilter = (typeof DELIVERY_STATUSES)[number];

/** GET /webhooks: the partner's delivery log, newest first. */
export class ListWebhooksQuery extends PaginationInput {
  @ApiPropertyOptional({ enum: DELIVERY_STATUSES })
  @IsOptional()
  @IsIn(DELIVERY_STATUSES)
  status?: DeliveryStatusFilter;

  @ApiPropertyOptional({ example: 'ord_0m3v8x1k2abcdefghijklmn' })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  orderId?: string;

  @ApiPropertyOptional({ example: 'order.completed' })
  @IsOptional()
  @IsString()
  @Matches(/^[a-z_]+\.[a-z_]+$/, { message: 'eventType must look like order.completed' })
  eventType?: string;
}

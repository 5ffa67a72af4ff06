import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsEnum, IsOptional, IsString, Length } from 'class-validator';
import { OrderStatus } from '@app/generated/prisma/enums';
import { PaginationInput } from '@app/common/http/pagination.input';

export class ListOrdersQuery extends PaginationInput {
  @ApiPropertyOptional({ enum: OrderStatus })
  @IsOptional()
  @IsEnum(OrderStatus)
  status?: OrderStatus;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @Length(1, 255)
  partnerUserRef?: string;
}

import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsEnum, IsOptional, IsString, Length } from 'class-validator';
import { SubmissionState } from '@app/generated/prisma/enums';
import { ListOrdersQuery } from './list-orders.query';

export class AdminListOrdersQuery extends ListOrdersQuery {
  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @Length(1, 64)
  partnerId?: string;

  @ApiPropertyOptional({ enum: SubmissionState, description: 'Internal state of the TruBit submission' })
  @IsOptional()
  @IsEnum(SubmissionState)
  submission?: SubmissionState;
}

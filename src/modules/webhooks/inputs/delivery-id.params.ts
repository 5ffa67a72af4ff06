import { ApiProperty } from '@nestjs/swagger';
import { IsString, MaxLength } from 'class-validator';

/** The `:id` of /webhooks/:id routes (a `del_…` delivery id). */
export class DeliveryIdParams {
  @ApiProperty({ example: 'del_0m3v8x1k2abcdefghijklmn' })
  @IsString()
  @MaxLength(64)
  id: string;
}

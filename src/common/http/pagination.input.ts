import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsInt, Max, Min } from 'class-validator';

const toInt = ({ value }: { value: unknown }) =>
  typeof value === 'string' && /^-?\d+$/.test(value) ? Number(value) : value;

/** `limit` (1–100, default 20) and `offset` (default 0), as every list endpoint takes them. */
export class PaginationInput {
  @ApiPropertyOptional({ minimum: 1, maximum: 100, default: 20 })
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(100)
  limit: number = 20;

  @ApiPropertyOptional({ minimum: 0, default: 0 })
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(1_000_000)
  offset: number = 0;
}

export function page<T, K extends string>(key: K, items: T[], total: number, p: PaginationInput) {
  return {
    [key]: items,
    total,
    limit: p.limit,
    offset: p.offset,
    hasMore: p.offset + items.length < total,
  } as {
    [P in K]: T[];
  } & { total: number; limit: number; offset: number; hasMore: boolean };
}

import { ApiProperty } from '@nestjs/swagger';

export class ExchangeRateOutput {
  @ApiProperty({ example: 19.91, description: "MXN per 1 token: TruBit's sellRate" }) usdMxn: number;
  @ApiProperty({ example: 'USDT' }) token: string;
  @ApiProperty({ example: 'trubit' }) source: 'trubit';
  @ApiProperty({ example: '2026-11-22T10:00:00.000Z', description: 'When TruBit quoted it' })
  timestamp: string;
  @ApiProperty({ example: 300, description: 'Seconds a quote at this rate stays valid' }) validFor: number;
}

import { ApiProperty } from '@nestjs/swagger';

export class PartnerHealthOutput {
  @ApiProperty({ example: 'ok' }) status: 'ok';
  @ApiProperty({ example: 'Acme Wallet' }) partner: string;
  @ApiProperty({ example: 'GROWTH' }) tier: string;
  @ApiProperty({ example: '2026-11-22T10:00:00.000Z' }) timestamp: string;
}

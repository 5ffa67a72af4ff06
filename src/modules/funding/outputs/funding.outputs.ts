import { ApiProperty } from '@nestjs/swagger';

export class BalanceOutput {
  @ApiProperty({ example: 'USDT' }) token: string;
  @ApiProperty({ example: 1500.5 }) total: number;
  @ApiProperty({ example: 1400.5, description: 'TruBit free balance' }) free: number;
  @ApiProperty({ example: 100, description: 'Locked by TruBit for orders it has accepted' }) locked: number;
  @ApiProperty({ example: 200, description: 'Held by the gateway for orders not yet locked at TruBit' })
  reserved: number;
  @ApiProperty({ example: 1200.5, description: 'free − reserved: what new orders can use' })
  available: number;
}

export class BalancesOutput {
  @ApiProperty({ type: [BalanceOutput] }) balances: BalanceOutput[];
}

export class DepositAddressOutput {
  @ApiProperty({ example: 'USDT' }) token: string;
  @ApiProperty({ example: 'TRC20' }) chain: string;
  @ApiProperty({ example: 'TXYZ…' }) address: string;
  @ApiProperty({ nullable: true, type: String }) addressTag: string | null;
  @ApiProperty() needAddressTag: boolean;
  @ApiProperty({ nullable: true, type: Number, example: 1 }) minQuantity: number | null;
  @ApiProperty({ nullable: true, type: Number, example: 20 }) requiredConfirmations: number | null;
  @ApiProperty() allowDeposit: boolean;
}

import { ApiProperty } from '@nestjs/swagger';
import { FeeRecipient } from '@app/generated/prisma/enums';
import { DecimalLike, mxn, rate, token } from '@app/common/money/money';

/** The columns a quote is shown with; decimals as the database holds them (exact decimal text or Decimal). */
export interface QuoteRecord {
  id: string;
  type: string;
  token: string;
  amount: DecimalLike;
  exchangeRate: DecimalLike;
  grossAmountMxn: DecimalLike;
  feePercent: DecimalLike;
  feeAmountMxn: DecimalLike;
  feeRecipient: FeeRecipient;
  netAmountMxn: DecimalLike;
  expiresAt: Date;
  createdAt: Date;
}

export class QuoteOutput {
  @ApiProperty({ example: 'qt_0mhx3c2k1a2b3c4d5e6f7g8h' }) id: string;
  @ApiProperty({ example: 'SELL' }) type: string;
  @ApiProperty({ example: 'USDT' }) token: string;
  @ApiProperty({ example: 100 }) amount: number;
  @ApiProperty({ example: 100, description: 'Same as amount (MexicoP2P name)' }) amountUsdc: number;
  @ApiProperty({ example: 17.25, description: "TruBit's sellRate at quote time" }) exchangeRate: number;
  @ApiProperty({ example: 1725.0 }) grossAmountMxn: number;
  @ApiProperty({ example: 1.5 }) feePercent: number;
  @ApiProperty({ example: 25.88 }) feeAmountMxn: number;
  @ApiProperty({ enum: FeeRecipient }) feeRecipient: FeeRecipient;
  @ApiProperty({ example: 1699.12, description: 'What the user receives' }) netAmountMxn: number;
  @ApiProperty({ example: 'user_123' }) partnerUserRef: string;
  @ApiProperty({ example: '2026-11-22T10:05:00.000Z' }) expiresAt: string;
  @ApiProperty({ example: '2026-11-22T10:00:00.000Z' }) createdAt: string;
}

export function toQuoteView(q: QuoteRecord, partnerUserRef: string): QuoteOutput {
  return {
    id: q.id,
    type: q.type,
    token: q.token,
    amount: token(q.amount),
    amountUsdc: token(q.amount),
    exchangeRate: rate(q.exchangeRate),
    grossAmountMxn: mxn(q.grossAmountMxn),
    feePercent: Number(q.feePercent.toString()),
    feeAmountMxn: mxn(q.feeAmountMxn),
    feeRecipient: q.feeRecipient,
    netAmountMxn: mxn(q.netAmountMxn),
    partnerUserRef,
    expiresAt: q.expiresAt.toISOString(),
    createdAt: q.createdAt.toISOString(),
  };
}

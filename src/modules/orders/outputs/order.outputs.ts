// OpenAPI shapes of the order responses (the values are built by toOrderView & co.; these document them).
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { FeeRecipient, OrderStatus, SubmissionState } from '@app/generated/prisma/enums';

export class BankAccountOutput {
  @ApiProperty({ example: '012345678901234568' }) clabe: string;
  @ApiProperty({ example: '012' }) bankCode: string;
  @ApiProperty({ example: 'BBVA Bancomer' }) bankName: string;
}

export class OrderFeesOutput {
  @ApiProperty({ example: 1.5 }) feePercent: number;
  @ApiProperty({ example: 25.88 }) feeAmountMxn: number;
  @ApiProperty({ enum: FeeRecipient }) feeRecipient: FeeRecipient;
  @ApiProperty({ example: 20, description: "Platform's share of a PARTNER fee, percent" })
  revenueSharePercent: number;
  @ApiProperty({ example: 20.7, description: 'PARTNER fees only; 0 for USER / NONE' }) partnerFeeMxn: number;
  @ApiProperty({ example: 5.18 }) platformFeeMxn: number;
}

export class OrderOutput {
  @ApiProperty({ example: 'ord_0m3xk2a1b9c8d7e6f5g4h3' }) id: string;
  @ApiProperty({ enum: OrderStatus }) status: OrderStatus;
  @ApiProperty({ example: 'user-123' }) partnerUserRef: string;
  @ApiProperty({ example: 'USDT' }) token: string;
  @ApiProperty({ example: 100 }) amount: number;
  @ApiProperty({ example: 100, description: 'Same as amount (MexicoP2P field name)' }) amountUsdc: number;
  @ApiProperty({ example: 1991, description: 'Gross MXN of the quote' }) totalMxn: number;
  @ApiProperty({ example: 1961.14, description: 'MXN paid to sellerClabe' }) netAmountMxn: number;
  @ApiProperty({ example: 19.91 }) exchangeRate: number;
  @ApiProperty({ example: '012345678901234568' }) sellerClabe: string;
  @ApiProperty({ example: 'BBVA Bancomer' }) bankName: string;
  @ApiProperty({ type: BankAccountOutput }) bankAccount: BankAccountOutput;
  @ApiProperty({ example: 'LOW' }) amlRiskLevel: string;
  @ApiProperty({ nullable: true, type: String, example: '433592805818896384' }) trubitOrderId: string | null;
  @ApiProperty({ nullable: true, type: String, description: 'SPEI tracking key (TruBit traclingNumber)' })
  cepTrackingKey: string | null;
  @ApiProperty({ type: OrderFeesOutput }) fees: OrderFeesOutput;
  @ApiProperty({ nullable: true, type: String }) failureReason: string | null;
  @ApiProperty({ example: '2025-01-01T13:00:00.000Z' }) expiresAt: string;
  @ApiProperty({ nullable: true, type: String }) completedAt: string | null;
  @ApiProperty({ example: '2025-01-01T12:00:00.000Z' }) createdAt: string;
  @ApiProperty({ example: '2025-01-01T12:00:00.000Z' }) updatedAt: string;
}

export class DepositInstructionsOutput {
  @ApiProperty({ example: 'USDT' }) token: string;
  @ApiProperty({ example: 'TRC20' }) chain: string;
  @ApiProperty({
    nullable: true,
    type: String,
    description: "TruBit deposit address of the partner's account",
  })
  address: string | null;
  @ApiProperty({ nullable: true, type: String }) addressTag: string | null;
  @ApiProperty({ example: 12.5, description: 'Quantity missing when the order was created' }) amount: number;
}

export class CreatedOrderOutput extends OrderOutput {
  @ApiPropertyOptional({
    type: DepositInstructionsOutput,
    description: 'Present when the order waits in PENDING_DEPOSIT because the account lacks funds',
  })
  deposit?: DepositInstructionsOutput;
}

export class TimelineEntryOutput {
  @ApiProperty({ example: 'evt_0m3xk2a1b9c8d7e6f5g4h3' }) id: string;
  @ApiProperty({ example: 'order.created' }) event: string;
  @ApiProperty({ example: 1 }) sequence: number;
  @ApiProperty({ type: Object, example: { status: 'PENDING_DEPOSIT' } }) data: Record<string, unknown>;
  @ApiProperty({ example: '2025-01-01T12:00:00.000Z' }) timestamp: string;
}

export class OrderDetailOutput extends OrderOutput {
  @ApiProperty({ type: [TimelineEntryOutput] }) timeline: TimelineEntryOutput[];
}

export class OrderListOutput {
  @ApiProperty({ type: [OrderOutput] }) orders: OrderOutput[];
  @ApiProperty() total: number;
  @ApiProperty() limit: number;
  @ApiProperty() offset: number;
  @ApiProperty() hasMore: boolean;
}

export class AdminOrderOutput extends OrderOutput {
  @ApiProperty() partnerId: string;
  @ApiProperty() userId: string;
  @ApiProperty() quoteId: string;
  @ApiProperty({ enum: SubmissionState }) submission: SubmissionState;
  @ApiProperty() submitAttempts: number;
  @ApiProperty({ nullable: true, type: String }) submittedAt: string | null;
  @ApiProperty({ nullable: true, type: String }) fundedAt: string | null;
  @ApiProperty({ description: 'floor4(net / rate): what is sold at TruBit' }) sellQuantity: number;
  @ApiProperty() reservedQuantity: number;
  @ApiProperty({ nullable: true, type: Number, description: 'Last TruBit status seen' }) trubitStatus:
    number | null;
  @ApiProperty() trubitHasRefund: boolean;
  @ApiProperty({ nullable: true, type: String }) trubitSeenAt: string | null;
  @ApiProperty({ nullable: true, type: String }) trubitMerchantId: string | null;
  @ApiProperty({ nullable: true, type: String }) trubitPaymentId: string | null;
  @ApiProperty() sequence: number;
}

export class AdminOrderDetailOutput extends AdminOrderOutput {
  @ApiProperty({ type: [TimelineEntryOutput] }) timeline: TimelineEntryOutput[];
}

export class AdminOrderListOutput {
  @ApiProperty({ type: [AdminOrderOutput] }) orders: AdminOrderOutput[];
  @ApiProperty() total: number;
  @ApiProperty() limit: number;
  @ApiProperty() offset: number;
  @ApiProperty() hasMore: boolean;
}

import { Injectable } from '@nestjs/common';
import { FeeRecipient } from '@app/generated/prisma/enums';
import { PrismaService } from '@app/infra/prisma/prisma.service';
import { QUOTE_SELECT, QuoteRecord } from './outputs/quote.view';

/** Decimal columns travel as exact decimal strings. */
export interface NewQuote {
  id: string;
  partnerId: string;
  userId: string;
  token: string;
  amount: string;
  exchangeRate: string;
  grossAmountMxn: string;
  feePercent: string;
  feeAmountMxn: string;
  feeRecipient: FeeRecipient;
  netAmountMxn: string;
  revenueSharePercent: string;
  expiresAt: Date;
  createdAt: Date;
}

/** quotes rows (the orders module consumes them by id, scoped to the partner). */
@Injectable()
export class QuotesRepository {
  constructor(private readonly prisma: PrismaService) {}

  async create(q: NewQuote): Promise<QuoteRecord> {
    return this.prisma.quote.create({ data: { ...q, type: 'SELL' }, select: QUOTE_SELECT });
  }
}

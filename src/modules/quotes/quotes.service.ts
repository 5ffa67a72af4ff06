import { Inject, Injectable } from '@nestjs/common';
import Decimal from 'decimal.js';
import { APP_CONFIG, AppConfig } from '@app/config/app-config';
import { ApiError } from '@app/common/errors/api.error';
import { Clock } from '@app/infra/clock/clock';
import { newId } from '@app/infra/crypto/ids';
import { ExchangeRateService } from '@app/modules/exchange-rate/exchange-rate.service';
import { DEFAULT_TOKEN } from '@app/modules/exchange-rate/supported-tokens';
import type { PartnerContext } from '@app/modules/partners/auth/partner-context';
import { CreateQuoteInput } from './inputs/create-quote.input';
import { QuoteOutput, toQuoteView } from './outputs/quote.view';
import { priceSell } from './quote-pricing';
import { QuotesRepository, QuoteUserNotFound } from './quotes.repository';

/**
 * POST /quotes: TruBit's current sellRate, the fee maths of partner-api.md §4, a row valid for the TTL. The user is
 * resolved by the insert itself (one statement, see QuotesRepository): an unknown ref stores nothing → NOT_FOUND.
 */
@Injectable()
export class QuotesService {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly quotes: QuotesRepository,
    private readonly rates: ExchangeRateService,
    private readonly clock: Clock,
  ) {}

  async create(partner: PartnerContext, input: CreateQuoteInput): Promise<QuoteOutput> {
    const amount = exactlyOneAmount(input);
    const { token, rate } = await this.rates.sellRate(input.token ?? DEFAULT_TOKEN);
    const feePercent = new Decimal(String(input.feePercent ?? 0));
    const priced = priceSell(amount, rate, feePercent);
    if (priced.netAmountMxn.lte(0) || priced.sellQuantity.lte(0)) {
      // TruBit sells at most 4 decimals of the token: an amount that nets nothing cannot become an order.
      throw ApiError.validation(
        [{ field: input.amount !== undefined ? 'amount' : 'amountUsdc', problem: 'too small to sell' }],
        'Amount is too small: the user would receive nothing',
      );
    }
    const now = this.clock.now();
    const quote = await this.quotes
      .create({
        id: newId.quote(),
        partnerId: partner.id,
        partnerUserRef: input.partnerUserRef,
        token,
        amount: amount.toFixed(),
        exchangeRate: rate.toFixed(),
        grossAmountMxn: priced.grossAmountMxn.toFixed(2),
        feePercent: feePercent.toFixed(),
        feeAmountMxn: priced.feeAmountMxn.toFixed(2),
        feeRecipient: input.feeRecipient ?? 'NONE',
        netAmountMxn: priced.netAmountMxn.toFixed(2),
        revenueSharePercent: String(partner.limits.revenueSharePercent),
        expiresAt: new Date(now.getTime() + this.config.trading.quoteTtlSeconds * 1000),
        createdAt: now,
      })
      .catch((err: unknown) => {
        throw err instanceof QuoteUserNotFound ? ApiError.notFound('User') : err;
      });
    return toQuoteView(quote, input.partnerUserRef);
  }
}

function exactlyOneAmount(input: CreateQuoteInput): Decimal {
  const given = [input.amount, input.amountUsdc].filter((v) => v !== undefined && v !== null);
  if (given.length !== 1) {
    throw ApiError.validation(
      [{ field: 'amount', problem: 'send exactly one of amount or amountUsdc' }],
      'Send exactly one of amount or amountUsdc',
    );
  }
  // The validator accepted only plain decimal text, so String() is exactly what the partner sent.
  return new Decimal(String(given[0]));
}

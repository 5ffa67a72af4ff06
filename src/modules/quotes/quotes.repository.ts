import { Injectable } from '@nestjs/common';
import { FeeRecipient } from '@app/generated/prisma/enums';
import { GroupCommit } from '@app/infra/batching/group-commit';
import { PgPool } from '@app/infra/prisma/pg-pool';
import { QuoteRecord } from './outputs/quote.view';

/** A quote to store; decimal columns travel as exact decimal strings. The user is named by the partner's ref. */
export interface NewQuote {
  id: string;
  partnerId: string;
  partnerUserRef: string;
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

/** The partner has no user with that ref (another partner's user included: same statement, same path). */
export class QuoteUserNotFound extends Error {}

const COLUMNS = [
  'id',
  'partnerId',
  'partnerUserRef',
  'token',
  'amount',
  'exchangeRate',
  'grossAmountMxn',
  'feePercent',
  'feeAmountMxn',
  'feeRecipient',
  'netAmountMxn',
  'revenueSharePercent',
  'expiresAt',
  'createdAt',
] as const satisfies ReadonlyArray<keyof NewQuote>;

/**
 * Quotes are written by group commit: one INSERT … SELECT over unnest() stores every quote that arrived during the
 * previous write, and resolves each quote's user (partnerId + partnerUserRef) in the same statement. POST /quotes is
 * the busiest write of the API; this makes it one round trip shared by many requests instead of two per request.
 */
const INSERT_QUOTES = `
  INSERT INTO quotes (id, "partnerId", "userId", type, token, amount, "exchangeRate", "grossAmountMxn", "feePercent",
                      "feeAmountMxn", "feeRecipient", "netAmountMxn", "revenueSharePercent", "expiresAt", "createdAt")
  SELECT q.id, q.partner_id, u.id, 'SELL', q.token, q.amount::numeric, q.exchange_rate::numeric, q.gross::numeric,
         q.fee_percent::numeric, q.fee_amount::numeric, q.fee_recipient::"FeeRecipient", q.net::numeric,
         q.revenue_share::numeric, q.expires_at, q.created_at
  FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[],
              $9::text[], $10::text[], $11::text[], $12::text[], $13::timestamp[], $14::timestamp[])
         AS q(id, partner_id, user_ref, token, amount, exchange_rate, gross, fee_percent, fee_amount, fee_recipient,
              net, revenue_share, expires_at, created_at)
  JOIN end_users u ON u."partnerId" = q.partner_id AND u."partnerUserRef" = q.user_ref
  RETURNING id, type, token, amount::text, "exchangeRate"::text, "grossAmountMxn"::text, "feePercent"::text,
            "feeAmountMxn"::text, "feeRecipient", "netAmountMxn"::text`;

type StoredColumns = Omit<QuoteRecord, 'expiresAt' | 'createdAt'>;

/** quotes rows (the orders module consumes them by id, scoped to the partner). */
@Injectable()
export class QuotesRepository {
  private readonly writer = new GroupCommit<NewQuote, QuoteRecord>((quotes) => this.insert(quotes), {
    maxBatch: 200,
    concurrency: 2,
    splitOnError: true,
  });

  constructor(private readonly pool: PgPool) {}

  /** Stores the quote once it is committed; QuoteUserNotFound when the partner has no such user. */
  create(quote: NewQuote): Promise<QuoteRecord> {
    return this.writer.submit(quote);
  }

  private async insert(quotes: NewQuote[]): Promise<Array<QuoteRecord | Error>> {
    // timestamp(3) columns hold UTC wall time (Prisma's convention), so dates go in as UTC ISO text.
    const params = COLUMNS.map((c) =>
      quotes.map((q) => (q[c] instanceof Date ? (q[c] as Date).toISOString() : q[c])),
    );
    const { rows } = await this.pool.query<StoredColumns>(INSERT_QUOTES, params);
    const byId = new Map(rows.map((r) => [r.id, r]));
    // Decimals come back as the column stored them (its scale); the dates are the ones we sent.
    return quotes.map((q) => {
      const row = byId.get(q.id);
      return row
        ? { ...row, expiresAt: q.expiresAt, createdAt: q.createdAt }
        : new QuoteUserNotFound(q.partnerUserRef);
    });
  }
}

import { Inject, Injectable, Logger } from '@nestjs/common';
import Decimal from 'decimal.js';
import { APP_CONFIG, AppConfig } from '@app/config/app-config';
import { ApiError } from '@app/common/errors/api.error';
import { token as tokenNumber } from '@app/common/money/money';
import { Clock } from '@app/infra/clock/clock';
import { newId } from '@app/infra/crypto/ids';
import { PrismaService } from '@app/infra/prisma/prisma.service';
import { FundingAccount, FundingAccounts } from '@app/modules/funding/accounts/funding-accounts';
import { DEFAULT_DEPOSIT_CHAIN } from '@app/modules/funding/deposit-chains';
import { BalanceSnapshot, BalanceSnapshots } from '@app/modules/funding/services/balance-snapshot.service';
import { DepositAddresses } from '@app/modules/funding/services/deposit-address.service';
import { FundsReservations } from '@app/modules/funding/services/funds-reservation.service';
import { PartnerContext } from '@app/modules/partners/auth/partner-context';
import { ClabeInfo, validateClabe } from '../clabe/clabe.validator';
import { recordOrderEvent } from '../events/order-event.recorder';
import { CreateOrderInput } from '../inputs/create-order.input';
import { CreatedOrderView, DepositInstructions } from '../outputs/created-order.view';
import { toOrderView } from '../outputs/order.view';
import { sellQuantityFor, splitFee } from '../pricing/order-amounts';
import { OrderCreationRepository, QuoteForOrder } from '../repositories/order-creation.repository';
import { SubmissionQueue } from '../submission/submission.queue';
import { OrderLimits } from './order-limits.service';

/**
 * POST /orders (architecture.md flow 3). Checks in the spec's order: fields (DTO) → CLABE → quote → limits →
 * KYC. Then one transaction consumes the quote, creates the order with its `order.created` event, and funds
 * it when the account's available balance covers it; the submission job is enqueued after commit. A TruBit
 * balance that cannot be read never fails the order: it waits in PENDING_DEPOSIT for the funding watcher.
 */
@Injectable()
export class OrderCreationService {
  private readonly logger = new Logger('OrderCreation');

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly prisma: PrismaService,
    private readonly repo: OrderCreationRepository,
    private readonly limits: OrderLimits,
    private readonly accounts: FundingAccounts,
    private readonly snapshots: BalanceSnapshots,
    private readonly reservations: FundsReservations,
    private readonly addresses: DepositAddresses,
    private readonly submissions: SubmissionQueue,
    private readonly clock: Clock,
  ) {}

  async create(partner: PartnerContext, input: CreateOrderInput): Promise<CreatedOrderView> {
    const clabe = validateClabe(input.sellerClabe);
    if (!clabe.ok) {
      throw new ApiError('INVALID_CLABE', clabe.message, [{ field: 'sellerClabe', problem: clabe.problem }]);
    }
    // A lock-free look first, so requests that will fail never cost a TruBit balance read.
    checkQuote(await this.repo.findQuote(this.prisma, partner.id, input.quoteId), input, this.clock.now());

    const account = await this.accounts.forPartner(partner.id);
    const snapshot = await this.readBalance(account);
    const { order, funding } = await this.prisma.$transaction(
      async (tx) => {
        await this.repo.lockPartnerVolume(tx, partner.id);
        const now = this.clock.now();
        const quote = checkQuote(await this.repo.findQuote(tx, partner.id, input.quoteId), input, now);
        await this.limits.check(tx, partner, quote, now);
        if (!(await this.repo.consumeQuote(tx, partner.id, quote.id, now))) {
          checkQuote(await this.repo.findQuote(tx, partner.id, input.quoteId), input, now);
          throw new ApiError('QUOTE_USED', 'Quote already used by an order');
        }
        const created = await this.repo.createOrder(
          tx,
          orderData(partner, quote, clabe.info, now, this.config),
        );
        await recordOrderEvent(tx, {
          orderId: created.id,
          partnerId: partner.id,
          status: 'PENDING_DEPOSIT',
          snapshot: toOrderView(created),
          details: { quoteId: quote.id },
          now,
        });
        const decision = await this.reservations.reserve(tx, created, account, snapshot, now);
        return {
          order: decision.funded ? await this.repo.reload(tx, created.id) : created,
          funding: decision,
        };
      },
      { maxWait: 10_000, timeout: 20_000 },
    );

    if (funding.funded) {
      // A lost enqueue is not lost work: the funding watcher re-enqueues QUEUED orders without a live job.
      await this.submissions
        .enqueue(order.id, order.submitAttempts)
        .catch((err: Error) => this.logger.warn(`enqueue of ${order.id} failed: ${err.message}`));
      return toOrderView(order);
    }
    const view: CreatedOrderView = toOrderView(order);
    if (funding.available !== null) {
      const missing = new Decimal(order.sellQuantity.toString()).minus(Decimal.max(0, funding.available));
      view.deposit = await this.depositInstructions(account, order.token, missing);
    }
    return view;
  }

  private async readBalance(account: FundingAccount): Promise<BalanceSnapshot | null> {
    try {
      return await this.snapshots.get(account);
    } catch (err) {
      this.logger.warn(
        `balance of account ${account.id} unavailable; order waits for the watcher: ${String(err)}`,
      );
      return null;
    }
  }

  private async depositInstructions(
    account: FundingAccount,
    token: string,
    missing: Decimal,
  ): Promise<DepositInstructions> {
    const address = await this.addresses.get(account, token, DEFAULT_DEPOSIT_CHAIN).catch(() => null);
    return {
      token,
      chain: DEFAULT_DEPOSIT_CHAIN,
      address: address?.address ?? null,
      addressTag: address?.addressTag ?? null,
      amount: tokenNumber(missing),
    };
  }
}

/** INVALID_QUOTE / QUOTE_USER_MISMATCH / QUOTE_USED / QUOTE_EXPIRED, in that order. */
function checkQuote(
  quote: QuoteForOrder | null,
  input: Pick<CreateOrderInput, 'partnerUserRef'>,
  now: Date,
): QuoteForOrder {
  if (!quote || quote.type !== 'SELL') throw new ApiError('INVALID_QUOTE', 'Quote not found');
  if (quote.user.partnerUserRef !== input.partnerUserRef) {
    throw new ApiError('QUOTE_USER_MISMATCH', 'The quote belongs to another partnerUserRef');
  }
  if (quote.usedAt) throw new ApiError('QUOTE_USED', 'Quote already used by an order');
  if (quote.expiresAt.getTime() <= now.getTime()) throw new ApiError('QUOTE_EXPIRED', 'Quote expired');
  return quote;
}

function orderData(
  partner: PartnerContext,
  quote: QuoteForOrder,
  clabe: ClabeInfo,
  now: Date,
  config: AppConfig,
) {
  const sellQuantity = sellQuantityFor(quote.netAmountMxn, quote.exchangeRate);
  if (sellQuantity.lte(0)) throw new ApiError('INVALID_QUOTE', 'Quote amount is too small to trade');
  const fees = splitFee(quote.feeAmountMxn, quote.feeRecipient, quote.revenueSharePercent);
  return {
    id: newId.order(),
    partnerId: partner.id,
    userId: quote.userId,
    quoteId: quote.id,
    status: 'PENDING_DEPOSIT' as const,
    submission: 'NOT_SUBMITTED' as const,
    token: quote.token,
    amount: quote.amount,
    exchangeRate: quote.exchangeRate,
    grossAmountMxn: quote.grossAmountMxn,
    feePercent: quote.feePercent,
    feeAmountMxn: quote.feeAmountMxn,
    feeRecipient: quote.feeRecipient,
    netAmountMxn: quote.netAmountMxn,
    sellQuantity: sellQuantity.toString(),
    revenueSharePercent: quote.revenueSharePercent,
    partnerFeeMxn: fees.partnerFeeMxn.toString(),
    platformFeeMxn: fees.platformFeeMxn.toString(),
    sellerClabe: clabe.clabe,
    bankCode: clabe.bankCode,
    bankName: clabe.bankName,
    amlRiskLevel: quote.user.amlRiskLevel,
    expiresAt: new Date(now.getTime() + config.trading.orderTtlMinutes * 60_000),
    createdAt: now,
  };
}

import { Inject, Injectable, Logger } from '@nestjs/common';
import Decimal from 'decimal.js';
import { APP_CONFIG, AppConfig } from '@app/config/app-config';
import { ApiError } from '@app/common/errors/api.error';
import { token as tokenNumber } from '@app/common/money/money';
import { GroupCommit } from '@app/infra/batching/group-commit';
import { Clock } from '@app/infra/clock/clock';
import { PgPipelinePool } from '@app/infra/prisma/pg-pool';
import { FundingAccount, FundingAccounts } from '@app/modules/funding/accounts/funding-accounts';
import { DEFAULT_DEPOSIT_CHAIN } from '@app/modules/funding/deposit-chains';
import { BalanceSnapshot, BalanceSnapshots } from '@app/modules/funding/services/balance-snapshot.service';
import { DepositAddresses } from '@app/modules/funding/services/deposit-address.service';
import { OutboxNudge } from '@app/modules/outbox/outbox.nudge';
import { PartnerContext } from '@app/modules/partners/auth/partner-context';
import { validateClabe } from '../clabe/clabe.validator';
import { CreateOrderInput } from '../inputs/create-order.input';
import { CreatedOrderView, DepositInstructions } from '../outputs/created-order.view';
import { toOrderView } from '../outputs/order.view';
import { OrderEventRow, orderEventRow } from '../events/order-event.rows';
import { OrderCreationRepository, ReadRequest } from '../repositories/order-creation.repository';
import { SubmissionQueue } from '../submission/submission.queue';
import { Admission, Admitted, admitOrders, NewOrder, OrderRequest } from './order-admission';
import { utcPeriods } from './order-limits';

interface BatchItem extends OrderRequest {
  account: FundingAccount;
}

/**
 * POST /orders (architecture.md flow 3). The request checks its fields (DTO) and CLABE, then joins a group
 * commit: every order that arrives while the previous batch is being written is decided and stored together, in
 * one transaction that
 *   1. takes the volume lock of each partner and the funds lock of each TruBit account in the batch,
 *   2. reads the quotes, volumes and funds commitments in one query,
 *   3. decides each order in arrival order (quote checks → limits → KYC → funding, see order-admission.ts),
 *   4. consumes the quotes and inserts orders, timeline entries and outbox rows in one statement.
 * The answers are exactly those of one-by-one processing; the round trips are shared. Funded orders' submission
 * jobs are enqueued after commit. A TruBit balance that cannot be read never fails an order: it waits in
 * PENDING_DEPOSIT for the funding watcher.
 */
@Injectable()
export class OrderCreationService {
  private readonly logger = new Logger('OrderCreation');
  private readonly batches = new GroupCommit<BatchItem, Admitted>((items) => this.decideAndStore(items), {
    maxBatch: 100,
    concurrency: 2,
    // A failed batch (a database error) is replayed order by order, so one bad order fails alone.
    splitOnError: true,
  });

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly pool: PgPipelinePool,
    private readonly repo: OrderCreationRepository,
    private readonly accounts: FundingAccounts,
    private readonly snapshots: BalanceSnapshots,
    private readonly addresses: DepositAddresses,
    private readonly submissions: SubmissionQueue,
    private readonly nudge: OutboxNudge,
    private readonly clock: Clock,
  ) {}

  async create(partner: PartnerContext, input: CreateOrderInput): Promise<CreatedOrderView> {
    const clabe = validateClabe(input.sellerClabe);
    if (!clabe.ok) {
      throw new ApiError('INVALID_CLABE', clabe.message, [{ field: 'sellerClabe', problem: clabe.problem }]);
    }
    const account = await this.accounts.forPartner(partner.id);
    const { order, available } = await this.batches.submit({
      partner,
      input,
      clabe: clabe.info,
      account,
      accountKey: account.apiKey,
    });
    const view: CreatedOrderView = toOrderView(viewSource(order));
    if (order.submission !== 'QUEUED' && available !== null) {
      const missing = new Decimal(order.sellQuantity).minus(Decimal.max(0, available));
      view.deposit = await this.depositInstructions(account, order.token, missing);
    }
    return view;
  }

  private async decideAndStore(items: BatchItem[]): Promise<Admission[]> {
    const snapshots = await this.readBalances(items);
    const now = this.clock.now();
    const { dayStart, monthStart } = utcPeriods(now);
    const partnerIds = [...new Set(items.map((i) => i.partner.id))];
    const fundable = [...snapshots.keys()];

    const client = await this.pool.connect();
    let admissions: Admission[];
    let broken = false;
    try {
      const reads = await this.repo.beginLockAndRead(
        client,
        { partnerIds, accountKeys: fundable },
        this.readRequest(items, snapshots, dayStart, monthStart),
      );
      const available = new Map<string, Decimal>();
      for (const [apiKey, snapshot] of snapshots) {
        for (const b of snapshot.balances) {
          const committed = reads.committed.get(`${apiKey}|${b.asset}`) ?? new Decimal(0);
          available.set(`${apiKey}|${b.asset}`, new Decimal(b.free).minus(committed));
        }
      }
      const decided = admitOrders(items, {
        now,
        kycThresholdMxn: this.config.trading.kycThresholdMxn,
        orderTtlMinutes: this.config.trading.orderTtlMinutes,
        quotes: reads.quotes,
        partnerVolume: reads.partnerVolume,
        userMonthly: reads.userMonthly,
        available,
        fundable: new Set(fundable),
      });
      const admitted = decided.filter((d): d is Admitted => !(d instanceof ApiError));
      if (admitted.length > 0) {
        const orders = admitted.map((a) => a.order);
        await this.repo.writeAndCommit(client, now, orders, orders.map(createdEvent));
      } else {
        await client.query('COMMIT');
      }
      admissions = decided;
    } catch (err) {
      // A connection that cannot even roll back is dropped rather than handed to the next batch.
      await client.query('ROLLBACK').catch(() => (broken = true));
      throw err;
    } finally {
      client.release(broken);
    }

    const funded = admissions.filter((a): a is Admitted => !(a instanceof ApiError) && isFunded(a));
    if (admissions.some((a) => !(a instanceof ApiError))) this.nudge.nudge();
    if (funded.length > 0) {
      // A lost enqueue is not lost work: the funding watcher re-enqueues QUEUED orders without a live job.
      void this.submissions
        .enqueueMany(funded.map((a) => a.order.id))
        .catch((err: Error) => this.logger.warn(`enqueue of ${funded.length} orders failed: ${err.message}`));
    }
    return admissions;
  }

  private readRequest(
    items: BatchItem[],
    snapshots: Map<string, BalanceSnapshot>,
    dayStart: Date,
    monthStart: Date,
  ): ReadRequest {
    const hasVolumeLimit = (p: PartnerContext) =>
      p.limits.dailyVolumeMxn !== null || p.limits.monthlyVolumeMxn !== null;
    return {
      quoteIds: items.map((i) => i.input.quoteId),
      partnerIds: [...new Set(items.map((i) => i.partner.id))],
      limitedPartnerIds: [
        ...new Set(items.filter((i) => hasVolumeLimit(i.partner)).map((i) => i.partner.id)),
      ],
      dayStart,
      monthStart,
      accounts: [...snapshots].map(([apiKey, snapshot]) => ({
        apiKey,
        // SELLs that reached SUBMITTED after the balance read may not be in `free` yet (FundsReservations).
        commitmentsSince: new Date(snapshot.takenAt - this.config.trubit.timeoutMs - 2000),
      })),
      operatorApiKey: this.accounts.operatorApiKey,
    };
  }

  /** The batch's accounts with a readable balance (read once per account per batch, cached ~1 s in Redis). */
  private async readBalances(items: BatchItem[]): Promise<Map<string, BalanceSnapshot>> {
    const accounts = new Map(items.map((i) => [i.account.apiKey, i.account]));
    const snapshots = new Map<string, BalanceSnapshot>();
    await Promise.all(
      [...accounts.values()].map(async (account) => {
        try {
          snapshots.set(account.apiKey, await this.snapshots.get(account));
        } catch (err) {
          this.logger.warn(
            `balance of account ${account.id} unavailable; orders wait for the watcher: ${String(err)}`,
          );
        }
      }),
    );
    return snapshots;
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

const isFunded = (a: Admitted) => a.order.submission === 'QUEUED';

/** The row as the partner sees it right after the insert (status PENDING_DEPOSIT, sequence 1). */
function viewSource(o: NewOrder) {
  return {
    ...o,
    status: 'PENDING_DEPOSIT' as const,
    user: { partnerUserRef: o.partnerUserRef },
    trubitOrderId: null,
    cepTrackingKey: null,
    failureReason: null,
    completedAt: null,
    updatedAt: o.createdAt,
  };
}

/** `order.created`: timeline entry + webhook body, sequence 1 (what recordOrderEvent writes for a new order). */
function createdEvent(o: NewOrder): OrderEventRow {
  return orderEventRow({
    orderId: o.id,
    partnerId: o.partnerId,
    status: 'PENDING_DEPOSIT',
    sequence: 1,
    snapshot: toOrderView(viewSource(o)),
    details: { quoteId: o.quoteId },
    now: o.createdAt,
  });
}

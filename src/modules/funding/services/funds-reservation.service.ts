import { Inject, Injectable } from '@nestjs/common';
import Decimal from 'decimal.js';
import { APP_CONFIG, AppConfig } from '@app/config/app-config';
import { Tx } from '@app/modules/outbox/outbox.writer';
import { FundingAccount, FundingAccounts } from '../accounts/funding-accounts';
import { BalanceSnapshot } from './balance-snapshot.service';
import { accountKeyOf, committedOrdersCte } from './committed-orders.sql';

/** pg_advisory_xact_lock(namespace, hashtext(apiKey)): one funding decision at a time per TruBit account. */
export const FUNDS_LOCK_NAMESPACE = 71002;

/** $1 since, $2 the operator's API key, $3 the account's API key: committed quantity per token. */
export const COMMITMENTS = `
  WITH ${committedOrdersCte('$1')}
  SELECT c.token, SUM(c.quantity)::text AS committed
  FROM committed_orders c JOIN partners p ON p.id = c."partnerId"
  WHERE ${accountKeyOf('p', '$2')} = $3
  GROUP BY c.token`;

type Db = Pick<Tx, '$queryRawUnsafe'>;

export interface FundingDecision {
  funded: boolean;
  /** free − commitments when the decision was taken; null when the balance could not be read. */
  available: Decimal | null;
}

export interface OrderToFund {
  id: string;
  token: string;
  sellQuantity: Decimal | { toString(): string };
}

/**
 * The contract's funds rule: available = TruBit free − Σ reservedQuantity of the account's orders whose
 * submission is QUEUED / SUBMITTING / UNKNOWN. Because the free balance may come from a read a moment old,
 * SELLs that reached SUBMITTED (reservation released) after that read may not be in it yet; their quantity
 * is counted as committed too (submittedAt within the read time − the TruBit timeout − 2 s of skew).
 * Checks and reservations run under an advisory lock per account, so two orders never take the same funds.
 */
@Injectable()
export class FundsReservations {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly accounts: FundingAccounts,
  ) {}

  async lock(tx: Tx, account: FundingAccount): Promise<void> {
    await tx.$queryRaw`SELECT 1 AS ok FROM pg_advisory_xact_lock(${FUNDS_LOCK_NAMESPACE}::int, hashtext(${account.apiKey}))`;
  }

  /** Token quantities the account's orders hold that `snapshot.free` does not reflect, per token. */
  async commitments(db: Db, account: FundingAccount, snapshotTakenAt: number): Promise<Map<string, Decimal>> {
    const since = new Date(snapshotTakenAt - this.config.trubit.timeoutMs - 2000);
    const rows = await db.$queryRawUnsafe<Array<{ token: string; committed: string }>>(
      COMMITMENTS,
      since,
      this.accounts.operatorApiKey,
      account.apiKey,
    );
    return new Map(rows.map((r) => [r.token, new Decimal(r.committed)]));
  }

  freeOf(snapshot: BalanceSnapshot, token: string): Decimal {
    const b = snapshot.balances.find((x) => x.asset === token);
    return new Decimal(b?.free ?? '0');
  }

  /**
   * In the caller's transaction: if the account can cover the order, reserve its sellQuantity and mark it
   * QUEUED (the caller enqueues the submission job after commit). Only a PENDING_DEPOSIT / NOT_SUBMITTED
   * order that has not expired is ever funded, so two funders (API and watcher, two watchers) cannot both.
   */
  async reserve(
    tx: Tx,
    order: OrderToFund,
    account: FundingAccount,
    snapshot: BalanceSnapshot | null,
    now: Date,
  ): Promise<FundingDecision> {
    if (!snapshot) return { funded: false, available: null };
    await this.lock(tx, account);
    const committed =
      (await this.commitments(tx, account, snapshot.takenAt)).get(order.token) ?? new Decimal(0);
    const available = this.freeOf(snapshot, order.token).minus(committed);
    const quantity = new Decimal(order.sellQuantity.toString());
    if (available.lt(quantity)) return { funded: false, available };
    const { count } = await tx.order.updateMany({
      where: { id: order.id, status: 'PENDING_DEPOSIT', submission: 'NOT_SUBMITTED', expiresAt: { gt: now } },
      data: { submission: 'QUEUED', reservedQuantity: quantity.toString(), fundedAt: now },
    });
    return { funded: count === 1, available };
  }
}

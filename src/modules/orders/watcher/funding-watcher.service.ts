import { Injectable, Logger } from '@nestjs/common';
import { Clock } from '@app/infra/clock/clock';
import { PrismaService } from '@app/infra/prisma/prisma.service';
import { FundingAccount, FundingAccounts } from '@app/modules/funding/accounts/funding-accounts';
import { BalanceSnapshot, BalanceSnapshots } from '@app/modules/funding/services/balance-snapshot.service';
import { FundsReservations } from '@app/modules/funding/services/funds-reservation.service';
import { isCancellable } from '../services/order-cancel.service';
import { SubmissionQueue } from '../submission/submission.queue';
import { OrderTransitionService } from '../transitions/order-transition.service';
import { FundingWatchRepository } from './funding-watch.repository';

const BATCH = 200;
/** A QUEUED order untouched this long should have been picked up by its job. */
const QUEUED_GRACE_MS = 30_000;

export interface WatchResult {
  expired: number;
  funded: number;
  rescued: number;
}

/**
 * One pass of the funding watcher (a BullMQ repeatable job): expires orders that were not funded (or not
 * sent) by expiresAt, funds PENDING_DEPOSIT orders oldest first with one fresh balance read per TruBit
 * account, and re-enqueues QUEUED orders whose job went missing. Every step is a guarded, row-level
 * change, so two workers running passes at once do each thing once.
 */
@Injectable()
export class FundingWatcher {
  private readonly logger = new Logger('FundingWatcher');

  constructor(
    private readonly prisma: PrismaService,
    private readonly repo: FundingWatchRepository,
    private readonly accounts: FundingAccounts,
    private readonly snapshots: BalanceSnapshots,
    private readonly reservations: FundsReservations,
    private readonly submissions: SubmissionQueue,
    private readonly transitions: OrderTransitionService,
    private readonly clock: Clock,
  ) {}

  async tick(): Promise<WatchResult> {
    const now = this.clock.now();
    return {
      expired: await this.expire(now),
      funded: await this.fund(now),
      rescued: await this.rescueQueued(now),
    };
  }

  private async expire(now: Date): Promise<number> {
    let expired = 0;
    for (const id of await this.repo.expired(now, BATCH)) {
      const r = await this.transitions
        .transition(
          id,
          'EXPIRED',
          { reason: 'not funded by expiresAt' },
          { submission: 'NOT_SUBMITTED', reservedQuantity: 0 },
          isCancellable,
        )
        .catch((err: unknown) => this.logger.error(`expiring ${id} failed: ${String(err)}`));
      if (r?.entered.includes('EXPIRED')) expired++;
    }
    return expired;
  }

  private async fund(now: Date): Promise<number> {
    const orders = await this.repo.unfunded(now, BATCH);
    const accountOf = new Map<string, FundingAccount | null>();
    const snapshotOf = new Map<string, BalanceSnapshot | null>();
    let funded = 0;
    for (const order of orders) {
      // One partner's broken setup (e.g. credentials that no longer decrypt) must not stall everyone else.
      const account = await this.accountOf(order.partnerId, accountOf);
      if (!account) continue;
      if (!snapshotOf.has(account.id)) snapshotOf.set(account.id, await this.freshBalance(account));
      const snapshot = snapshotOf.get(account.id) ?? null;
      if (!snapshot) continue;
      const decision = await this.prisma.$transaction((tx) =>
        this.reservations.reserve(tx, order, account, snapshot, now),
      );
      if (!decision.funded) continue;
      funded++;
      await this.submissions
        .enqueue(order.id, order.submitAttempts)
        .catch((err: Error) => this.logger.warn(`enqueue of ${order.id} failed: ${err.message}`));
    }
    return funded;
  }

  private async accountOf(
    partnerId: string,
    memo: Map<string, FundingAccount | null>,
  ): Promise<FundingAccount | null> {
    if (!memo.has(partnerId)) {
      const account = await this.accounts.forPartner(partnerId).catch((err: unknown) => {
        this.logger.error(`TruBit account of partner ${partnerId} unusable: ${String(err)}`);
        return null;
      });
      memo.set(partnerId, account);
    }
    return memo.get(partnerId) ?? null;
  }

  private async rescueQueued(now: Date): Promise<number> {
    let rescued = 0;
    for (const order of await this.repo.stuckQueued(new Date(now.getTime() - QUEUED_GRACE_MS), BATCH)) {
      const done = await this.submissions
        .ensure(order.id, order.submitAttempts)
        .catch((err: Error) => this.logger.warn(`re-enqueue of ${order.id} failed: ${err.message}`));
      if (done === 'added' || done === 'retried') rescued++;
    }
    return rescued;
  }

  private async freshBalance(account: FundingAccount): Promise<BalanceSnapshot | null> {
    try {
      return await this.snapshots.get(account, 0);
    } catch (err) {
      this.logger.warn(`balance of account ${account.id} unavailable this pass: ${String(err)}`);
      return null;
    }
  }
}

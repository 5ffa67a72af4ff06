import { Inject, Injectable, Logger } from '@nestjs/common';
import { UnrecoverableError } from 'bullmq';
import { APP_CONFIG, AppConfig } from '@app/config/app-config';
import { Clock } from '@app/infra/clock/clock';
import { PrismaService } from '@app/infra/prisma/prisma.service';
import { WaitingCallbacks } from '@app/modules/callbacks/waiting-callbacks.service';
import { OutboxNudge } from '@app/modules/outbox/outbox.nudge';
import { FundingAccount, FundingAccounts } from '@app/modules/funding/accounts/funding-accounts';
import { TRUBIT_API } from '@app/modules/trubit/trubit.constants';
import type { TrubitApi } from '@app/modules/trubit/trubit-api.interface';
import {
  TrubitAuthError,
  TrubitBusinessError,
  TrubitRateLimitError,
  TrubitUnavailableError,
} from '@app/modules/trubit/trubit.errors';
import { floor4 } from '@app/modules/trubit/trubit-amount.util';
import { trubitOrderAmount } from '../pricing/order-amounts';
import { lockOrder, OrderTransitionService } from '../transitions/order-transition.service';
import { MerchantProvisioner } from './merchant.provisioner';
import { PayoutMethodProvisioner } from './payout-method.provisioner';
import { PARKED_MS, SubmissionAdmission } from './submission.admission';
import { PermanentSubmissionError, SubmissionDeferred } from './submission.errors';
import { SubmissionQueue } from './submission.queue';
import { OrderForSubmission, SubmissionRepository } from './submission.repository';

export type SubmitOutcome = 'skipped' | 'submitted' | 'unknown';

/** TruBit's budget for the key is spent for now: run again when it says, plus a little jitter, attempt unspent. */
function waitForBudget(err: TrubitRateLimitError): SubmissionDeferred {
  return new SubmissionDeferred(Math.max(0, err.retryAfterMs) + Math.floor(Math.random() * 100));
}

/** order/add errors after which nothing can have been created at TruBit. */
function nothingSent(err: unknown): boolean {
  return (
    err instanceof TrubitUnavailableError ||
    err instanceof TrubitRateLimitError ||
    err instanceof TrubitAuthError
  );
}

/**
 * Sends one funded order to TruBit, exactly per the cross-team contract: acts only on QUEUED orders, moves
 * QUEUED → SUBMITTING in a conditional update right before order/add, then SUBMITTED (and ACTIVE) on an
 * answer, UNKNOWN when the answer is lost (never sent again until reconciliation says so), FAILED when
 * TruBit refuses for good, and back to QUEUED when nothing was sent: rethrown for a retry, or, when TruBit's
 * rate was the reason, SubmissionDeferred (the job waits without spending an attempt, keeping its place).
 */
@Injectable()
export class OrderSubmitter {
  private readonly logger = new Logger('OrderSubmitter');

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(TRUBIT_API) private readonly trubit: TrubitApi,
    private readonly prisma: PrismaService,
    private readonly repo: SubmissionRepository,
    private readonly accounts: FundingAccounts,
    private readonly merchants: MerchantProvisioner,
    private readonly payouts: PayoutMethodProvisioner,
    private readonly transitions: OrderTransitionService,
    private readonly clock: Clock,
    private readonly waitingCallbacks: WaitingCallbacks,
    private readonly nudge: OutboxNudge,
    private readonly admission: SubmissionAdmission,
    private readonly queue: SubmissionQueue,
  ) {}

  /**
   * Submits the order of job `jobId` once the job is through its account's line (SubmissionAdmission); a job
   * not admitted yet throws SubmissionDeferred and is woken when its turn comes.
   */
  async submit(orderId: string, jobId: string): Promise<SubmitOutcome> {
    const order = await this.repo.load(orderId);
    if (!order) return 'skipped';
    const account = await this.accounts.forPartner(order.partnerId);
    if (order.submission !== 'QUEUED' || order.status !== 'PENDING_DEPOSIT') {
      await this.leaveLine(account, jobId); // it may have waited in line before the order moved on
      return 'skipped';
    }
    if (!(await this.admission.admit(account, jobId)))
      throw new SubmissionDeferred(PARKED_MS, () => this.wakeIfAdmitted(account, jobId));
    let keepPlace = false;
    try {
      return await this.submitAdmitted(order, account);
    } catch (err) {
      keepPlace = err instanceof SubmissionDeferred;
      throw err;
    } finally {
      // A line we cannot leave (Redis down) drops us once we are stale; the outcome stands.
      if (!keepPlace)
        await this.leaveLine(account, jobId).catch((err: unknown) =>
          this.logger.warn(`could not leave the submission line for ${orderId}: ${String(err)}`),
        );
    }
  }

  private async submitAdmitted(order: OrderForSubmission, account: FundingAccount): Promise<SubmitOutcome> {
    let mcId: number;
    let paymentId: string;
    try {
      mcId = await this.merchants.merchantFor(order, account);
      paymentId = await this.payouts.paymentIdFor(order, mcId, account);
    } catch (err) {
      if (err instanceof PermanentSubmissionError) {
        await this.fail(order.id, 'QUEUED', err.reason, err.details);
        throw new UnrecoverableError(err.reason);
      }
      if (err instanceof TrubitRateLimitError) throw waitForBudget(err);
      throw err; // transient: the order stays QUEUED and the job retries with backoff
    }

    if (!(await this.repo.markSubmitting(order.id, String(mcId), paymentId, this.clock.now())))
      return 'skipped';
    let trubitOrderId: string;
    try {
      ({ orderId: trubitOrderId } = await this.trubit.addOrder(
        addOrderRequest(order, mcId, paymentId, this.config),
        account.credentials,
      ));
    } catch (err) {
      if (err instanceof TrubitBusinessError) {
        const reason = `TruBit refused the order: ${err.msg || `code ${err.code}`}`;
        await this.fail(order.id, 'SUBMITTING', reason, { trubitCode: err.code });
        throw new UnrecoverableError(reason);
      }
      if (nothingSent(err)) {
        await this.repo.requeue(order.id);
        // TruBit's rate (our budget, or its 429) is a wait, not a failure: the order keeps its place in line.
        throw err instanceof TrubitRateLimitError ? waitForBudget(err) : err;
      }
      // 5xx, timeout, lost response, or anything we cannot classify: the order may exist at TruBit.
      await this.repo.markUnknown(order.id);
      this.logger.warn(`order/add outcome unknown for ${order.id}; left to reconciliation: ${String(err)}`);
      return 'unknown';
    }
    // SUBMITTED with the TruBit id, reservation released (TruBit has locked the funds), → ACTIVE with its event.
    if (await this.repo.markSubmitted({ orderId: order.id, trubitOrderId, now: this.clock.now() }))
      this.nudge.nudge();
    // TruBit's callbacks may have come before the answer (10 routinely does): committed, they wait in the inbox.
    await this.waitingCallbacks.applyFor(trubitOrderId);
    return 'submitted';
  }

  /** Leaves the account's line and wakes the job that has just become one of its heads. */
  private async leaveLine(account: FundingAccount, jobId: string): Promise<void> {
    const next = await this.admission.leave(account, jobId);
    if (next) await this.queue.promote(next);
  }

  /** Once parked: a head that left between our admission and our parking woke no one, so look again. */
  private async wakeIfAdmitted(account: FundingAccount, jobId: string): Promise<void> {
    if (await this.admission.admit(account, jobId)) await this.queue.promote(jobId);
  }

  /** FAILED with a reason (and the order.failed event), only if the submission is still where we left it. */
  private async fail(
    orderId: string,
    expected: 'QUEUED' | 'SUBMITTING',
    reason: string,
    details: Record<string, unknown>,
  ): Promise<void> {
    await this.prisma.$transaction(async (tx) => {
      const locked = await lockOrder(tx, { id: orderId });
      if (!locked || locked.submission !== expected || locked.status !== 'PENDING_DEPOSIT') return;
      await tx.order.update({
        where: { id: orderId },
        data: { submission: 'FAILED', reservedQuantity: 0, failureReason: reason },
      });
      await this.transitions.moveLocked(tx, orderId, locked.status, 'FAILED', { reason, ...details });
    });
    this.logger.warn(`order ${orderId} failed: ${reason}`);
  }
}

/** SELL `quantity` = the order's sellQuantity (4 dp); `orderAmount` = floor2(quantity × rate) as TruBit computes it. */
export function addOrderRequest(
  order: OrderForSubmission,
  mcId: number,
  paymentId: string,
  config: AppConfig,
) {
  const quantity = floor4(order.sellQuantity);
  return {
    country: config.trubit.country,
    mcId,
    cryptoCurrency: order.token,
    fiatCurrency: 'MXN',
    orderType: 'SELL' as const,
    quantity,
    orderAmount: trubitOrderAmount(quantity, order.exchangeRate).toFixed(2),
    paymentId: /^\d+$/.test(paymentId) ? Number(paymentId) : paymentId,
  };
}

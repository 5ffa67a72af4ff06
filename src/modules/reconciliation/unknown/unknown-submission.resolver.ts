import { Inject, Injectable, Logger } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '@app/config/app-config';
import { WaitingCallbacks } from '@app/modules/callbacks/waiting-callbacks.service';
import { isTerminal } from '@app/modules/orders/state/order-state.machine';
import { SubmissionQueue } from '@app/modules/orders/submission/submission.queue';
import { OrderTransitionService } from '@app/modules/orders/transitions/order-transition.service';
import type { TrubitApi } from '@app/modules/trubit/trubit-api.interface';
import { TRUBIT_API } from '@app/modules/trubit/trubit.constants';
import type { TrubitOrderDetail } from '@app/modules/trubit/trubit.types';
import { ReconciliationMetrics } from '../reconciliation.metrics';
import { ReconciliationRepository, type UnknownSubmission } from '../reconciliation.repository';
import { TrubitAccountGroups, type TrubitAccountGroup } from '../trubit-account.groups';
import { closestMatch, matchWindow, summaryMayMatch, type SubmissionFacts } from './submission.matcher';
import { scanOrdersSince, TrubitDetailCache, type OrderListScan } from './trubit-order.search';

/**
 * - linked: the TruBit order was found and attached; its status applied.
 * - requeued: nothing at TruBit after the grace period; the order went back to QUEUED with a new job.
 * - abandoned: nothing at TruBit and the order already ended on our side; reservation released.
 * - waiting: not found yet, still inside the grace period.
 * - undecided: TruBit could not be fully searched (outage, rate limit): decide on a later pass.
 * - stale: the order changed under us (another replica or the submission processor got there first).
 */
export type UnknownResolution = 'linked' | 'requeued' | 'abandoned' | 'waiting' | 'undecided' | 'stale';

/** Most unknown submissions one pass looks at (oldest first); the rest wait for the next pass. */
const MAX_PER_PASS = 500;

/**
 * Resolves submissions whose order/add outcome is unknown (contract: SUBMISSION UNKNOWN, and SUBMITTING older
 * than 2 × TRUBIT_TIMEOUT_MS). It never calls order/add itself: either it finds the TruBit order and links
 * it, or, once sure there is none, it hands the order back to the submission processor. Each decision is a
 * conditional update on the state and attempt number it was based on, so replicas cannot both act.
 */
@Injectable()
export class UnknownSubmissionResolver {
  private readonly logger = new Logger('UnknownSubmissions');

  constructor(
    private readonly repo: ReconciliationRepository,
    private readonly groups: TrubitAccountGroups,
    @Inject(TRUBIT_API) private readonly api: TrubitApi,
    private readonly transitions: OrderTransitionService,
    private readonly metrics: ReconciliationMetrics,
    private readonly submissions: SubmissionQueue,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly waitingCallbacks: WaitingCallbacks,
  ) {}

  /** Every unknown submission (after promoting stuck SUBMITTING ones). */
  async resolveAll(): Promise<Map<string, UnknownResolution>> {
    await this.promoteStuckSubmitting();
    return this.resolve(await this.repo.findUnknown(MAX_PER_PASS));
  }

  /** One order (operators' reconcile); null when it is not an unknown submission. */
  async resolveOne(orderId: string): Promise<UnknownResolution | null> {
    await this.promoteStuckSubmitting();
    const order = await this.repo.findUnknownById(orderId);
    if (!order) return null;
    return (await this.resolve([order])).get(orderId) ?? null;
  }

  private async promoteStuckSubmitting(): Promise<void> {
    const olderThan = new Date(Date.now() - 2 * this.config.trubit.timeoutMs);
    const n = await this.repo.markStaleSubmittingUnknown(olderThan);
    if (n) this.logger.warn(`${n} submission(s) stuck in SUBMITTING are now UNKNOWN`);
  }

  private async resolve(orders: UnknownSubmission[]): Promise<Map<string, UnknownResolution>> {
    const results = new Map<string, UnknownResolution>();
    for (const group of await this.groups.group(orders)) {
      try {
        await this.resolveAccount(group, results);
      } catch (err) {
        this.logger.error(`unknown submissions on ${group.key}: ${(err as Error).message}`);
        for (const o of group.items) if (!results.has(o.id)) results.set(o.id, 'undecided');
      }
    }
    return results;
  }

  private async resolveAccount(
    group: TrubitAccountGroup<UnknownSubmission>,
    results: Map<string, UnknownResolution>,
  ): Promise<void> {
    const details = new TrubitDetailCache(this.api, group.credentials);
    const facts = group.items.map((o) => ({ order: o, facts: factsOf(o) }));
    const since = Math.min(...facts.map((f) => matchWindow(f.facts.submittedAt).from));
    const scan = await scanOrdersSince(
      this.api,
      group.credentials,
      since,
      this.config.reconcile.pageSize,
      details,
    );
    if (!scan.complete)
      this.logger.warn(`order/list scan on ${group.key} incomplete: ${(scan.error as Error)?.message}`);
    const candidates = scan.rows.filter((r) => facts.some((f) => summaryMayMatch(f.facts, r)));
    const linked = await this.repo.linkedTrubitIds(candidates.map((r) => r.orderId));
    // Oldest submissions pick first, each the candidate created closest to its own submission.
    for (const { order, facts: f } of facts) {
      const outcome = await this.resolveOrder(order, f, scan, details, linked);
      results.set(order.id, outcome);
      if (outcome === 'linked' || outcome === 'requeued' || outcome === 'abandoned')
        this.metrics.unknownResolved.inc({ outcome });
    }
  }

  private async resolveOrder(
    order: UnknownSubmission,
    facts: SubmissionFacts,
    scan: OrderListScan,
    details: TrubitDetailCache,
    linked: Set<string>,
  ): Promise<UnknownResolution> {
    const found: TrubitOrderDetail[] = [];
    let lookupFailed = false;
    for (const row of scan.rows) {
      if (linked.has(row.orderId) || !summaryMayMatch(facts, row)) continue;
      try {
        found.push(await details.get(row.orderId));
      } catch {
        lookupFailed = true;
      }
    }
    for (;;) {
      const best = closestMatch(
        facts,
        found.filter((d) => !linked.has(d.orderId)),
      );
      if (!best) break;
      const outcome = await this.repo.link(order, best.orderId);
      linked.add(best.orderId);
      if (outcome === 'taken') continue;
      if (outcome === 'stale') return 'stale';
      this.logger.log(`order ${order.id}: unknown submission found at TruBit as ${best.orderId}`);
      await this.applyFound(order.id, best);
      // Callbacks TruBit sent while the order was unknown to us are in the inbox, waiting for this link.
      await this.waitingCallbacks.applyFor(best.orderId);
      return 'linked';
    }

    if (!scan.complete || lookupFailed) return 'undecided';
    if (Date.now() - facts.submittedAt.getTime() < this.config.reconcile.unknownGraceMs) return 'waiting';
    if (isTerminal(order.status)) return (await this.repo.abandon(order)) ? 'abandoned' : 'stale';
    return this.requeue(order);
  }

  private async applyFound(orderId: string, d: TrubitOrderDetail): Promise<void> {
    try {
      await this.transitions.applyTrubitStatus({
        trubitOrderId: d.orderId,
        orderStatus: d.orderStatus,
        hasRefund: d.hasRefund,
        traclingNumber: d.traclingNumber,
        source: 'reconcile',
      });
    } catch (err) {
      // The link is committed: the status sync of the next pass applies it.
      this.logger.error(`order ${orderId}: applying TruBit status failed: ${(err as Error).message}`);
    }
  }

  private async requeue(order: UnknownSubmission): Promise<UnknownResolution> {
    if (!(await this.repo.requeue(order))) return 'stale';
    try {
      // The submission processor's own producer: job id = order id + attempt number, so attempt n+1 (this
      // one) gets a job of its own and enqueueing twice is a no-op.
      await this.submissions.enqueue(order.id, order.submitAttempts);
    } catch (err) {
      await this.repo.unqueue(order);
      throw err;
    }
    this.logger.warn(
      `order ${order.id}: no TruBit order after ${this.config.reconcile.unknownGraceMs} ms; submitting again`,
    );
    return 'requeued';
  }
}

function factsOf(o: UnknownSubmission): SubmissionFacts {
  return {
    token: o.token,
    sellQuantity: o.sellQuantity.toString(),
    // submittedAt is set with SUBMITTING; createdAt only guards against a row that somehow lacks it.
    submittedAt: o.submittedAt ?? o.createdAt,
    trubitMerchantId: o.trubitMerchantId,
    trubitPaymentId: o.trubitPaymentId,
  };
}

import { Injectable } from '@nestjs/common';
import { ApiError } from '@app/common/errors/api.error';
import { TrubitAccountResolver } from '@app/modules/trubit/trubit-account.resolver';
import {
  TrubitBusinessError,
  TrubitError,
  TrubitRateLimitError,
  TrubitUnavailableError,
} from '@app/modules/trubit/trubit.errors';
import { ReconciliationRepository, type OrderReconcileState } from '../reconciliation.repository';
import { OrderStatusSyncer } from '../sync/order-status.syncer';
import { UnknownSubmissionResolver, type UnknownResolution } from '../unknown/unknown-submission.resolver';
import { toReconcileResultView, type ReconcileResultView } from '../outputs/reconcile-result.view';

/**
 * - synced / unchanged: a submitted order, checked against order/detail.
 * - an UnknownResolution: the order's order/add outcome was unknown (see UnknownSubmissionResolver).
 * - in_flight: order/add is being sent right now (SUBMITTING, not stuck yet).
 * - not_submitted: nothing at TruBit to compare with (not funded yet, queued, or refused for good).
 */
export type ReconcileAction = 'synced' | 'unchanged' | 'in_flight' | 'not_submitted' | UnknownResolution;

/** POST /admin/v1/orders/:id/reconcile: the pass's logic for one order, inline, then the order as it is. */
@Injectable()
export class OrderReconcileService {
  constructor(
    private readonly repo: ReconciliationRepository,
    private readonly accounts: TrubitAccountResolver,
    private readonly syncer: OrderStatusSyncer,
    private readonly unknowns: UnknownSubmissionResolver,
  ) {}

  async reconcile(orderId: string): Promise<ReconcileResultView> {
    const before = await this.repo.findState(orderId);
    if (!before) throw ApiError.notFound('Order');
    const action = await this.upstream(() => this.act(before));
    const after = (await this.repo.findState(orderId))!;
    return toReconcileResultView(action, before, after);
  }

  private async act(order: OrderReconcileState): Promise<ReconcileAction> {
    switch (order.submission) {
      case 'SUBMITTED': {
        if (!order.trubitOrderId) return 'not_submitted';
        const credentials = await this.accounts.forPartner(order.partnerId);
        const trubitOrderId = order.trubitOrderId;
        const changed = await this.syncer.syncOne({ ...order, trubitOrderId }, credentials);
        return changed ? 'synced' : 'unchanged';
      }
      case 'UNKNOWN':
      case 'SUBMITTING':
        return (await this.unknowns.resolveOne(order.id)) ?? 'in_flight';
      default:
        return 'not_submitted';
    }
  }

  /** TruBit failures in the public error vocabulary (partner-api.md §2). */
  private async upstream<T>(fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (err) {
      if (err instanceof TrubitBusinessError)
        throw new ApiError('UPSTREAM_REJECTED', `TruBit refused: ${err.msg || err.message}`, {
          trubitCode: err.code,
        });
      if (err instanceof TrubitError) {
        const retryMs = err instanceof TrubitRateLimitError ? err.retryAfterMs : 5000;
        const why = err instanceof TrubitUnavailableError ? err.reason : err.kind;
        throw new ApiError('UPSTREAM_UNAVAILABLE', `TruBit is unavailable (${why})`, undefined, {
          'Retry-After': Math.max(1, Math.ceil(retryMs / 1000)),
        });
      }
      throw err;
    }
  }
}

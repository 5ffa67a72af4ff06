import { Injectable } from '@nestjs/common';
import { ApiError } from '@app/common/errors/api.error';
import { OrderView, toOrderView } from '../outputs/order.view';
import { OrdersRepository } from '../repositories/orders.repository';
import { OrderTransitionService } from '../transitions/order-transition.service';

/** Orders a partner may still cancel: waiting for funds, or funded but not yet being sent to TruBit. */
export function isCancellable(o: { status: string; submission: string }): boolean {
  return o.status === 'PENDING_DEPOSIT' && (o.submission === 'NOT_SUBMITTED' || o.submission === 'QUEUED');
}

/**
 * POST /orders/:id/cancel. The guard runs under the order's row lock, and the submission processor only
 * moves QUEUED → SUBMITTING with a conditional update on the same row, so exactly one of them wins: a
 * cancelled order is never sent, and an order being sent is never cancelled.
 */
@Injectable()
export class OrderCancelService {
  constructor(
    private readonly repo: OrdersRepository,
    private readonly transitions: OrderTransitionService,
  ) {}

  async cancel(partnerId: string, id: string): Promise<OrderView> {
    if (!(await this.repo.findForPartner(partnerId, id))) throw ApiError.notFound('Order');
    const result = await this.transitions.transition(
      id,
      'CANCELLED',
      { reason: 'cancelled by partner' },
      { submission: 'NOT_SUBMITTED', reservedQuantity: 0 },
      isCancellable,
    );
    if (!result?.entered.includes('CANCELLED')) {
      throw new ApiError(
        'ORDER_NOT_CANCELLABLE',
        'Only orders waiting for funds (not yet at TruBit) can be cancelled',
      );
    }
    const order = await this.repo.findForPartner(partnerId, id);
    if (!order) throw ApiError.notFound('Order');
    return toOrderView(order);
  }
}

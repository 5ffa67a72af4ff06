// Orders (§3.5): list, detail, add, finish. Only the caller's own orders exist for it.
import type { FieldReader } from '@sim/common/field.reader';
import { otcErrors } from '@sim/common/otc.error';
import type { OrderMachine } from '@sim/orders/order.machine';
import { OrderStatus, type SimOrder } from '@sim/orders/order.model';
import type { OrderPlacer } from '@sim/orders/order.placer';
import { orderDetail, orderSummary } from '@sim/orders/order.presenter';
import type { SimAccount } from '@sim/state/account.store';
import type { SimState } from '@sim/state/sim.state';
import type { RuntimeConfig } from '@sim/simulator.options';
import { withAccount, type OtcRoute } from './otc.route';

export function orderRoutes(
  state: SimState,
  config: RuntimeConfig,
  placer: OrderPlacer,
  machine: OrderMachine,
): OtcRoute[] {
  return [
    {
      method: 'GET',
      path: 'order/list',
      signed: true,
      weight: 5,
      handler: (ctx) => {
        const { input } = ctx;
        const page = input.optionalInt('currentPage') ?? 1;
        const size = input.optionalInt('pageSize') ?? 10;
        if (page < 1) throw otcErrors.invalidParam('currentPage');
        if (size < 1 || size > 500) throw otcErrors.invalidParam('pageSize');
        const result = state.orders.page(withAccount(ctx).apiKey, {
          page,
          size,
          pending: input.optionalBool('isPending'),
          order: config.listOrder,
        });
        return {
          currentPage: page,
          size,
          total: result.total,
          pendingOrders: result.pending,
          record: result.records.map(orderSummary),
        };
      },
    },
    {
      method: 'GET',
      path: 'order/detail',
      signed: true,
      weight: 1,
      handler: (ctx) => orderDetail(ownOrder(state, withAccount(ctx), ctx.input), config),
    },
    {
      method: 'POST',
      path: 'order/add',
      signed: true,
      weight: 1,
      // The id goes out as a JSON string: it is above 2^53 and clients would otherwise lose digits.
      handler: (ctx) => ({ orderId: placer.place(withAccount(ctx), ctx.input).orderId.toString() }),
    },
    {
      method: 'POST',
      path: 'order/finish',
      signed: true,
      weight: 1,
      handler: (ctx) => {
        finish(machine, ownOrder(state, withAccount(ctx), ctx.input));
        return { result: true, msg: '' };
      },
    },
  ];
}

function ownOrder(state: SimState, account: SimAccount, input: FieldReader): SimOrder {
  const order = state.orders.getOwned(account.apiKey, input.requiredId('orderId'));
  if (!order) throw otcErrors.noSuchOrder();
  return order;
}

/**
 * The API user's "my side is done" (§5): BUY at 40 means "I have paid" (-> 50), SELL at 50 means "fiat
 * received, release" (-> 60). Anything else is refused with the code that says why.
 */
function finish(machine: OrderMachine, order: SimOrder): void {
  if (order.orderType === 'BUY' && order.status === OrderStatus.PENDING_PAYMENT) {
    return machine.transition(order, OrderStatus.PAID, 'order/finish');
  }
  if (order.orderType === 'SELL' && order.status === OrderStatus.PAID) {
    return machine.transition(order, OrderStatus.RELEASED, 'order/finish');
  }
  if (order.status === OrderStatus.RELEASED) throw otcErrors.orderFilled();
  if (order.status === OrderStatus.CANCELED || order.status === OrderStatus.REJECTED)
    throw otcErrors.orderCancelled();
  throw otcErrors.invalidParam('orderId', `Order status ${order.status} cannot be finished.`);
}

// All orders of all accounts, keyed by the decimal string of the snowflake id (Map keys must be exact).
import { PENDING_STATUSES, type SimOrder } from './order.model';

export interface OrderPage {
  total: number;
  pending: number;
  records: SimOrder[];
}

export class OrderBook {
  private readonly orders = new Map<string, SimOrder>();

  add(order: SimOrder): void {
    this.orders.set(order.orderId.toString(), order);
  }

  get(orderId: bigint | string): SimOrder | undefined {
    return this.orders.get(orderId.toString());
  }

  /** Only the caller's own orders exist for it: another account's id answers "Order does not exist". */
  getOwned(apiKey: string, orderId: bigint): SimOrder | undefined {
    const order = this.get(orderId);
    return order && order.apiKey === apiKey ? order : undefined;
  }

  all(): SimOrder[] {
    return [...this.orders.values()];
  }

  /**
   * One page of an account's orders, oldest first by default ("Data is returned in ascending order").
   * `pending` filters as documented: true = only 10/30/40/50, false = only finished ones.
   */
  page(
    apiKey: string,
    opts: { page: number; size: number; pending?: boolean; order: 'asc' | 'desc' },
  ): OrderPage {
    const mine = this.all().filter((o) => o.apiKey === apiKey);
    const pendingCount = mine.filter((o) => PENDING_STATUSES.has(o.status)).length;
    let rows =
      opts.pending === undefined ? mine : mine.filter((o) => PENDING_STATUSES.has(o.status) === opts.pending);
    rows = rows.sort((a, b) => (a.orderId < b.orderId ? -1 : a.orderId > b.orderId ? 1 : 0));
    if (opts.order === 'desc') rows.reverse();
    const start = (opts.page - 1) * opts.size;
    return { total: rows.length, pending: pendingCount, records: rows.slice(start, start + opts.size) };
  }

  clear(): void {
    this.orders.clear();
  }
}

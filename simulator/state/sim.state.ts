// Everything the simulator knows, in one place, so in-process tests can look at (or arrange) ground truth
// directly: accounts with balances, merchants with payout methods, and the order book.
import { SnowflakeGenerator } from '@sim/common/snowflake.generator';
import { OrderBook } from '@sim/orders/order.book';
import { AccountStore } from './account.store';
import { MerchantRegistry } from './merchant.registry';

export class SimState {
  readonly ids: SnowflakeGenerator;
  readonly accounts: AccountStore;
  readonly merchants: MerchantRegistry;
  readonly orders = new OrderBook();

  constructor(readonly clock: () => number) {
    this.ids = new SnowflakeGenerator(7n, clock);
    this.accounts = new AccountStore(this.ids, clock);
    this.merchants = new MerchantRegistry(clock);
  }

  clear(): void {
    this.accounts.clear();
    this.merchants.clear();
    this.orders.clear();
  }
}

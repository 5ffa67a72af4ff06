import { OrderView } from './order.view';

/**
 * Where to send tokens so a PENDING_DEPOSIT order can be funded: the TruBit deposit address of the account
 * the partner trades on and the quantity missing when the order was created (more may be needed if other
 * orders take funds first). `address` is null when TruBit could not be asked.
 */
export interface DepositInstructions {
  token: string;
  chain: string;
  address: string | null;
  addressTag: string | null;
  amount: number;
}

/** The 201 of POST /orders: the order view, plus `deposit` when it waits for funds. */
export type CreatedOrderView = OrderView & { deposit?: DepositInstructions };

/** Chains TruBit accepts deposits on, per token the gateway trades (trubit-otc.md §3.6). */
export const DEPOSIT_CHAINS: Readonly<Record<string, readonly string[]>> = {
  USDT: ['TRC20', 'ERC20'],
};

/** Where PENDING_DEPOSIT orders tell partners to send funds: TRC20 is the cheap USDT rail. */
export const DEFAULT_DEPOSIT_CHAIN = 'TRC20';

export function isSupportedDeposit(token: string, chain: string): boolean {
  return DEPOSIT_CHAINS[token]?.includes(chain) ?? false;
}

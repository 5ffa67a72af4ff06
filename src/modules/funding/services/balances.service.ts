import { Inject, Injectable } from '@nestjs/common';
import Decimal from 'decimal.js';
import { APP_CONFIG, AppConfig } from '@app/config/app-config';
import { ApiError } from '@app/common/errors/api.error';
import { token as tokenNumber } from '@app/common/money/money';
import { PrismaService } from '@app/infra/prisma/prisma.service';
import { upstreamReadError } from '@app/modules/exchange-rate/upstream-error.mapper';
import { isSupportedToken } from '@app/modules/exchange-rate/supported-tokens';
import { FundingAccounts } from '../accounts/funding-accounts';
import { isSupportedDeposit } from '../deposit-chains';
import { BalanceSnapshots } from './balance-snapshot.service';
import { DepositAddress, DepositAddresses } from './deposit-address.service';
import { FundsReservations } from './funds-reservation.service';

export interface BalanceView {
  token: string;
  total: number;
  free: number;
  locked: number;
  /** Held for this account's orders that TruBit has not locked yet. */
  reserved: number;
  /** What new orders can use now: free − reserved (never below 0). */
  available: number;
}

/** GET /balances is served from a read at most this old (TruBit weighs `account` at 5). */
const BALANCES_MAX_AGE_MS = 1000;

/** The partner's TruBit account as partners see it: balances net of the gateway's reservations, deposit address. */
@Injectable()
export class BalancesService {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly prisma: PrismaService,
    private readonly accounts: FundingAccounts,
    private readonly snapshots: BalanceSnapshots,
    private readonly reservations: FundsReservations,
    private readonly addresses: DepositAddresses,
  ) {}

  async balances(partnerId: string): Promise<{ balances: BalanceView[] }> {
    const account = await this.accounts.forPartner(partnerId);
    const snapshot = await this.snapshots
      .get(account, BALANCES_MAX_AGE_MS)
      .catch((err: unknown) => Promise.reject(this.upstream(err)));
    const committed = await this.reservations.commitments(this.prisma, account, snapshot.takenAt);
    const tokens = new Set([...snapshot.balances.map((b) => b.asset), ...committed.keys()]);
    const balances = [...tokens].sort().map((token) => {
      const b = snapshot.balances.find((x) => x.asset === token);
      const free = new Decimal(b?.free ?? 0);
      const reserved = committed.get(token) ?? new Decimal(0);
      return {
        token,
        total: tokenNumber(b?.total ?? 0),
        free: tokenNumber(free),
        locked: tokenNumber(b?.locked ?? 0),
        reserved: tokenNumber(reserved),
        available: tokenNumber(Decimal.max(0, free.minus(reserved))),
      };
    });
    return { balances };
  }

  async depositAddress(partnerId: string, token: string, chain: string): Promise<DepositAddress> {
    if (!isSupportedToken(token) || !isSupportedDeposit(token, chain)) {
      throw new ApiError('UNSUPPORTED_TOKEN', `Deposits of ${token} on ${chain} are not supported`, [
        { field: isSupportedToken(token) ? 'chain' : 'token', problem: 'not supported' },
      ]);
    }
    const account = await this.accounts.forPartner(partnerId);
    return this.addresses
      .get(account, token, chain)
      .catch((err: unknown) => Promise.reject(this.upstream(err)));
  }

  private upstream(err: unknown): unknown {
    return upstreamReadError(err, this.config.trubit.breaker.resetTimeoutMs);
  }
}

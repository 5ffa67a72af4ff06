import { Inject, Injectable } from '@nestjs/common';
import { RedisService } from '@app/infra/redis/redis.service';
import { Clock } from '@app/infra/clock/clock';
import { TRUBIT_API } from '@app/modules/trubit/trubit.constants';
import type { TrubitApi } from '@app/modules/trubit/trubit-api.interface';
import { FundingAccount } from '../accounts/funding-accounts';

export interface SnapshotBalance {
  asset: string;
  total: string;
  free: string;
  locked: string;
}

/** TruBit `account` balances as read at `takenAt` (ms). */
export interface BalanceSnapshot {
  takenAt: number;
  balances: SnapshotBalance[];
}

/** Order creation accepts a balance this old: `account` weighs 5 of TruBit's 1200 per minute. */
export const ORDER_SNAPSHOT_MAX_AGE_MS = 1000;
const CACHE_TTL_MS = 60_000;

/**
 * Reads an account's balances from TruBit, shared through Redis for a short while (every instance and the
 * worker reuse one read) and single-flight within the process. Staleness is accounted for by the reservation
 * maths (FundsReservations), not hidden here: every snapshot carries the time it was taken.
 */
@Injectable()
export class BalanceSnapshots {
  private readonly inFlight = new Map<string, Promise<BalanceSnapshot>>();

  constructor(
    @Inject(TRUBIT_API) private readonly trubit: TrubitApi,
    private readonly redis: RedisService,
    private readonly clock: Clock,
  ) {}

  /** A snapshot no older than `maxAgeMs` (0 = read TruBit now). Throws TrubitError when TruBit cannot answer. */
  async get(account: FundingAccount, maxAgeMs = ORDER_SNAPSHOT_MAX_AGE_MS): Promise<BalanceSnapshot> {
    if (maxAgeMs > 0) {
      const cached = await this.cached(account);
      if (cached && this.clock.nowMs() - cached.takenAt <= maxAgeMs) return cached;
    }
    let pending = this.inFlight.get(account.id);
    if (!pending) {
      pending = this.read(account).finally(() => this.inFlight.delete(account.id));
      this.inFlight.set(account.id, pending);
    }
    return pending;
  }

  private async read(account: FundingAccount): Promise<BalanceSnapshot> {
    const takenAt = this.clock.nowMs();
    const res = await this.trubit.getAccount(account.credentials);
    const snapshot: BalanceSnapshot = {
      takenAt,
      balances: (res.balances ?? []).map((b) => ({
        asset: b.asset,
        total: String(b.total ?? '0'),
        free: String(b.free ?? '0'),
        locked: String(b.locked ?? '0'),
      })),
    };
    await this.redis.client
      .set(this.key(account), JSON.stringify(snapshot), 'PX', CACHE_TTL_MS)
      .catch(() => undefined);
    return snapshot;
  }

  private async cached(account: FundingAccount): Promise<BalanceSnapshot | null> {
    const raw = await this.redis.client.get(this.key(account)).catch(() => null);
    if (!raw) return null;
    try {
      return JSON.parse(raw) as BalanceSnapshot;
    } catch {
      return null;
    }
  }

  private key(account: FundingAccount): string {
    return this.redis.key('funds', 'snapshot', account.id);
  }
}

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

/** Past this share of the allowed age, a snapshot in use is replaced in the background (refresh-ahead). */
const REFRESH_AHEAD_AT = 0.75;

/**
 * Reads an account's balances from TruBit, shared through Redis for a short while (every instance and the
 * worker reuse one read), kept in process, and single-flight within the process. Staleness is accounted for by
 * the reservation maths (FundsReservations), not hidden here: every snapshot carries the time it was taken.
 *
 * Refresh-ahead: while orders keep coming, a snapshot past 3/4 of its allowed age is replaced in the background,
 * so order creation never waits for a TruBit round trip in steady state; TruBit still sees about one `account`
 * read per second per account (weight 5 of 1200/min), as without it.
 */
@Injectable()
export class BalanceSnapshots {
  private readonly inFlight = new Map<string, Promise<BalanceSnapshot>>();
  private readonly local = new Map<string, BalanceSnapshot>();

  constructor(
    @Inject(TRUBIT_API) private readonly trubit: TrubitApi,
    private readonly redis: RedisService,
    private readonly clock: Clock,
  ) {}

  /** A snapshot no older than `maxAgeMs` (0 = read TruBit now). Throws TrubitError when TruBit cannot answer. */
  async get(account: FundingAccount, maxAgeMs = ORDER_SNAPSHOT_MAX_AGE_MS): Promise<BalanceSnapshot> {
    if (maxAgeMs <= 0) return this.refresh(account, 0);
    let snapshot = this.local.get(account.id);
    if (!snapshot || this.ageOf(snapshot) > maxAgeMs)
      snapshot = (await this.adoptShared(account)) ?? snapshot;
    if (snapshot && this.ageOf(snapshot) <= maxAgeMs) {
      if (this.ageOf(snapshot) > maxAgeMs * REFRESH_AHEAD_AT) {
        this.refresh(account, maxAgeMs * (1 - REFRESH_AHEAD_AT)).catch(() => undefined);
      }
      return snapshot;
    }
    return this.refresh(account, 0);
  }

  /** Single-flight: a fresh read, unless another instance stored one younger than `acceptSharedMs`. */
  private refresh(account: FundingAccount, acceptSharedMs: number): Promise<BalanceSnapshot> {
    let pending = this.inFlight.get(account.id);
    if (!pending) {
      pending = (async () => {
        if (acceptSharedMs > 0) {
          const shared = await this.adoptShared(account);
          if (shared && this.ageOf(shared) <= acceptSharedMs) return shared;
        }
        return this.read(account);
      })().finally(() => this.inFlight.delete(account.id));
      this.inFlight.set(account.id, pending);
    }
    return pending;
  }

  private ageOf(snapshot: BalanceSnapshot): number {
    return this.clock.nowMs() - snapshot.takenAt;
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
    this.remember(account, snapshot);
    await this.redis.client
      .set(this.key(account), JSON.stringify(snapshot), 'PX', CACHE_TTL_MS)
      .catch(() => undefined);
    return snapshot;
  }

  /** The Redis copy when it is newer than ours (another instance read it), kept in process. */
  private async adoptShared(account: FundingAccount): Promise<BalanceSnapshot | null> {
    const shared = await this.cached(account);
    if (!shared) return null;
    return this.remember(account, shared);
  }

  /** Keeps the newest snapshot of the account in process and returns it. */
  private remember(account: FundingAccount, snapshot: BalanceSnapshot): BalanceSnapshot {
    const current = this.local.get(account.id);
    if (current && current.takenAt >= snapshot.takenAt) return current;
    this.local.set(account.id, snapshot);
    return snapshot;
  }

  private async cached(account: FundingAccount): Promise<BalanceSnapshot | null> {
    const raw = await this.redis.client.get(this.key(account)).catch(() => null);
    if (!raw) return null;
    try {
      const parsed = JSON.parse(raw) as BalanceSnapshot;
      return typeof parsed?.takenAt === 'number' && Array.isArray(parsed.balances) ? parsed : null;
    } catch {
      return null;
    }
  }

  private key(account: FundingAccount): string {
    return this.redis.key('funds', 'snapshot', account.id);
  }
}

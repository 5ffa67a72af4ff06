import { Injectable } from '@nestjs/common';
import { Clock } from '@app/infra/clock/clock';
import { EMPTY_STATS, EndUserRecord, toUserView, UserOutput } from './outputs/user.view';
import { Db, UsersRepository } from './users.repository';
import { startOfUtcMonth } from './utc-month';

/** Builds partner-visible user views with their order totals (also used for user.kyc_* webhook data). */
@Injectable()
export class UserViews {
  constructor(
    private readonly users: UsersRepository,
    private readonly clock: Clock,
  ) {}

  async many(partnerId: string, rows: EndUserRecord[], db?: Db): Promise<UserOutput[]> {
    const stats = await this.users.stats(
      partnerId,
      rows.map((r) => r.id),
      startOfUtcMonth(this.clock.now()),
      db,
    );
    return rows.map((r) => toUserView(r, stats.get(r.id) ?? EMPTY_STATS));
  }

  async one(row: EndUserRecord, db?: Db): Promise<UserOutput> {
    const [view] = await this.many(row.partnerId, [row], db);
    return view;
  }
}

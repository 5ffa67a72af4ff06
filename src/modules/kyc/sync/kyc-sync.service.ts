import { Inject, Injectable, Logger } from '@nestjs/common';
import { Clock } from '@app/infra/clock/clock';
import { PrismaService } from '@app/infra/prisma/prisma.service';
import { writeOutboxEvent } from '@app/modules/outbox/outbox.writer';
import type { TrubitApi } from '@app/modules/trubit/trubit-api.interface';
import { TrubitAccountResolver } from '@app/modules/trubit/trubit-account.resolver';
import { TRUBIT_API } from '@app/modules/trubit/trubit.constants';
import type { TrubitCredentials } from '@app/modules/trubit/trubit.options';
import { UserViews } from '@app/modules/users/user-views.service';
import { UsersRepository } from '@app/modules/users/users.repository';
import { KycRepository, PendingKycUser } from '../kyc.repository';
import { MERCHANT_STATUS } from '../merchant.opener';

export interface KycSyncReport {
  accounts: number;
  pending: number;
  approved: number;
  rejected: number;
  failedAccounts: number;
}

/**
 * TruBit has no merchant callback: each pass lists the merchants (mc/list, once per TruBit account that has
 * PENDING users) and applies status 2 → APPROVED, 3 → REJECTED. Each verdict is one transaction with its
 * user.kyc_* outbox row, conditional on the user still being PENDING, so repeated or concurrent passes never
 * emit twice.
 */
@Injectable()
export class KycSyncService {
  private readonly logger = new Logger('KycSync');

  constructor(
    private readonly prisma: PrismaService,
    private readonly kyc: KycRepository,
    private readonly users: UsersRepository,
    private readonly views: UserViews,
    private readonly accounts: TrubitAccountResolver,
    @Inject(TRUBIT_API) private readonly trubit: TrubitApi,
    private readonly clock: Clock,
  ) {}

  async run(): Promise<KycSyncReport> {
    const report: KycSyncReport = { accounts: 0, pending: 0, approved: 0, rejected: 0, failedAccounts: 0 };
    const groups = await this.groupByAccount(await this.kyc.partnersWithPending());
    for (const { creds, partnerIds } of groups.values()) {
      report.accounts++;
      let statusById: Map<string, number>;
      try {
        const list = await this.trubit.listMerchants(creds);
        statusById = new Map((Array.isArray(list) ? list : []).map((m) => [String(m.id), Number(m.status)]));
      } catch (err) {
        // One account's failure must not stop the others; the next pass retries it.
        report.failedAccounts++;
        this.logger.warn(`mc/list failed for partners ${partnerIds.join(',')}: ${(err as Error).message}`);
        continue;
      }
      for (const user of await this.kyc.pendingUsers(partnerIds)) {
        report.pending++;
        const status = statusById.get(user.trubitMerchantId);
        if (status === MERCHANT_STATUS.NORMAL && (await this.settle(user, 'APPROVED'))) report.approved++;
        if (status === MERCHANT_STATUS.FAILED && (await this.settle(user, 'REJECTED'))) report.rejected++;
      }
    }
    return report;
  }

  private async groupByAccount(partnerIds: string[]) {
    const groups = new Map<string, { creds: TrubitCredentials | undefined; partnerIds: string[] }>();
    for (const partnerId of partnerIds) {
      const key = await this.accounts.accountKey(partnerId);
      const group = groups.get(key) ?? { creds: await this.accounts.forPartner(partnerId), partnerIds: [] };
      group.partnerIds.push(partnerId);
      groups.set(key, group);
    }
    return groups;
  }

  private async settle(user: PendingKycUser, verdict: 'APPROVED' | 'REJECTED'): Promise<boolean> {
    const now = this.clock.now();
    return this.prisma.$transaction(async (tx) => {
      if (!(await this.kyc.settle(tx, user, verdict, now))) return false;
      const row = await this.users.findById(user.partnerId, user.id, tx);
      if (!row) return false;
      await writeOutboxEvent(
        tx,
        {
          partnerId: user.partnerId,
          event: verdict === 'APPROVED' ? 'user.kyc_approved' : 'user.kyc_rejected',
          data: { ...(await this.views.one(row, tx)) },
        },
        now,
      );
      return true;
    });
  }
}

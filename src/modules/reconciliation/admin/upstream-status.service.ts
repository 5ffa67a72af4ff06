import { Injectable } from '@nestjs/common';
import { PrismaService } from '@app/infra/prisma/prisma.service';
import { accountId, FundingAccounts } from '@app/modules/funding/accounts/funding-accounts';
import { SubmissionAdmission } from '@app/modules/orders/submission/submission.admission';
import { TrubitClient } from '@app/modules/trubit/trubit.client';
import type { TrubitBudget } from '@app/modules/trubit/trubit-rate-limiter.base';
import type { TrubitBreakerStateName } from '@app/modules/trubit/trubit-api.interface';

export interface UpstreamAccountBudget {
  /** 'operator' or 'partner:<id>'. */
  account: string;
  partnerId: string | null;
  budget: TrubitBudget;
  /**
   * The account's submission line (SubmissionAdmission): funded orders' jobs waiting for TruBit's order rate,
   * of which the first `heads` may be submitting.
   */
  submissionLine: { waiting: number; heads: number };
}

export interface UpstreamStatusView {
  circuit: { state: TrubitBreakerStateName; stats: Record<string, unknown> };
  /** Failed / (failed + succeeded) TruBit calls in the breaker's rolling window; null without calls. */
  errorRate: number | null;
  requests: { succeeded: number; failed: number; timedOut: number; rejected: number };
  /** Outbound REQUESTS_WEIGHT / ORDERS budget per TruBit account (shared by every gateway instance). */
  budgets: UpstreamAccountBudget[];
  checkedAt: string;
}

/**
 * What operators see of TruBit from this instance: the circuit breaker (state and rolling counters), and for the
 * operator's account and each partner trading on its own credentials the outbound budget and the line of
 * funded orders waiting for TruBit's order rate.
 */
@Injectable()
export class UpstreamStatusService {
  constructor(
    private readonly trubit: TrubitClient,
    private readonly prisma: PrismaService,
    private readonly accounts: FundingAccounts,
    private readonly admission: SubmissionAdmission,
  ) {}

  async status(): Promise<UpstreamStatusView> {
    const breaker = this.trubit.getBreakerState();
    const n = (key: string) => Number(breaker.stats[key] ?? 0) || 0;
    const succeeded = n('successes');
    const failed = n('failures');
    const own = await this.prisma.partner.findMany({
      where: { trubitApiKey: { not: null } },
      select: { id: true, trubitApiKey: true },
      orderBy: { createdAt: 'asc' },
      take: 100,
    });
    const line = async (apiKey: string) => ({
      waiting: await this.admission.waiting({ id: accountId(apiKey) }),
      heads: this.admission.heads,
    });
    const budgets: UpstreamAccountBudget[] = [
      {
        account: 'operator',
        partnerId: null,
        budget: await this.trubit.getBudget(),
        submissionLine: await line(this.accounts.operatorApiKey),
      },
    ];
    for (const p of own) {
      // The limiter keys budgets by API key only; the secret is not needed to read them.
      const budget = await this.trubit.getBudget({ apiKey: p.trubitApiKey!, apiSecret: '' });
      budgets.push({
        account: `partner:${p.id}`,
        partnerId: p.id,
        budget,
        submissionLine: await line(p.trubitApiKey!),
      });
    }
    return {
      circuit: { state: breaker.state, stats: breaker.stats },
      errorRate:
        succeeded + failed > 0 ? Math.round((failed / (succeeded + failed)) * 10_000) / 10_000 : null,
      requests: { succeeded, failed, timedOut: n('timeouts'), rejected: n('rejects') },
      budgets,
      checkedAt: new Date().toISOString(),
    };
  }
}

import { Injectable } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { ApiError } from '@app/common/errors/api.error';
import { Clock } from '@app/infra/clock/clock';
import type { PartnerContext } from '@app/modules/partners/auth/partner-context';
import { TrubitAccountResolver } from '@app/modules/trubit/trubit-account.resolver';
import type { EndUserRecord } from '@app/modules/users/outputs/user.view';
import { UsersService } from '@app/modules/users/users.service';
import { startOfUtcMonth } from '@app/modules/users/utc-month';
import { StartKycInput } from './inputs/start-kyc.input';
import { checkKycIdentity } from './kyc-identity.rules';
import { KycStartLock } from './kyc-start.lock';
import { KycRepository } from './kyc.repository';
import { MerchantOpener } from './merchant.opener';
import { nextMerchantName, toAddMerchantRequest } from './merchant-request.mapper';
import { KycSessionResult } from './outputs/kyc-session.output';

const newSessionId = () => `kyc_${Date.now().toString(36)}${randomBytes(8).toString('hex')}`;

/**
 * POST /users/:ref/kyc for GATEWAY_MANAGED partners: opens the user's TruBit merchant (TruBit runs the
 * KYC/KYB on it) and records the session as PENDING; KycSyncService later applies TruBit's verdict.
 * A user whose session is PENDING or APPROVED gets that session back (200) instead of a new one.
 */
@Injectable()
export class KycSessionService {
  constructor(
    private readonly users: UsersService,
    private readonly kyc: KycRepository,
    private readonly merchants: MerchantOpener,
    private readonly accounts: TrubitAccountResolver,
    private readonly lock: KycStartLock,
    private readonly clock: Clock,
  ) {}

  async start(partner: PartnerContext, ref: string, input: StartKycInput): Promise<KycSessionResult> {
    if (partner.kycModel !== 'GATEWAY_MANAGED') {
      throw new ApiError('KYC_NOT_AVAILABLE', 'KYC is managed by the partner (PARTNER_MANAGED model)');
    }
    const problems = checkKycIdentity(input, this.clock.now());
    if (problems.length) throw ApiError.validation(problems, `${problems[0].field}: ${problems[0].problem}`);

    const user = await this.users.require(partner.id, ref);
    if (hasSession(user)) return existing(user);

    const limit = partner.limits.kycPerMonth;
    // With a monthly allowance the whole partner is serialised (count, then start); without one, only the user.
    const scope = limit === null ? `${partner.id}:${user.id}` : partner.id;
    return this.lock.run(scope, async () => {
      const current = await this.users.require(partner.id, ref);
      if (hasSession(current)) return existing(current);
      const now = this.clock.now();
      if (limit !== null && (await this.kyc.countStartedSince(partner.id, startOfUtcMonth(now))) >= limit) {
        throw new ApiError('KYC_LIMIT_REACHED', `Monthly KYC limit of ${limit} reached for this partner`);
      }
      const previous = current.kycStatus === 'REJECTED' ? current.trubitMerchantName : null;
      const merchant = await this.merchants.open(
        toAddMerchantRequest(input, nextMerchantName(current.id, previous)),
        await this.accounts.forPartner(partner.id),
      );
      const sessionId = newSessionId();
      const recorded = await this.kyc.markPending(partner.id, current.id, {
        kycSessionId: sessionId,
        kycRequestedTier: input.level,
        kycRequestedAt: now,
        trubitMerchantId: merchant.merchantId,
        trubitMerchantName: merchant.merchantName,
      });
      if (!recorded) return existing(await this.users.require(partner.id, ref));
      return {
        created: true,
        session: { kycStatus: 'PENDING', level: input.level, sessionId, createdAt: now.toISOString() },
      };
    });
  }
}

const hasSession = (u: EndUserRecord) => u.kycStatus === 'PENDING' || u.kycStatus === 'APPROVED';

function existing(u: EndUserRecord): KycSessionResult {
  return {
    created: false,
    session: {
      kycStatus: u.kycStatus,
      level: u.kycRequestedTier ?? u.kycTier,
      sessionId: u.kycSessionId,
      createdAt: u.kycRequestedAt?.toISOString() ?? null,
    },
  };
}

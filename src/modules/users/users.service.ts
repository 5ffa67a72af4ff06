import { Injectable } from '@nestjs/common';
import { ApiError } from '@app/common/errors/api.error';
import { PaginationInput, page } from '@app/common/http/pagination.input';
import { Clock } from '@app/infra/clock/clock';
import { newId } from '@app/infra/crypto/ids';
import type { PartnerContext } from '@app/modules/partners/auth/partner-context';
import { CreateUserInput } from './inputs/create-user.input';
import { EMPTY_STATS, EndUserRecord, toUserView, UserOutput } from './outputs/user.view';
import { NewEndUser, UsersRepository } from './users.repository';
import { UserViews } from './user-views.service';
import { startOfUtcMonth } from './utc-month';

/** POST /users, GET /users, GET /users/:ref. */
@Injectable()
export class UsersService {
  constructor(
    private readonly users: UsersRepository,
    private readonly views: UserViews,
    private readonly clock: Clock,
  ) {}

  async create(partner: PartnerContext, input: CreateUserInput): Promise<UserOutput> {
    const user: NewEndUser = {
      id: newId.user(),
      partnerId: partner.id,
      partnerUserRef: input.partnerUserRef,
    };
    const attestation = input.kycAttestation;
    if (attestation) {
      // A GATEWAY_MANAGED partner's users are verified by us (POST /users/:ref/kyc): a self-declared
      // attestation from such a partner is a field it may not send, hence a validation error.
      if (partner.kycModel !== 'PARTNER_MANAGED') {
        throw ApiError.validation(
          [{ field: 'kycAttestation', problem: 'only accepted for PARTNER_MANAGED partners' }],
          'kycAttestation is only accepted for partners with the PARTNER_MANAGED KYC model',
        );
      }
      const verifiedAt = new Date(attestation.verifiedAt);
      user.kycStatus = 'APPROVED';
      user.kycTier = attestation.level;
      user.kycCompletedAt = verifiedAt;
      user.kycAttestation = {
        level: attestation.level,
        provider: attestation.provider,
        reference: attestation.reference,
        verifiedAt: verifiedAt.toISOString(),
      };
    }
    const result = await this.users.createWithinLimit(
      user,
      partner.limits.monthlyUsers,
      startOfUtcMonth(this.clock.now()),
    );
    if ('refused' in result) {
      throw result.refused === 'DUPLICATE_USER'
        ? new ApiError('DUPLICATE_USER', `User with partnerUserRef '${input.partnerUserRef}' already exists`)
        : new ApiError(
            'USER_LIMIT_REACHED',
            `Monthly user limit of ${partner.limits.monthlyUsers} reached for this partner`,
          );
    }
    return toUserView(result.created, EMPTY_STATS);
  }

  async list(partner: PartnerContext, p: PaginationInput) {
    const { items, total } = await this.users.list(partner.id, p.limit, p.offset);
    return page('users', await this.views.many(partner.id, items), total, p);
  }

  async get(partner: PartnerContext, ref: string): Promise<UserOutput> {
    return this.views.one(await this.require(partner.id, ref));
  }

  /** The partner's user with this ref, or NOT_FOUND (also for another partner's user: same path). */
  async require(partnerId: string, ref: string): Promise<EndUserRecord> {
    const user = await this.users.findByRef(partnerId, ref);
    if (!user) throw ApiError.notFound('User');
    return user;
  }
}

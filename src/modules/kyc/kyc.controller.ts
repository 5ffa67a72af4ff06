import { Body, Controller, Param, Post, Res, UseGuards } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiSecurity, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { CurrentPartner, PartnerAuthGuard } from '@app/modules/partners/auth/partner-auth.guard';
import type { PartnerContext } from '@app/modules/partners/auth/partner-context';
import { UserRefParams } from '@app/modules/users/inputs/user-ref.params';
import { StartKycInput } from './inputs/start-kyc.input';
import { KycSessionService } from './kyc-session.service';
import { KycSessionOutput } from './outputs/kyc-session.output';

@ApiTags('partner')
@ApiSecurity('apiKey')
@UseGuards(PartnerAuthGuard)
@Controller('api/v1/users/:ref/kyc')
export class KycController {
  constructor(private readonly sessions: KycSessionService) {}

  @Post()
  @ApiCreatedResponse({
    type: KycSessionOutput,
    description:
      'Session started. Errors: VALIDATION_ERROR, KYC_NOT_AVAILABLE (400), NOT_FOUND (404), KYC_LIMIT_REACHED (403), KYC_SESSION_FAILED (502)',
  })
  @ApiOkResponse({
    type: KycSessionOutput,
    description: 'The user already has a PENDING or APPROVED session',
  })
  async start(
    @CurrentPartner() partner: PartnerContext,
    @Param() params: UserRefParams,
    @Body() input: StartKycInput,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<KycSessionOutput> {
    const result = await this.sessions.start(partner, params.ref, input);
    void reply.status(result.created ? 201 : 200);
    return result.session;
  }
}

import { Controller, Get, Res, UseGuards } from '@nestjs/common';
import { ApiExcludeEndpoint, ApiOkResponse, ApiSecurity, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { CurrentPartner, PartnerAuthGuard } from '@app/modules/partners/auth/partner-auth.guard';
import type { PartnerContext } from '@app/modules/partners/auth/partner-context';
import { ReadinessService } from './readiness.service';
import { PartnerHealthOutput } from './outputs/partner-health.output';

@Controller()
export class HealthController {
  constructor(private readonly readiness: ReadinessService) {}

  @ApiTags('partner')
  @ApiSecurity('apiKey')
  @ApiOkResponse({ type: PartnerHealthOutput })
  @UseGuards(PartnerAuthGuard)
  @Get('api/v1/health')
  partnerHealth(@CurrentPartner() partner: PartnerContext): PartnerHealthOutput {
    return { status: 'ok', partner: partner.name, tier: partner.tier, timestamp: new Date().toISOString() };
  }

  @ApiExcludeEndpoint()
  @Get('healthz')
  live() {
    return { status: 'ok' };
  }

  @ApiExcludeEndpoint()
  @Get('readyz')
  async ready(@Res() reply: FastifyReply): Promise<void> {
    const checks = await this.readiness.check();
    const ok = Object.values(checks).every((c) => c === 'ok');
    void reply.status(ok ? 200 : 503).send({ status: ok ? 'ok' : 'unavailable', checks });
  }
}

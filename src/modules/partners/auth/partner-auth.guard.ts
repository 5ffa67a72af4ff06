import { CanActivate, ExecutionContext, Injectable, createParamDecorator } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ApiError } from '@app/common/errors/api.error';
import { RedisRateLimiter } from '../limits/redis-rate.limiter';
import { PartnerAuthService } from './partner-auth.service';
import { PartnerContext } from './partner-context';

declare module 'fastify' {
  interface FastifyRequest {
    partner?: PartnerContext;
  }
}

/**
 * Every partner route: authenticate the key, then spend one request from the partner's per-minute budget
 * (shared by all instances) and put the X-RateLimit-* headers on the response, whatever it turns out to be.
 */
@Injectable()
export class PartnerAuthGuard implements CanActivate {
  constructor(
    private readonly auth: PartnerAuthService,
    private readonly limiter: RedisRateLimiter,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const http = context.switchToHttp();
    const request = http.getRequest<FastifyRequest>();
    const reply = http.getResponse<FastifyReply>();
    const header = request.headers['x-api-key'];
    const partner = await this.auth.authenticate(Array.isArray(header) ? header[0] : header, request.ip);

    const rate = await this.limiter.consumeLeased(`partner:${partner.id}`, partner.limits.requestsPerMinute);
    reply.header('X-RateLimit-Limit', rate.limit);
    reply.header('X-RateLimit-Remaining', rate.remaining);
    reply.header('X-RateLimit-Reset', rate.resetAt);
    if (!rate.allowed) {
      throw new ApiError(
        'RATE_LIMITED',
        `Rate limit of ${rate.limit} requests per minute exceeded`,
        undefined,
        {
          'Retry-After': rate.retryAfterSeconds,
        },
      );
    }
    request.partner = partner;
    return true;
  }
}

/** The authenticated partner of this request (only on routes behind PartnerAuthGuard). */
export const CurrentPartner = createParamDecorator((_: unknown, ctx: ExecutionContext): PartnerContext => {
  const partner = ctx.switchToHttp().getRequest<FastifyRequest>().partner;
  if (!partner) throw new Error('CurrentPartner used on a route without PartnerAuthGuard');
  return partner;
});

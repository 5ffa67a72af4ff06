import { CanActivate, ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import { APP_CONFIG, AppConfig } from '@app/config/app-config';
import { ApiError } from '@app/common/errors/api.error';

/** `Authorization: Bearer $ADMIN_TOKEN`, compared in constant time (digests make the lengths equal). */
@Injectable()
export class AdminAuthGuard implements CanActivate {
  private readonly expected: Buffer;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.expected = createHash('sha256').update(config.admin.token).digest();
  }

  canActivate(context: ExecutionContext): boolean {
    const header = context.switchToHttp().getRequest<FastifyRequest>().headers.authorization;
    if (!this.isValid(header)) throw new ApiError('UNAUTHORIZED', 'Missing or invalid admin bearer token');
    return true;
  }

  isValid(header: string | undefined): boolean {
    const match = /^Bearer (.+)$/.exec(header ?? '');
    if (!match) return false;
    return timingSafeEqual(createHash('sha256').update(match[1]).digest(), this.expected);
  }
}

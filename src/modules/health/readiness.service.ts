import { Injectable } from '@nestjs/common';
import { PrismaService } from '@app/infra/prisma/prisma.service';
import { RedisService } from '@app/infra/redis/redis.service';

const TIMEOUT_MS = 2000;

function withTimeout<T>(p: Promise<T>): Promise<T> {
  return Promise.race([
    p,
    new Promise<T>((_, reject) => setTimeout(() => reject(new Error('timeout')), TIMEOUT_MS).unref()),
  ]);
}

/** Whether this process can serve: Postgres and Redis each answer within two seconds. */
@Injectable()
export class ReadinessService {
  constructor(
    private readonly prisma: PrismaService,
    private readonly redis: RedisService,
  ) {}

  async check(): Promise<{ postgres: string; redis: string }> {
    const [pg, rd] = await Promise.allSettled([
      withTimeout(this.prisma.$queryRaw`SELECT 1`),
      withTimeout(this.redis.client.ping()),
    ]);
    return {
      postgres: pg.status === 'fulfilled' ? 'ok' : 'unreachable',
      redis: rd.status === 'fulfilled' ? 'ok' : 'unreachable',
    };
  }
}

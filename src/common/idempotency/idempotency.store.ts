import { Injectable } from '@nestjs/common';
import { Prisma } from '@app/generated/prisma/client';
import { PrismaService } from '@app/infra/prisma/prisma.service';

export type IdempotencyBegin =
  | { kind: 'started' }
  | { kind: 'replay'; status: number; body: unknown }
  | { kind: 'mismatch' }
  | { kind: 'in_progress' };

export interface IdempotencyTimes {
  now: Date;
  /** When a new record stops counting (24 h after the first request). */
  expiresAt: Date;
  /** IN_PROGRESS records started before this are abandoned (the process died mid-request) and may be taken over. */
  staleBefore: Date;
}

/** idempotency_records: one row per (partner, key), claimed atomically so only one request runs per key. */
@Injectable()
export class IdempotencyStore {
  constructor(private readonly prisma: PrismaService) {}

  /**
   * Claims the key for this request, or says why not. The claim is one INSERT … ON CONFLICT: a new key, an
   * expired record or an abandoned IN_PROGRESS one is (re)claimed; anything else is read back and compared.
   */
  async begin(
    partnerId: string,
    key: string,
    requestHash: string,
    t: IdempotencyTimes,
  ): Promise<IdempotencyBegin> {
    for (let attempt = 0; attempt < 3; attempt++) {
      const claimed = await this.prisma.$queryRaw<Array<{ key: string }>>`
        INSERT INTO idempotency_records ("partnerId", "key", "requestHash", "state", "createdAt", "expiresAt")
        VALUES (${partnerId}, ${key}, ${requestHash}, 'IN_PROGRESS'::"IdempotencyState", ${t.now}, ${t.expiresAt})
        ON CONFLICT ("partnerId", "key") DO UPDATE SET
          "requestHash" = EXCLUDED."requestHash", "state" = 'IN_PROGRESS'::"IdempotencyState",
          "responseStatus" = NULL, "responseBody" = NULL,
          "createdAt" = EXCLUDED."createdAt", "expiresAt" = EXCLUDED."expiresAt"
        WHERE idempotency_records."expiresAt" <= ${t.now}
           OR (idempotency_records."state" = 'IN_PROGRESS'::"IdempotencyState"
               AND idempotency_records."createdAt" <= ${t.staleBefore})
        RETURNING "key"`;
      if (claimed.length) return { kind: 'started' };

      const existing = await this.prisma.idempotencyRecord.findUnique({
        where: { partnerId_key: { partnerId, key } },
        select: { requestHash: true, state: true, responseStatus: true, responseBody: true },
      });
      // Released (deleted) between our INSERT and this read: claim again.
      if (!existing) continue;
      if (existing.requestHash !== requestHash) return { kind: 'mismatch' };
      if (existing.state === 'IN_PROGRESS' || existing.responseStatus === null)
        return { kind: 'in_progress' };
      return { kind: 'replay', status: existing.responseStatus, body: existing.responseBody };
    }
    return { kind: 'in_progress' };
  }

  /** Stores the final response; guarded by the hash so a takeover's record is never overwritten. */
  async complete(
    partnerId: string,
    key: string,
    requestHash: string,
    status: number,
    body: unknown,
  ): Promise<void> {
    await this.prisma.idempotencyRecord.updateMany({
      where: { partnerId, key, requestHash, state: 'IN_PROGRESS' },
      data: {
        state: 'COMPLETED',
        responseStatus: status,
        responseBody: body === null || body === undefined ? Prisma.JsonNull : (body as Prisma.InputJsonValue),
      },
    });
  }

  /** Forgets an unfinished claim (5xx, transient error) so a retry with the same key runs again. */
  async release(partnerId: string, key: string, requestHash: string): Promise<void> {
    await this.prisma.idempotencyRecord.deleteMany({
      where: { partnerId, key, requestHash, state: 'IN_PROGRESS' },
    });
  }

  async purgeExpired(now: Date): Promise<number> {
    const { count } = await this.prisma.idempotencyRecord.deleteMany({ where: { expiresAt: { lte: now } } });
    return count;
  }
}

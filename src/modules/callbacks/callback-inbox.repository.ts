import { Injectable } from '@nestjs/common';
import { PrismaService } from '@app/infra/prisma/prisma.service';
import { CallbackFacts } from './callback.facts';

/** trubit_callbacks: the inbox every verified callback is written to before TruBit hears SUCCESS. */
@Injectable()
export class CallbackInboxRepository {
  constructor(private readonly prisma: PrismaService) {}

  /**
   * Stores a callback once per dedupe key (a repeat inserts nothing) and returns the row's id either way, with
   * whether it was already applied. The insert is one autocommitted statement: when this returns, it is durable.
   */
  async store(
    facts: CallbackFacts,
    rawBody: string,
  ): Promise<{ id: string; processed: boolean; duplicate: boolean }> {
    const inserted = await this.prisma.$queryRaw<Array<{ id: bigint }>>`
      INSERT INTO trubit_callbacks ("dedupeKey", "trubitOrderId", "orderStatus", "rawBody", "receivedAt")
      VALUES (${facts.dedupeKey}, ${facts.trubitOrderId}, ${facts.orderStatus}, ${rawBody}, ${new Date()})
      ON CONFLICT ("dedupeKey") DO NOTHING
      RETURNING id`;
    if (inserted.length) return { id: inserted[0].id.toString(), processed: false, duplicate: false };
    const existing = await this.prisma.trubitCallback.findUniqueOrThrow({
      where: { dedupeKey: facts.dedupeKey },
      select: { id: true, processedAt: true },
    });
    return { id: existing.id.toString(), processed: existing.processedAt !== null, duplicate: true };
  }

  find(id: string) {
    return this.prisma.trubitCallback.findUnique({
      where: { id: BigInt(id) },
      select: { id: true, rawBody: true, processedAt: true },
    });
  }

  async markProcessed(id: string): Promise<void> {
    await this.prisma.trubitCallback.updateMany({
      where: { id: BigInt(id), processedAt: null },
      data: { processedAt: new Date() },
    });
  }

  /** Unapplied callbacks older than `olderThan` (their job may be missing) and younger than `notBefore`. */
  async unprocessed(olderThan: Date, notBefore: Date, limit: number): Promise<string[]> {
    const rows = await this.prisma.trubitCallback.findMany({
      where: { processedAt: null, receivedAt: { lt: olderThan, gt: notBefore } },
      orderBy: { id: 'asc' },
      take: limit,
      select: { id: true },
    });
    return rows.map((r) => r.id.toString());
  }
}

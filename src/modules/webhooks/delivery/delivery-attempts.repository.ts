import { Injectable } from '@nestjs/common';
import { PrismaService } from '@app/infra/prisma/prisma.service';
import { AttemptDecision } from './delivery.policy';
import { DeliveryRef } from './delivery.scheduler';

/** A delivery with what an attempt needs of its partner (current URL, sealed secrets), read in one query. */
export interface DeliveryForAttempt {
  id: string;
  partnerId: string;
  eventId: string;
  eventType: string;
  orderId: string | null;
  sequence: number | null;
  body: string;
  status: 'PENDING' | 'DELIVERED' | 'FAILED';
  attempts: number;
  maxAttempts: number;
  nextAttemptAt: Date | null;
  createdAt: Date;
  partner: {
    webhookUrl: string | null;
    webhookDisabledAt: Date | null;
    webhookSecretEnc: string;
    webhookPrevSecretEnc: string | null;
    webhookPrevSecretUntil: Date | null;
  };
}

export interface AttemptRecord {
  deliveryId: string;
  partnerId: string;
  expectedAttempts: number;
  url: string;
  at: Date;
  durationMs: number;
}

/** The delivery worker's reads and writes (explicit selects; the partner's sealed secrets only here). */
@Injectable()
export class DeliveryAttemptsRepository {
  constructor(private readonly prisma: PrismaService) {}

  async loadForAttempt(id: string): Promise<DeliveryForAttempt | null> {
    const rows = await this.prisma.$queryRaw<
      Array<Omit<DeliveryForAttempt, 'partner'> & DeliveryForAttempt['partner']>
    >`
      SELECT d.id, d."partnerId", d."eventId", d."eventType", d."orderId", d.sequence, d.body,
             d.status::text AS status, d.attempts, d."maxAttempts", d."nextAttemptAt", d."createdAt",
             p."webhookUrl", p."webhookDisabledAt", p."webhookSecretEnc", p."webhookPrevSecretEnc",
             p."webhookPrevSecretUntil"
        FROM webhook_deliveries d JOIN partners p ON p.id = d."partnerId"
       WHERE d.id = ${id}`;
    const r = rows[0];
    if (!r) return null;
    const {
      webhookUrl,
      webhookDisabledAt,
      webhookSecretEnc,
      webhookPrevSecretEnc,
      webhookPrevSecretUntil,
      ...d
    } = r;
    return {
      ...d,
      partner: {
        webhookUrl,
        webhookDisabledAt,
        webhookSecretEnc,
        webhookPrevSecretEnc,
        webhookPrevSecretUntil,
      },
    };
  }

  /**
   * What holds event `sequence` of an order back: an earlier event of the same order whose delivery is still
   * PENDING, or that the relay has not turned into a delivery yet. Returns when the blocker is due, or null.
   */
  async orderBlocker(
    partnerId: string,
    orderId: string,
    sequence: number,
  ): Promise<{ dueAt: Date | null } | null> {
    const pending = await this.prisma.webhookDelivery.findFirst({
      where: { partnerId, orderId, sequence: { lt: sequence }, status: 'PENDING' },
      orderBy: { sequence: 'asc' },
      select: { nextAttemptAt: true },
    });
    if (pending) return { dueAt: pending.nextAttemptAt };
    const unrelayed = await this.prisma.outboxEvent.findFirst({
      where: { publishedAt: null, partnerId, orderId, sequence: { lt: sequence } },
      select: { id: true },
    });
    return unrelayed ? { dueAt: null } : null;
  }

  /**
   * Records one attempt and its consequence atomically. Only the attempt the job was made for may be recorded
   * (status PENDING and attempts unchanged): a second run of the same job (stalled after a crash, or raced)
   * records nothing, and null is returned. The usual case is one statement (update guarded by the state the
   * attempt started from, attempt row inserted from its result); if maxAttempts moved meanwhile (a retry
   * opened a new series) or the endpoint must be disabled (410), it is done under the row lock instead, with
   * `decide` seeing the row as it is now.
   */
  async recordAttempt(
    rec: AttemptRecord,
    seenMaxAttempts: number,
    decide: (attemptsAfter: number, maxAttempts: number) => AttemptDecision,
  ): Promise<{ decision: AttemptDecision; attempts: number } | null> {
    const attempts = rec.expectedAttempts + 1;
    const decision = decide(attempts, seenMaxAttempts);
    if (!decision.disableEndpoint) {
      const w = this.written(rec, decision);
      const rows = await this.prisma.$queryRaw<Array<{ deliveryId: string }>>`
        WITH upd AS (
          UPDATE webhook_deliveries SET url = ${rec.url}, attempts = ${attempts},
                 status = ${decision.status}::"DeliveryStatus", "lastAttemptAt" = ${rec.at},
                 "lastStatusCode" = ${decision.statusCode}, "errorMessage" = ${decision.errorMessage},
                 "deliveredAt" = ${w.deliveredAt}, "nextAttemptAt" = ${w.nextAttemptAt}, "updatedAt" = ${w.now}
           WHERE id = ${rec.deliveryId} AND status = 'PENDING' AND attempts = ${rec.expectedAttempts}
             AND "maxAttempts" = ${seenMaxAttempts}
          RETURNING id)
        INSERT INTO webhook_attempts ("deliveryId", attempt, "statusCode", "durationMs", error, "createdAt")
        SELECT id, ${attempts}::int, ${decision.statusCode}::int, ${rec.durationMs}::int, ${decision.errorMessage}::text,
               ${rec.at}::timestamp(3) FROM upd
        RETURNING "deliveryId"`;
      if (rows.length) return { decision, attempts };
    }
    return this.recordLocked(rec, decide);
  }

  private written(rec: AttemptRecord, decision: AttemptDecision) {
    const now = new Date();
    return {
      now,
      deliveredAt: decision.status === 'DELIVERED' ? now : null,
      nextAttemptAt:
        decision.status === 'PENDING' ? new Date(now.getTime() + (decision.nextDelayMs ?? 0)) : null,
    };
  }

  private async recordLocked(
    rec: AttemptRecord,
    decide: (attemptsAfter: number, maxAttempts: number) => AttemptDecision,
  ): Promise<{ decision: AttemptDecision; attempts: number } | null> {
    return this.prisma.$transaction(async (tx) => {
      const rows = await tx.$queryRaw<Array<{ status: string; attempts: number; maxAttempts: number }>>`
        SELECT status::text AS status, attempts, "maxAttempts" FROM webhook_deliveries WHERE id = ${rec.deliveryId} FOR UPDATE`;
      const row = rows[0];
      if (!row || row.status !== 'PENDING' || row.attempts !== rec.expectedAttempts) return null;
      const attempts = rec.expectedAttempts + 1;
      const decision = decide(attempts, row.maxAttempts);
      const w = this.written(rec, decision);
      await tx.webhookAttempt.create({
        data: {
          deliveryId: rec.deliveryId,
          attempt: attempts,
          statusCode: decision.statusCode,
          durationMs: rec.durationMs,
          error: decision.errorMessage,
          createdAt: rec.at,
        },
      });
      await tx.webhookDelivery.update({
        where: { id: rec.deliveryId },
        data: {
          url: rec.url,
          attempts,
          status: decision.status,
          lastAttemptAt: rec.at,
          lastStatusCode: decision.statusCode,
          errorMessage: decision.errorMessage,
          deliveredAt: w.deliveredAt,
          nextAttemptAt: w.nextAttemptAt,
        },
        select: { id: true },
      });
      if (decision.disableEndpoint) {
        await tx.partner.updateMany({
          where: { id: rec.partnerId, webhookDisabledAt: null },
          data: { webhookDisabledAt: rec.at },
        });
      }
      return { decision, attempts };
    });
  }

  /**
   * An attempt is still running in the background: the delivery is not due again before `until` (unless the
   * attempt is recorded first, which sets its own nextAttemptAt). Guarded like the record itself.
   */
  async markInFlight(id: string, expectedAttempts: number, until: Date): Promise<void> {
    await this.prisma.webhookDelivery.updateMany({
      where: { id, status: 'PENDING', attempts: expectedAttempts },
      data: { nextAttemptAt: until },
    });
  }

  /** Fails a pending delivery without an HTTP attempt (no endpoint configured, endpoint disabled). */
  async failWithoutAttempt(id: string, expectedAttempts: number, message: string): Promise<boolean> {
    const { count } = await this.prisma.webhookDelivery.updateMany({
      where: { id, status: 'PENDING', attempts: expectedAttempts },
      data: { status: 'FAILED', errorMessage: message, nextAttemptAt: null },
    });
    return count === 1;
  }

  /** The next pending event of the same order, once an earlier one is settled. */
  nextInOrder(partnerId: string, orderId: string, sequence: number) {
    return this.prisma.webhookDelivery.findFirst({
      where: { partnerId, orderId, sequence: { gt: sequence }, status: 'PENDING' },
      orderBy: { sequence: 'asc' },
      select: { id: true, partnerId: true, attempts: true, nextAttemptAt: true },
    });
  }

  /**
   * Pending deliveries overdue by more than the grace (their job may be missing), in (nextAttemptAt, id) order
   * after `cursor`, so successive sweeps walk the whole backlog instead of re-reading its oldest rows.
   */
  overdue(
    before: Date,
    limit: number,
    cursor?: { nextAttemptAt: Date; id: string },
  ): Promise<Array<DeliveryRef & { nextAttemptAt: Date | null }>> {
    return this.prisma.webhookDelivery.findMany({
      where: {
        status: 'PENDING',
        nextAttemptAt: { lt: before },
        ...(cursor
          ? {
              OR: [
                { nextAttemptAt: { gt: cursor.nextAttemptAt } },
                { nextAttemptAt: cursor.nextAttemptAt, id: { gt: cursor.id } },
              ],
            }
          : {}),
      },
      orderBy: [{ nextAttemptAt: 'asc' }, { id: 'asc' }],
      take: limit,
      select: { id: true, partnerId: true, attempts: true, nextAttemptAt: true },
    });
  }
}

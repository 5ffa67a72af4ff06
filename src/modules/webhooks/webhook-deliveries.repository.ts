import { Injectable } from '@nestjs/common';
import { Prisma } from '@app/generated/prisma/client';
import { PrismaService } from '@app/infra/prisma/prisma.service';
import { DeliveryRef } from './delivery/delivery.scheduler';
import { DELIVERY_VIEW_SELECT, DeliveryRecord } from './outputs/webhook-delivery.view';

export interface DeliveryFilters {
  status?: 'PENDING' | 'DELIVERED' | 'FAILED';
  orderId?: string;
  eventType?: string;
}

/**
 * Delivery log queries for the partner and admin APIs. `partnerId` scopes every partner query (null only for
 * operators): another partner's delivery is simply not found.
 */
@Injectable()
export class WebhookDeliveriesRepository {
  constructor(private readonly prisma: PrismaService) {}

  async list(
    partnerId: string | null,
    f: DeliveryFilters & { partnerId?: string },
    limit: number,
    offset: number,
  ): Promise<{ items: DeliveryRecord[]; total: number }> {
    const where: Prisma.WebhookDeliveryWhereInput = {
      partnerId: partnerId ?? f.partnerId,
      status: f.status,
      orderId: f.orderId,
      eventType: f.eventType,
    };
    const [items, total] = await this.prisma.$transaction([
      this.prisma.webhookDelivery.findMany({
        where,
        select: DELIVERY_VIEW_SELECT,
        orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
        take: limit,
        skip: offset,
      }),
      this.prisma.webhookDelivery.count({ where }),
    ]);
    return { items, total };
  }

  /**
   * Opens a new attempt series on one delivery (any status): PENDING, due now, `maxAttempts` raised to
   * attempts + series length, aimed at the partner's current URL. Under the row lock, so a retry cannot
   * interleave with an attempt being recorded. Null when not found (for that partner).
   */
  async startSeries(
    id: string,
    partnerId: string | null,
    seriesLength: number,
  ): Promise<{ record: DeliveryRecord; ref: DeliveryRef } | null> {
    return this.prisma.$transaction(async (tx) => {
      const rows = partnerId
        ? await tx.$queryRaw<Array<{ id: string }>>`
            SELECT id FROM webhook_deliveries WHERE id = ${id} AND "partnerId" = ${partnerId} FOR UPDATE`
        : await tx.$queryRaw<Array<{ id: string }>>`
            SELECT id FROM webhook_deliveries WHERE id = ${id} FOR UPDATE`;
      if (!rows.length) return null;
      const now = new Date();
      await tx.$executeRaw`
        UPDATE webhook_deliveries d SET
          status = 'PENDING', "maxAttempts" = d.attempts + ${seriesLength}, "nextAttemptAt" = ${now},
          "deliveredAt" = NULL, url = COALESCE(p."webhookUrl", d.url), "updatedAt" = ${now}
        FROM partners p WHERE d.id = ${id} AND p.id = d."partnerId"`;
      const record = await tx.webhookDelivery.findUniqueOrThrow({
        where: { id },
        select: DELIVERY_VIEW_SELECT,
      });
      return { record, ref: { id: record.id, partnerId: record.partnerId, attempts: record.attempts } };
    });
  }

  /** Puts every FAILED delivery of the partner created in [since, until) into a new attempt series. */
  recoverFailed(partnerId: string, since: Date, until: Date, seriesLength: number): Promise<DeliveryRef[]> {
    const now = new Date();
    return this.prisma.$queryRaw<DeliveryRef[]>`
      UPDATE webhook_deliveries d SET
        status = 'PENDING', "maxAttempts" = d.attempts + ${seriesLength}, "nextAttemptAt" = ${now},
        url = COALESCE(p."webhookUrl", d.url), "updatedAt" = ${now}
      FROM partners p
      WHERE d."partnerId" = ${partnerId} AND p.id = d."partnerId" AND d.status = 'FAILED'
        AND d."createdAt" >= ${since} AND d."createdAt" < ${until}
      RETURNING d.id, d."partnerId", d.attempts`;
  }
}

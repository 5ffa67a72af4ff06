import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '@app/config/app-config';
import { Prisma } from '@app/generated/prisma/client';
import { newId } from '@app/infra/crypto/ids';
import { PrismaService } from '@app/infra/prisma/prisma.service';
import { DeliveryRef, DeliveryScheduler } from '@app/modules/webhooks/delivery/delivery.scheduler';
import { deliveryBody } from './outbox.body';

interface OutboxRow {
  id: bigint;
  eventId: string;
  partnerId: string;
  orderId: string | null;
  eventType: string;
  sequence: number | null;
  payload: Record<string, unknown>;
}

export const RELAY_BATCH = 200;

/**
 * The transactional-outbox relay. In one transaction it locks a batch of unpublished rows with
 * `FOR UPDATE SKIP LOCKED` (two relays never take the same row), creates each event's webhook delivery
 * (unique per partner and event, so nothing is created twice), and marks the rows published. After the commit
 * it enqueues the first attempt of each new delivery under a deterministic job id. A crash between the commit
 * and the enqueue loses nothing: the delivery sweeper finds pending deliveries without a job.
 *
 * A partner without a webhook URL, or whose endpoint is disabled (410), gets its deliveries recorded as
 * FAILED at once with the reason: they are in the dead-letter list and `POST /webhooks/recover` replays them
 * once the partner has an endpoint again.
 */
@Injectable()
export class OutboxRelay {
  constructor(
    private readonly prisma: PrismaService,
    private readonly scheduler: DeliveryScheduler,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Relays one batch; returns how many outbox rows it took (a full batch means: run again). */
  async relayBatch(limit = RELAY_BATCH): Promise<number> {
    const { taken, created } = await this.prisma.$transaction(
      async (tx) => {
        const rows = await tx.$queryRaw<OutboxRow[]>`
          SELECT id, "eventId", "partnerId", "orderId", "eventType", sequence, payload
          FROM outbox_events WHERE "publishedAt" IS NULL
          ORDER BY id LIMIT ${limit} FOR UPDATE SKIP LOCKED`;
        if (!rows.length) return { taken: 0, created: [] as DeliveryRef[] };
        const partnerIds = [...new Set(rows.map((r) => r.partnerId))];
        const partners = new Map(
          (
            await tx.partner.findMany({
              where: { id: { in: partnerIds } },
              select: { id: true, webhookUrl: true, webhookDisabledAt: true },
            })
          ).map((p) => [p.id, p]),
        );
        const now = new Date();
        const maxAttempts = this.config.webhooks.retryScheduleMs.length;
        const data: Prisma.WebhookDeliveryCreateManyInput[] = rows.map((r) => {
          const p = partners.get(r.partnerId);
          const problem = !p?.webhookUrl
            ? 'no webhook endpoint configured'
            : p.webhookDisabledAt
              ? `webhook endpoint disabled since ${p.webhookDisabledAt.toISOString()} (it answered 410 Gone)`
              : null;
          return {
            id: newId.delivery(),
            partnerId: r.partnerId,
            eventId: r.eventId,
            orderId: r.orderId,
            eventType: r.eventType,
            sequence: r.sequence,
            url: p?.webhookUrl ?? '',
            body: deliveryBody(r.payload),
            status: problem ? 'FAILED' : 'PENDING',
            maxAttempts,
            errorMessage: problem,
            nextAttemptAt: problem ? null : now,
          };
        });
        // An event relayed before keeps its one delivery (unique partner + event): nothing new, nothing enqueued.
        const inserted = await tx.webhookDelivery.createManyAndReturn({
          data,
          skipDuplicates: true,
          select: { id: true, partnerId: true, attempts: true, status: true },
        });
        await tx.outboxEvent.updateMany({
          where: { id: { in: rows.map((r) => r.id) } },
          data: { publishedAt: now },
        });
        const pending = inserted.filter((d) => d.status === 'PENDING');
        return { taken: rows.length, created: pending };
      },
      { timeout: 30_000 },
    );
    await this.scheduler.enqueueMany(created);
    return taken;
  }
}

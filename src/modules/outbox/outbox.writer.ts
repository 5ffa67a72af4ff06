import { Prisma } from '@app/generated/prisma/client';
import { newId } from '@app/infra/crypto/ids';

/** A Prisma transaction client: outbox rows are only ever written inside the transaction of the change. */
export type Tx = Prisma.TransactionClient;

export interface PartnerEvent {
  partnerId: string;
  event: string;
  orderId?: string;
  sequence?: number;
  data: Record<string, unknown>;
}

/**
 * Writes the webhook body partners will receive (partner-api.md §6) into the transactional outbox, in the
 * caller's transaction: if the change commits, the event exists; if not, neither does. The relay moves rows
 * to BullMQ afterwards.
 */
export async function writeOutboxEvent(tx: Tx, e: PartnerEvent, now = new Date()): Promise<string> {
  const eventId = newId.event();
  const body = { id: eventId, event: e.event, createdAt: now.toISOString(), data: e.data };
  await tx.outboxEvent.create({
    data: {
      eventId,
      partnerId: e.partnerId,
      orderId: e.orderId ?? null,
      eventType: e.event,
      sequence: e.sequence ?? null,
      payload: body as Prisma.InputJsonValue,
      createdAt: now,
    },
  });
  return eventId;
}

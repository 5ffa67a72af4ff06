import { OrderStatus } from '@app/generated/prisma/enums';
import { Tx, writeOutboxEvent } from '@app/modules/outbox/outbox.writer';
import { EVENT_FOR_STATUS } from '../state/order-state.machine';

export interface OrderEventInput {
  orderId: string;
  partnerId: string;
  status: OrderStatus;
  /** The partner-visible order snapshot at this point (what GET /orders/:id shows, minus the timeline). */
  snapshot: Record<string, unknown>;
  /** Extra facts for the timeline entry (e.g. trubitStatus, reason). */
  details?: Record<string, unknown>;
  now?: Date;
}

/**
 * One partner-visible change of an order, in the caller's transaction: bumps the order's sequence, appends
 * the timeline entry and the outbox row with the same sequence. `sequence` increases by one per event.
 */
export async function recordOrderEvent(
  tx: Tx,
  input: OrderEventInput,
): Promise<{ eventId: string; sequence: number }> {
  const now = input.now ?? new Date();
  const { sequence } = await tx.order.update({
    where: { id: input.orderId },
    data: { sequence: { increment: 1 } },
    select: { sequence: true },
  });
  const event = EVENT_FOR_STATUS[input.status];
  const data = { ...input.snapshot, orderId: input.orderId, status: input.status, sequence };
  const eventId = await writeOutboxEvent(
    tx,
    { partnerId: input.partnerId, event, orderId: input.orderId, sequence, data },
    now,
  );
  await tx.orderEvent.create({
    data: {
      id: eventId,
      orderId: input.orderId,
      partnerId: input.partnerId,
      sequence,
      event,
      data: { status: input.status, ...input.details },
      createdAt: now,
    },
  });
  return { eventId, sequence };
}

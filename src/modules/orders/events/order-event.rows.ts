import { OrderStatus } from '@app/generated/prisma/enums';
import { newId } from '@app/infra/crypto/ids';
import { EVENT_FOR_STATUS } from '../state/order-state.machine';

/**
 * One partner-visible change of an order as rows (timeline entry + outbox row, same id and sequence), for the
 * hot paths that write many orders' events in one statement (order creation, submission). It builds exactly
 * what recordOrderEvent writes one by one: the webhook body's `data` is the order view with its status and
 * sequence, the timeline entry is the status with the facts of the change.
 */
export interface OrderEventRow {
  eventId: string;
  orderId: string;
  partnerId: string;
  event: string;
  sequence: number;
  /** Timeline entry data (order_events.data). */
  timeline: Record<string, unknown>;
  /** The webhook body (outbox_events.payload). */
  payload: Record<string, unknown>;
  createdAt: Date;
}

export interface OrderEventFacts {
  orderId: string;
  partnerId: string;
  status: OrderStatus;
  /** The order's sequence after this event. */
  sequence: number;
  /** The partner-visible order snapshot at this point (toOrderView). */
  snapshot: Record<string, unknown>;
  details?: Record<string, unknown>;
  now: Date;
}

export function orderEventRow(f: OrderEventFacts): OrderEventRow {
  const eventId = newId.event();
  const event = EVENT_FOR_STATUS[f.status];
  const data = { ...f.snapshot, orderId: f.orderId, status: f.status, sequence: f.sequence };
  return {
    eventId,
    orderId: f.orderId,
    partnerId: f.partnerId,
    event,
    sequence: f.sequence,
    timeline: { status: f.status, ...f.details },
    payload: { id: eventId, event, createdAt: f.now.toISOString(), data },
    createdAt: f.now,
  };
}

/**
 * The two CTEs that insert a batch of event rows, for a statement whose parameters `$first` … `$first+7`
 * are eventRowParams(rows). Appended to a WITH list after other CTEs.
 */
export function insertEventRowsCtes(first: number): string {
  const p = (i: number) => `$${first + i}`;
  return `
  timeline AS (
    INSERT INTO order_events (id, "orderId", "partnerId", sequence, event, data, "createdAt")
    SELECT * FROM unnest(${p(0)}::text[], ${p(1)}::text[], ${p(2)}::text[], ${p(3)}::int[], ${p(4)}::text[],
                         ${p(5)}::jsonb[], ${p(6)}::timestamp[])
  ), outbox AS (
    INSERT INTO outbox_events ("eventId", "orderId", "partnerId", sequence, "eventType", payload, "createdAt")
    SELECT * FROM unnest(${p(0)}::text[], ${p(1)}::text[], ${p(2)}::text[], ${p(3)}::int[], ${p(4)}::text[],
                         ${p(7)}::jsonb[], ${p(6)}::timestamp[])
  )`;
}

/** The 8 parameters of insertEventRowsCtes (timestamps as UTC text, the timestamp(3) convention). */
export function eventRowParams(rows: OrderEventRow[]): unknown[] {
  return [
    rows.map((e) => e.eventId),
    rows.map((e) => e.orderId),
    rows.map((e) => e.partnerId),
    rows.map((e) => e.sequence),
    rows.map((e) => e.event),
    rows.map((e) => JSON.stringify(e.timeline)),
    rows.map((e) => e.createdAt.toISOString()),
    rows.map((e) => JSON.stringify(e.payload)),
  ];
}

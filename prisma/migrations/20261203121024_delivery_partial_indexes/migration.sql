-- Relaying an event and delivering it rewrite its rows (outbox: publishedAt, delivery: status). Such an update
-- adds an entry to every index of the row, except partial indexes whose condition the new row no longer meets.
-- The indexes below hold only what is still to do (unpublished events, pending or failed deliveries, order
-- events), so a relayed event and a delivered webhook, the common case, stop growing them. The generated part
-- drops the indexes they replace, the partial indexes are hand-written (Prisma's schema cannot express them)
-- and named in schema.prisma's comments.

-- DropIndex
DROP INDEX "outbox_events_publishedAt_id_idx";

-- DropIndex
DROP INDEX "webhook_deliveries_status_createdAt_idx";

-- DropIndex
DROP INDEX "webhook_deliveries_orderId_sequence_idx";

-- An order's earlier event still waiting in the outbox (the delivery worker's per-order ordering check).
CREATE INDEX "outbox_events_unpublished_order_idx" ON "outbox_events" ("orderId", "sequence")
  WHERE "publishedAt" IS NULL AND "orderId" IS NOT NULL;

-- Per-order ordering (earlier event pending, next event of the order) and the order filter of the logs.
CREATE INDEX "webhook_deliveries_order_sequence_idx" ON "webhook_deliveries" ("orderId", "sequence")
  WHERE "orderId" IS NOT NULL;

-- The delivery sweeper's overdue walk, in its (nextAttemptAt, id) order.
CREATE INDEX "webhook_deliveries_pending_due_idx" ON "webhook_deliveries" ("nextAttemptAt", "id")
  WHERE "status" = 'PENDING';

-- Dead letters, newest first (GET /admin/v1/webhooks?status=FAILED).
CREATE INDEX "webhook_deliveries_failed_created_idx" ON "webhook_deliveries" ("createdAt", "id")
  WHERE "status" = 'FAILED';

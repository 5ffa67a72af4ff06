-- The relay's TAKE walks the unpublished rows in id order and stops after one batch. The ("publishedAt", id)
-- index cannot give that order (IS NULL is not an equality for the planner), so a backlog made every batch read
-- and sort the whole backlog. Prisma's schema cannot express a partial index: this migration is hand-written and
-- the index is named in schema.prisma's comment on OutboxEvent.
CREATE INDEX "outbox_events_unpublished_id_idx" ON "outbox_events" ("id") WHERE "publishedAt" IS NULL;

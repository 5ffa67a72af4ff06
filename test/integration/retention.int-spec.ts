// Retention against the real Postgres: relayed outbox events and foreign TruBit callbacks past their retention are
// deleted, batch after batch; what is still owed to a partner, too recent, or about one of our orders stays.
// Outbox rows are given explicit negative ids here, lowest for the oldest, so they are the table's head as the
// oldest events are in production (ids grow with time); the rows other tests leave have positive ids and are
// recent, so this test's sweeps delete none of them.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { RetentionSweeper, RETENTION_BATCH } from '@app/modules/retention/retention.sweeper';
import { RetentionRepository } from '@app/modules/retention/retention.repository';
import { RetentionMetrics } from '@app/modules/retention/retention.metrics';
import { MetricsService } from '@app/modules/metrics/metrics.service';
import { PgPool } from '@app/infra/prisma/pg-pool';
import { AdminClient } from '@test/support/admin-client';
import { RunningApi, startApi } from '@test/support/api-harness';
import { testConfig } from '@test/support/test-config';
import { withDb } from '@test/support/db';
import { insertLinkedOrder } from '@test/fixtures/callbacks.fixtures';

const DAY = 24 * 3600_000;

describe('retention: relayed outbox events and foreign callbacks', () => {
  let api: RunningApi;
  let partnerId: string;
  const tag = randomBytes(4).toString('hex');
  const now = new Date();
  const daysAgo = (d: number) => new Date(now.getTime() - d * DAY).toISOString();

  /** A sweeper on the API's pool with the given retention (days). */
  const sweeper = (env: Record<string, string> = {}) => {
    const config = testConfig(env);
    return new RetentionSweeper(
      new RetentionRepository(api.app.get(PgPool)),
      new RetentionMetrics(api.app.get(MetricsService)),
      config,
    );
  };

  before(async () => {
    api = await startApi(testConfig());
    partnerId = (await new AdminClient(api.url, api.config.admin.token).createPartner()).partner.id;
  });
  after(async () => {
    await withDb(async (db) => {
      await db.query(`DELETE FROM outbox_events WHERE "eventId" LIKE $1`, [`evt_ret${tag}%`]);
      await db.query(`DELETE FROM trubit_callbacks WHERE "dedupeKey" LIKE $1`, [`ret${tag}%`]);
    });
    await api.close();
  });

  /** Outbox rows with ids `fromId`…, created `age` days ago, relayed or not. */
  const insertOutbox = (fromId: number, count: number, age: number, relayed: boolean) =>
    withDb((db) =>
      db.query(
        `INSERT INTO outbox_events (id, "eventId", "partnerId", "eventType", payload, "createdAt", "publishedAt")
         SELECT $1::bigint + g, 'evt_ret' || $2 || ($1::bigint + g), $3, 'user.kyc_approved', '{}'::jsonb,
                $4::timestamp, CASE WHEN $5 THEN $4::timestamp END
           FROM generate_series(0, $6::int - 1) g`,
        [fromId, tag, partnerId, daysAgo(age), relayed, count],
      ),
    );
  const outboxLeft = () =>
    withDb(async (db) => {
      // pg returns a bigint as a string; ordered by the column itself, not its text.
      const { rows } = await db.query<{ id: string; relayed: boolean }>(
        `SELECT id, "publishedAt" IS NOT NULL AS relayed FROM outbox_events
          WHERE "eventId" LIKE $1 ORDER BY id`,
        [`evt_ret${tag}%`],
      );
      return rows;
    });

  test('relayed outbox events past retention go, batch after batch; one not relayed yet and recent ones stay', async () => {
    // Oldest first: 500 relayed, one never relayed, then more than a batch relayed, all 10 days old; then 20
    // relayed a day ago. The unrelayed row keeps the first batch short, and the prune must go on past it.
    const base = -1_000_000_000;
    const rest = RETENTION_BATCH + 200;
    await insertOutbox(base, 500, 10, true);
    await insertOutbox(base + 500, 1, 10, false);
    await insertOutbox(base + 501, rest, 10, true);
    await insertOutbox(base + 501 + rest, 20, 1, true);

    const report = await sweeper({ OUTBOX_RETENTION_DAYS: '7' }).sweep(now);

    assert.equal(report.outboxEvents, 500 + rest);
    const left = await outboxLeft();
    assert.equal(left.length, 21);
    assert.deepEqual(left[0], { id: String(base + 500), relayed: false });
    assert.ok(left.slice(1).every((r) => r.relayed && Number(r.id) >= base + 501 + rest));

    // A second run finds nothing more; 0 days keeps everything.
    assert.equal((await sweeper({ OUTBOX_RETENTION_DAYS: '7' }).sweep(now)).outboxEvents, 0);
    assert.equal(
      (await sweeper({ OUTBOX_RETENTION_DAYS: '0' }).sweep(new Date(now.getTime() + 30 * DAY))).outboxEvents,
      0,
    );
    assert.equal((await outboxLeft()).length, 21);
  });

  /** An inbox row about `trubitOrderId`, received `age` days ago, applied or not. */
  const insertCallback = (key: string, trubitOrderId: string, age: number, applied: boolean) =>
    withDb((db) =>
      db.query(
        `INSERT INTO trubit_callbacks ("dedupeKey", "trubitOrderId", "orderStatus", "rawBody", "receivedAt", "processedAt")
         VALUES ($1, $2, 30, '{}', $3::timestamp, CASE WHEN $4 THEN $3::timestamp END)`,
        [`ret${tag}${key}`, trubitOrderId, daysAgo(age), applied],
      ),
    );
  const callbacksLeft = () =>
    withDb(async (db) => {
      const { rows } = await db.query<{ key: string }>(
        `SELECT substr("dedupeKey", $2) AS key FROM trubit_callbacks WHERE "dedupeKey" LIKE $1 ORDER BY key`,
        [`ret${tag}%`, `ret${tag}`.length + 1],
      );
      return rows.map((r) => r.key);
    });

  test('foreign callbacks past retention go; recent ones, applied ones and those of our orders stay', async () => {
    const ours = `8${Date.now()}${randomBytes(2).readUInt16BE()}`;
    await insertLinkedOrder(partnerId, ours);
    const foreign = (n: number) => `9${Date.now()}${tag}${n}`.replace(/[a-f]/g, '1');
    await insertCallback('old-foreign-1', foreign(1), 40, false);
    await insertCallback('old-foreign-2', foreign(2), 31, false);
    await insertCallback('recent-foreign', foreign(3), 20, false);
    await insertCallback('old-ours-unapplied', ours, 40, false);
    await insertCallback('old-applied', foreign(4), 40, true);

    assert.equal((await sweeper({ CALLBACK_FOREIGN_RETENTION_DAYS: '0' }).sweep(now)).foreignCallbacks, 0);
    const report = await sweeper({ CALLBACK_FOREIGN_RETENTION_DAYS: '30' }).sweep(now);

    assert.equal(report.foreignCallbacks, 2);
    assert.deepEqual(await callbacksLeft(), ['old-applied', 'old-ours-unapplied', 'recent-foreign']);
  });
});

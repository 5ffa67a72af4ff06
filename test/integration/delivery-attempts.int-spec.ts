// The delivery worker's batched reads and writes against the real Postgres: loads and attempt records that
// arrive together share one statement, every attempt is recorded exactly once (a repeated recording of the same
// attempt is a no-op, within a batch or after it), the locked path still handles a moved series and a 410, and
// dates survive the round trip whatever the process time zone.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { newId } from '@app/infra/crypto/ids';
import { PgPool } from '@app/infra/prisma/pg-pool';
import { AttemptDecision } from '@app/modules/webhooks/delivery/delivery.policy';
import {
  AttemptRecord,
  DeliveryAttemptsRepository,
} from '@app/modules/webhooks/delivery/delivery-attempts.repository';
import { withDb } from '@test/support/db';
import { testConfig } from '@test/support/test-config';

const delivered: AttemptDecision = {
  status: 'DELIVERED',
  statusCode: 200,
  errorMessage: null,
  nextDelayMs: null,
  disableEndpoint: false,
};
const retryIn = (ms: number): AttemptDecision => ({
  status: 'PENDING',
  statusCode: 500,
  errorMessage: 'HTTP 500',
  nextDelayMs: ms,
  disableEndpoint: false,
});

describe('delivery attempts repository: batched loads and records', () => {
  const pool = new PgPool(testConfig());
  const repo = new DeliveryAttemptsRepository(pool);
  const statements: string[] = [];
  let partnerId: string;

  before(async () => {
    // Count the statements the repository sends, to see that concurrent callers share them.
    const query = pool.query.bind(pool) as (...a: unknown[]) => unknown;
    (pool as unknown as { query: (...a: unknown[]) => unknown }).query = (...args: unknown[]) => {
      // Text, or a named statement's config object ({ name, text, values }).
      const sql = typeof args[0] === 'string' ? args[0] : (args[0] as { text?: unknown } | undefined)?.text;
      if (typeof sql === 'string') statements.push(sql);
      return query(...args);
    };
    partnerId = `ptn_t${randomBytes(6).toString('hex')}`;
    await withDb((db) =>
      db.query(
        `INSERT INTO partners (id, name, tier, "kycModel", "webhookUrl", "webhookSecretEnc", "updatedAt")
         VALUES ($1, $1, 'GROWTH', 'GATEWAY_MANAGED', 'https://partner.example/hook', 'sealed', now())`,
        [partnerId],
      ),
    );
  });
  after(async () => {
    await withDb((db) => db.query(`DELETE FROM partners WHERE id = $1`, [partnerId]));
    await pool.end();
  });

  async function deliveries(
    n: number,
    extra: { orderId?: string; attempts?: number; nextAttemptAt?: Date } = {},
  ): Promise<string[]> {
    const ids = Array.from({ length: n }, () => newId.delivery());
    await withDb((db) =>
      db.query(
        `INSERT INTO webhook_deliveries (id, "partnerId", "eventId", "orderId", "eventType", sequence, url, body,
                                         attempts, "nextAttemptAt", "updatedAt")
         SELECT id, $2, 'evt_' || id, $3, 'order.active', CASE WHEN $3::text IS NULL THEN NULL ELSE ord END,
                'https://partner.example/hook', '{}', $4, $5::timestamp, now()
           FROM unnest($1::text[]) WITH ORDINALITY AS t(id, ord)`,
        [
          ids,
          partnerId,
          extra.orderId ?? null,
          extra.attempts ?? 0,
          (extra.nextAttemptAt ?? new Date()).toISOString(),
        ],
      ),
    );
    return ids;
  }

  const record = (id: string, expectedAttempts = 0): AttemptRecord => ({
    deliveryId: id,
    partnerId,
    expectedAttempts,
    url: 'https://partner.example/hook',
    at: new Date(),
    durationMs: 12,
  });

  const rows = (ids: string[]) =>
    withDb(async (db) => {
      const d = await db.query(
        `SELECT id, status::text AS status, attempts, "lastStatusCode" FROM webhook_deliveries WHERE id = ANY($1)`,
        [ids],
      );
      const a = await db.query(
        `SELECT "deliveryId", attempt, "statusCode", "durationMs" FROM webhook_attempts WHERE "deliveryId" = ANY($1)`,
        [ids],
      );
      return { deliveries: d.rows, attempts: a.rows };
    });

  test('N concurrent recordings: N attempt rows, N deliveries settled, far fewer statements than N', async () => {
    const ids = await deliveries(60);
    statements.length = 0;
    const results = await Promise.all(ids.map((id) => repo.recordAttempt(record(id), 5, () => delivered)));
    assert.ok(results.every((r) => r?.attempts === 1 && r.decision.status === 'DELIVERED'));
    const { deliveries: ds, attempts } = await rows(ids);
    assert.equal(attempts.length, 60);
    assert.deepEqual(new Set(attempts.map((a) => a.deliveryId)), new Set(ids));
    assert.ok(attempts.every((a) => a.attempt === 1 && a.statusCode === 200 && a.durationMs === 12));
    assert.ok(ds.every((d) => d.status === 'DELIVERED' && d.attempts === 1 && d.lastStatusCode === 200));
    assert.ok(
      statements.length >= 1 && statements.length < 10,
      `${statements.length} statements for 60 records`,
    );
  });

  test('a repeated recording of the same attempt is a no-op, in the same batch or a later one', async () => {
    const [id] = await deliveries(1);
    const [a, b] = await Promise.all([
      repo.recordAttempt(record(id), 5, () => retryIn(1000)),
      repo.recordAttempt(record(id), 5, () => retryIn(1000)),
    ]);
    assert.equal([a, b].filter((r) => r !== null).length, 1);
    assert.equal(await repo.recordAttempt(record(id), 5, () => retryIn(1000)), null);
    const { deliveries: ds, attempts } = await rows([id]);
    assert.equal(attempts.length, 1);
    assert.equal(ds[0].status, 'PENDING');
    assert.equal(ds[0].attempts, 1);
    // The next attempt of the series is recorded normally.
    assert.equal((await repo.recordAttempt(record(id, 1), 5, () => delivered))?.attempts, 2);
    assert.equal((await rows([id])).attempts.length, 2);
  });

  test('a series moved meanwhile is recorded under the row lock with the current maxAttempts', async () => {
    const [id] = await deliveries(1);
    await withDb((db) => db.query(`UPDATE webhook_deliveries SET "maxAttempts" = 10 WHERE id = $1`, [id]));
    const seen: number[] = [];
    const r = await repo.recordAttempt(record(id), 5, (_after, max) => {
      seen.push(max);
      return retryIn(0);
    });
    assert.deepEqual(seen, [5, 10]);
    assert.equal(r?.attempts, 1);
    assert.equal((await rows([id])).attempts.length, 1);
  });

  test('410 fails the delivery and disables the endpoint in the same transaction', async () => {
    const [id] = await deliveries(1);
    const gone: AttemptDecision = {
      status: 'FAILED',
      statusCode: 410,
      errorMessage: 'gone',
      nextDelayMs: null,
      disableEndpoint: true,
    };
    assert.equal((await repo.recordAttempt(record(id), 5, () => gone))?.decision.status, 'FAILED');
    const disabled = await withDb((db) =>
      db.query(`SELECT "webhookDisabledAt" FROM partners WHERE id = $1`, [partnerId]),
    );
    assert.ok(disabled.rows[0].webhookDisabledAt);
    assert.equal((await rows([id])).deliveries[0].status, 'FAILED');
    await withDb((db) =>
      db.query(`UPDATE partners SET "webhookDisabledAt" = NULL WHERE id = $1`, [partnerId]),
    );
  });

  test('concurrent loads share a statement and carry the order blocker; dates round-trip exactly', async () => {
    const orderId = newId.order();
    const due = new Date(Date.now() + 60_000);
    const [first, second, third] = await deliveries(3, { orderId, nextAttemptAt: due });
    const plain = await deliveries(5);
    statements.length = 0;
    const loaded = await Promise.all(
      [first, second, third, ...plain, 'del_missing'].map((id) => repo.loadForAttempt(id)),
    );
    assert.equal(statements.length, 1);
    const [l1, l2, l3] = loaded;
    assert.equal(loaded[loaded.length - 1], null);
    assert.equal(l1!.blocker, null);
    assert.equal(l2!.blocker!.dueAt!.getTime(), due.getTime()); // seq 1 is pending and due then
    assert.equal(l3!.blocker!.dueAt!.getTime(), due.getTime());
    assert.equal(l1!.nextAttemptAt!.getTime(), due.getTime());
    assert.equal(l1!.partner.webhookUrl, 'https://partner.example/hook');
    assert.ok(loaded.slice(3, 8).every((d) => d && d.blocker === null && d.orderId === null));

    // Seq 1 settles: seq 2 is free; an earlier event still in the outbox holds seq 3 back.
    await repo.recordAttempt(record(first), 5, () => delivered);
    await withDb((db) =>
      db.query(
        `INSERT INTO outbox_events ("eventId", "partnerId", "orderId", "eventType", sequence, payload)
         VALUES ($1, $2, $3, 'order.active', 2, '{}')`,
        [newId.event(), partnerId, orderId],
      ),
    );
    await withDb((db) =>
      db.query(`UPDATE webhook_deliveries SET status = 'DELIVERED' WHERE id = $1`, [second]),
    );
    const [again2, again3] = await Promise.all([repo.loadForAttempt(second), repo.loadForAttempt(third)]);
    assert.equal(again2!.blocker, null);
    assert.deepEqual(again3!.blocker, { dueAt: null });
  });
});

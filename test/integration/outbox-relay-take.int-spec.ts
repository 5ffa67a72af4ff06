// The relay's batch query against the real Postgres, right after a burst (no ANALYZE since): it must walk the
// partial index of unpublished ids and stop at the batch size, not read and sort the whole backlog. The plan is
// asserted, not a timing: the cost of the wrong plan grows with the backlog (see RELAY_PLAN).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { RELAY_PLAN, TAKE } from '@app/modules/outbox/outbox.relay';
import { AdminClient } from '@test/support/admin-client';
import { RunningApi, startApi } from '@test/support/api-harness';
import { testConfig } from '@test/support/test-config';
import { withDb } from '@test/support/db';

const BACKLOG = 5000;

describe('outbox relay: batch query', () => {
  let api: RunningApi;
  let partnerId: string;

  before(async () => {
    api = await startApi(testConfig());
    partnerId = (await new AdminClient(api.url, api.config.admin.token).createPartner()).partner.id;
    await withDb((db) =>
      db.query(
        `INSERT INTO outbox_events ("eventId", "partnerId", "eventType", payload)
         SELECT 'evt_take' || $2 || g, $1, 'user.kyc_approved', jsonb_build_object('n', g)
           FROM generate_series(1, $3::int) g`,
        [partnerId, randomBytes(4).toString('hex'), BACKLOG],
      ),
    );
  });
  after(async () => {
    await withDb((db) =>
      db.query(`UPDATE outbox_events SET "publishedAt" = now() WHERE "partnerId" = $1`, [partnerId]),
    );
    await api.close();
  });

  const inRelayTransaction = <T>(fn: (db: import('pg').Client) => Promise<T>) =>
    withDb(async (db) => {
      await db.query('BEGIN');
      try {
        await db.query(RELAY_PLAN);
        return await fn(db);
      } finally {
        await db.query('ROLLBACK');
      }
    });

  test('a batch walks the unpublished-id index and stops at the batch size', async () => {
    const plan = await inRelayTransaction(async (db) => {
      const { rows } = await db.query<{ 'QUERY PLAN': string }>(`EXPLAIN ${TAKE}`, [500, []]);
      return rows.map((r) => r['QUERY PLAN']).join('\n');
    });
    assert.match(plan, /Index Scan using outbox_events_unpublished_id_idx/, plan);
    assert.doesNotMatch(plan, /Bitmap/, plan);
  });

  test('it returns the oldest unpublished rows, in id order, at most the batch size, skipping excluded partners', async () => {
    const ids = await inRelayTransaction(async (db) => {
      const { rows } = await db.query<{ id: string; partnerId: string }>(TAKE, [500, []]);
      return rows;
    });
    assert.equal(ids.length, 500);
    const numeric = ids.map((r) => BigInt(r.id));
    assert.ok(
      numeric.every((id, i) => i === 0 || id > numeric[i - 1]),
      'ascending ids',
    );
    const excluded = await inRelayTransaction(async (db) => {
      const { rows } = await db.query<{ partnerId: string }>(TAKE, [500, [partnerId]]);
      return rows;
    });
    assert.ok(excluded.every((r) => r.partnerId !== partnerId));
  });
});

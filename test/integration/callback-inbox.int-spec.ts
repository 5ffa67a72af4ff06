// The callback inbox's group commit against the real Postgres and Redis: one statement per batch, each callback
// stored once per dedupe key (within a batch, across batches and across concurrent writers), every caller told
// its own row, and the batch's jobs added under their deterministic ids, for callbacks whose order is known only.
// The API runs without a worker here, so jobs stay where the API put them.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { getQueueToken } from '@nestjs/bullmq';
import type { Queue } from 'bullmq';
import { QUEUES, jobIds } from '@app/infra/queue/queue.names';
import { CallbackInboxRepository, NewCallback } from '@app/modules/callbacks/callback-inbox.repository';
import { CallbackApplier } from '@app/modules/callbacks/callback-applier.service';
import { CallbackJobs } from '@app/modules/callbacks/callback.jobs';
import { CallbackSweeper } from '@app/modules/callbacks/callback.sweeper';
import { callbackFacts } from '@app/modules/callbacks/callback.facts';
import { AdminClient } from '@test/support/admin-client';
import { RunningApi, startApi } from '@test/support/api-harness';
import { http } from '@test/support/http';
import { testConfig } from '@test/support/test-config';
import { eventually } from '@test/support/timing';
import { withDb } from '@test/support/db';
import { inboxRows, insertLinkedOrder, orderWebhookBody, signHex } from '@test/fixtures/callbacks.fixtures';

describe('callback inbox: group commit', () => {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  let api: RunningApi;
  let repo: CallbackInboxRepository;
  let queue: Queue;
  let partnerId: string;

  /** A TruBit order id no other test uses. */
  const orderId = () => `7${Date.now()}${randomBytes(3).readUIntBE(0, 3)}`;
  const callback = (trubitOrderId: string, status: string): NewCallback => {
    const rawBody = orderWebhookBody(trubitOrderId, status);
    return { facts: callbackFacts(rawBody), rawBody };
  };
  const post = (body: string) =>
    http('POST', `${api.url}/callbacks/trubit`, {
      rawBody: body,
      headers: { 'content-type': 'application/json', signature: signHex(body, privateKey) },
    });
  const jobOf = (callbackId: string) => queue.getJob(jobIds.trubitCallback(callbackId));

  before(async () => {
    api = await startApi(
      testConfig({
        TRUBIT_CALLBACK_PUBLIC_KEY: publicKey.export({ type: 'spki', format: 'der' }).toString('base64'),
      }),
    );
    repo = api.app.get(CallbackInboxRepository);
    queue = api.app.get<Queue>(getQueueToken(QUEUES.trubitCallbacks));
    partnerId = (await new AdminClient(api.url, api.config.admin.token).createPartner()).partner.id;
  });
  after(async () => {
    await api.close();
  });

  test('one batch: a key twice is one row, an applied row is reported as such, new rows are new', async () => {
    const [a, b, c] = [orderId(), orderId(), orderId()];
    const done = callback(c, '40');
    const [applied] = await repo.storeMany([done]);
    await withDb((db) =>
      db.query(`UPDATE trubit_callbacks SET "processedAt" = now() WHERE id = $1`, [applied.id]),
    );

    const stored = await repo.storeMany([
      callback(a, '30'),
      callback(b, '40'),
      callback(a, '30'), // another delivery of the same fact (other webhookId, same dedupe key)
      callback(c, '40'),
    ]);
    assert.equal(stored.length, 4);
    assert.deepEqual(
      stored.map((s) => [s.processed, s.duplicate]),
      [
        [false, false],
        [false, false],
        [false, true],
        [true, true],
      ],
    );
    assert.equal(stored[2].id, stored[0].id);
    assert.equal(stored[3].id, applied.id);
    assert.equal((await inboxRows(a)).length, 1);
    assert.equal((await inboxRows(a))[0].id, stored[0].id);
    assert.equal((await inboxRows(b))[0].id, stored[1].id);
    assert.equal((await inboxRows(c)).length, 1);
  });

  test('concurrent writers with overlapping keys store each key once and agree on its id', async () => {
    const ids = Array.from({ length: 30 }, orderId);
    // Four writers on their own connections, each with every other key: each key is written by two of them.
    const keysOf = (w: number) => ids.filter((_, i) => (i + w) % 2 === 0);
    const batches = await Promise.all(
      [0, 1, 2, 3].map((w) => repo.storeMany(keysOf(w).map((id) => callback(id, '30')))),
    );
    const seen = new Map<string, Array<{ id: string; duplicate: boolean }>>();
    batches.forEach((batch, w) =>
      batch.forEach((s, i) => seen.set(keysOf(w)[i], [...(seen.get(keysOf(w)[i]) ?? []), s])),
    );
    for (const id of ids) {
      const rows = await inboxRows(id);
      assert.equal(rows.length, 1);
      const told = seen.get(id)!;
      assert.equal(told.length, 2);
      assert.ok(told.every((s) => s.id === rows[0].id));
      // Exactly one writer inserted it; the other was told it was already there.
      assert.equal(told.filter((s) => !s.duplicate).length, 1);
    }
  });

  test('a key committed by another writer while our statement waited on it is found and reported', async () => {
    const id = orderId();
    const theirs = callback(id, '60');
    const ours = callback(id, '60');
    await withDb(async (db) => {
      await db.query('BEGIN');
      const { rows } = await db.query(
        `INSERT INTO trubit_callbacks ("dedupeKey", "trubitOrderId", "orderStatus", "rawBody")
         VALUES ($1, $2, 60, $3) RETURNING id::text`,
        [theirs.facts.dedupeKey, id, theirs.rawBody],
      );
      // Our insert blocks on their uncommitted row; its snapshot predates their commit.
      const pending = repo.storeMany([ours]);
      await new Promise((r) => setTimeout(r, 200));
      await db.query('COMMIT');
      const [stored] = await pending;
      assert.deepEqual(stored, { id: rows[0].id, processed: false, duplicate: true, orderKnown: false });
    });
    assert.equal((await inboxRows(id)).length, 1);
  });

  test('a burst of N distinct callbacks over HTTP: N SUCCESS answers, N rows, a job under cb-<id> for each known order', async () => {
    const n = 120;
    const ids = Array.from({ length: n }, orderId);
    // Half of them name one of our orders; the other half an order we do not know (yet).
    const known = new Set(ids.filter((_, i) => i % 2 === 0));
    for (const id of known) await insertLinkedOrder(partnerId, id, { status: 'ACTIVE' });
    const answers = await Promise.all(ids.map((id) => post(orderWebhookBody(id, '30'))));
    for (const res of answers) {
      assert.equal(res.status, 200);
      assert.deepEqual(res.body, { callbackStatus: 'SUCCESS' });
    }
    const rows = await Promise.all(ids.map(async (id) => ({ id, row: (await inboxRows(id))[0] })));
    assert.ok(rows.every((r) => r.row)); // committed before the answers
    const withOrder = rows.filter((r) => known.has(r.id)).map((r) => r.row);
    const without = rows.filter((r) => !known.has(r.id)).map((r) => r.row);
    assert.ok(
      await eventually(
        async () => (await Promise.all(withOrder.map((r) => jobOf(r.id)))).every(Boolean),
        5000,
      ),
      'every stored callback of a known order has its job',
    );
    const job = await jobOf(withOrder[0].id);
    assert.deepEqual(job!.data, { callbackId: withOrder[0].id });
    assert.equal(job!.opts.attempts, 6);
    // Each batch mixed both kinds and enqueued its known ones in one call: by now an unknown one would be there.
    assert.deepEqual(
      (await Promise.all(without.map((r) => jobOf(r.id)))).filter(Boolean),
      [],
      'a callback for an unknown order waits in the inbox without a job',
    );
  });

  test('duplicates in a burst: stored once; an unapplied one is enqueued (same job), an applied one is not', async () => {
    const [open, done] = [orderId(), orderId()];
    await insertLinkedOrder(partnerId, open, { status: 'ACTIVE' });
    await insertLinkedOrder(partnerId, done, { status: 'ACTIVE' });
    const openBody = orderWebhookBody(open, '50');
    const doneBody = orderWebhookBody(done, '50');
    assert.equal((await post(doneBody)).status, 200);
    const [doneRow] = await inboxRows(done);
    await withDb((db) =>
      db.query(`UPDATE trubit_callbacks SET "processedAt" = now() WHERE id = $1`, [doneRow.id]),
    );
    assert.ok(await eventually(async () => Boolean(await jobOf(doneRow.id)), 5000));
    await (await jobOf(doneRow.id))!.remove(); // as if it ran and was cleaned up

    const answers = await Promise.all([
      ...Array.from({ length: 5 }, () => post(openBody)),
      ...Array.from({ length: 5 }, () => post(orderWebhookBody(open, '50'))), // same fact, other bytes
      ...Array.from({ length: 5 }, () => post(doneBody)),
    ]);
    assert.ok(answers.every((r) => r.status === 200 && r.body.callbackStatus === 'SUCCESS'));
    const [openRow] = await inboxRows(open);
    assert.equal((await inboxRows(open)).length, 1);
    assert.equal((await inboxRows(done)).length, 1);
    assert.ok(await eventually(async () => Boolean(await jobOf(openRow.id)), 5000));
    assert.equal(await jobOf(doneRow.id), undefined, 'an applied callback is not enqueued again');
  });

  test('a repeat of a stored callback whose job was lost adds the job again', async () => {
    const id = orderId();
    await insertLinkedOrder(partnerId, id, { status: 'ACTIVE' });
    const body = orderWebhookBody(id, '40');
    // Stored by an earlier delivery whose enqueue never happened (crash after commit).
    const [stored] = await repo.storeMany([{ facts: callbackFacts(body), rawBody: body }]);
    assert.equal(await jobOf(stored.id), undefined);
    const res = await post(orderWebhookBody(id, '40'));
    assert.deepEqual(res.body, { callbackStatus: 'SUCCESS' });
    assert.ok(await eventually(async () => Boolean(await jobOf(stored.id)), 5000));
    assert.equal((await inboxRows(id)).length, 1);
  });

  test('a row Postgres refuses fails only its own request; the rest of its batch is stored', async () => {
    const good = Array.from({ length: 6 }, orderId);
    const bad = orderId();
    const answers = await Promise.all([
      ...good.map((id) => post(orderWebhookBody(id, '30'))),
      post(orderWebhookBody(bad, '99999999999')), // digits, but beyond the int column
    ]);
    assert.deepEqual(
      answers.map((r) => r.status),
      [200, 200, 200, 200, 200, 200, 503],
    );
    assert.deepEqual(answers[6].body, { callbackStatus: 'FAIL' });
    for (const id of good) assert.equal((await inboxRows(id)).length, 1);
    assert.deepEqual(await inboxRows(bad), []);
  });

  test('forged callbacks in a burst are refused and store nothing', async () => {
    const forger = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
    const ids = Array.from({ length: 10 }, orderId);
    const answers = await Promise.all(
      ids.map((id, i) => {
        const body = orderWebhookBody(id, '30');
        return http('POST', `${api.url}/callbacks/trubit`, {
          rawBody: body,
          headers: {
            'content-type': 'application/json',
            signature: signHex(body, i % 2 ? forger : privateKey),
          },
        });
      }),
    );
    assert.deepEqual(
      answers.map((r) => r.status),
      ids.map((_, i) => (i % 2 ? 401 : 200)),
    );
    for (const [i, id] of ids.entries()) assert.equal((await inboxRows(id)).length, i % 2 ? 0 : 1);
  });

  test('the sweeper finds lost enqueues however many unapplied callbacks there are (newest first, then the rest)', async () => {
    const prefix = orderId();
    // 1100 stored callbacks of known orders whose jobs were never added (a crash after commit), an hour old…
    const ours = Array.from({ length: 1100 }, (_, i) => `${prefix}${i + 1}`);
    await insertOrders(ours);
    const { rows } = await withDb((db) =>
      db.query<{ id: string }>(
        `INSERT INTO trubit_callbacks ("dedupeKey", "trubitOrderId", "orderStatus", "rawBody", "receivedAt")
         SELECT $1 || i || ':30', $1 || i, 30, '{}', now() - interval '1 hour' FROM generate_series(1, 1100) i
         RETURNING id::text`,
        [prefix],
      ),
    );
    // …and, newer than all of them, 600 for orders we do not know: not candidates, they must not hide the rest.
    const foreign = orderId();
    const { rows: unknown } = await withDb((db) =>
      db.query<{ id: string }>(
        `INSERT INTO trubit_callbacks ("dedupeKey", "trubitOrderId", "orderStatus", "rawBody", "receivedAt")
         SELECT $1 || i || ':30', $1 || i, 30, '{}', now() - interval '1 minute' FROM generate_series(1, 600) i
         RETURNING id::text`,
        [foreign],
      ),
    );
    const sweeper = new CallbackSweeper(repo, api.app.get(CallbackJobs), api.app.get(CallbackApplier));
    const missing = async () => (await Promise.all(rows.map((r) => jobOf(r.id)))).filter((j) => !j).length;
    const newest = rows[rows.length - 1].id;
    const oldest = rows[0].id;
    await sweeper.sweep();
    assert.ok(await jobOf(newest), 'the newest loss is found by the first sweep');
    for (let i = 0; i < 3 && (await missing()) > 0; i++) await sweeper.sweep();
    assert.equal(await missing(), 0);
    assert.ok(await jobOf(oldest));
    assert.deepEqual(
      (await Promise.all(unknown.map((r) => jobOf(r.id)))).filter(Boolean),
      [],
      'no job for a callback whose order is unknown',
    );
    assert.equal(
      await sweeper.sweep(),
      0,
      'nothing left to do: the unknown ones are not swept again and again',
    );
  });

  /** Minimal order rows (one user, one used quote each) carrying these TruBit order ids. */
  async function insertOrders(trubitOrderIds: string[]): Promise<void> {
    const first = await insertLinkedOrder(partnerId, trubitOrderIds[0], { status: 'ACTIVE' });
    await withDb((db) =>
      db.query(
        `WITH src AS (SELECT * FROM orders WHERE id = $1), ids AS (SELECT t, ord FROM unnest($2::text[]) WITH ORDINALITY AS u(t, ord))
         , q AS (
           INSERT INTO quotes (id, "partnerId", "userId", token, amount, "exchangeRate", "grossAmountMxn", "feePercent",
             "feeAmountMxn", "feeRecipient", "netAmountMxn", "revenueSharePercent", "expiresAt", "usedAt")
           SELECT src."quoteId" || '-' || ids.ord, qq.*
           FROM src, ids, LATERAL (SELECT "partnerId", "userId", token, amount, "exchangeRate", "grossAmountMxn",
             "feePercent", "feeAmountMxn", "feeRecipient", "netAmountMxn", "revenueSharePercent", "expiresAt", "usedAt"
             FROM quotes WHERE id = src."quoteId") qq
           RETURNING id
         )
         INSERT INTO orders (id, "partnerId", "userId", "quoteId", status, submission, token, amount, "exchangeRate",
           "grossAmountMxn", "feePercent", "feeAmountMxn", "feeRecipient", "netAmountMxn", "sellQuantity",
           "revenueSharePercent", "partnerFeeMxn", "platformFeeMxn", "sellerClabe", "bankCode", "bankName",
           "trubitOrderId", "submitAttempts", "submittedAt", "expiresAt", "updatedAt")
         SELECT src.id || '-' || ids.ord, src."partnerId", src."userId", src."quoteId" || '-' || ids.ord, src.status,
           src.submission, src.token, src.amount, src."exchangeRate", src."grossAmountMxn", src."feePercent",
           src."feeAmountMxn", src."feeRecipient", src."netAmountMxn", src."sellQuantity", src."revenueSharePercent",
           src."partnerFeeMxn", src."platformFeeMxn", src."sellerClabe", src."bankCode", src."bankName", ids.t,
           src."submitAttempts", src."submittedAt", src."expiresAt", now()
         FROM src, ids WHERE ids.ord > 1 AND EXISTS (SELECT 1 FROM q)`,
        [first, trubitOrderIds],
      ),
    );
  }
});

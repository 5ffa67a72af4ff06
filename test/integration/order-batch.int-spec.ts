// The order batch's SQL against the real Postgres on pipelined connections: BEGIN + locks + reads in one round
// trip, write + COMMIT in another. What matters: the reads see the partner's state, a write that cannot consume
// every quote stores nothing (its COMMIT lands on an aborted transaction), and the partner lock serialises batches.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { newId } from '@app/infra/crypto/ids';
import type { OrderEventRow } from '@app/modules/orders/events/order-event.rows';
import {
  OrderCreationRepository,
  ReadRequest,
} from '@app/modules/orders/repositories/order-creation.repository';
import { NewOrder } from '@app/modules/orders/services/order-admission';
import { withDb } from '@test/support/db';

const url = process.env.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/test';
const NOW = new Date();

describe('order batch SQL (pipelined)', () => {
  const repo = new OrderCreationRepository();
  const pool = new pg.Pool({ connectionString: url, max: 3, pipeline: true });
  const partnerId = `ptn_batch${randomBytes(4).toString('hex')}`;
  const userId = `usr_batch${randomBytes(4).toString('hex')}`;

  const newQuote = async (): Promise<string> => {
    const id = newId.quote();
    await withDb((db) =>
      db.query(
        `INSERT INTO quotes (id, "partnerId", "userId", token, amount, "exchangeRate", "grossAmountMxn", "feePercent",
                             "feeAmountMxn", "feeRecipient", "netAmountMxn", "revenueSharePercent", "expiresAt")
         VALUES ($1, $2, $3, 'USDT', 10, 20, 200, 0, 0, 'NONE', 200, 0, now() + interval '5 minutes')`,
        [id, partnerId, userId],
      ),
    );
    return id;
  };
  const readRequest = (quoteIds: string[]): ReadRequest => ({
    quoteIds,
    partnerIds: [partnerId],
    limitedPartnerIds: [partnerId],
    dayStart: new Date(NOW.getTime() - 86_400_000),
    monthStart: new Date(NOW.getTime() - 30 * 86_400_000),
    accounts: [],
    operatorApiKey: 'operator',
  });
  const orderFor = (quoteId: string): NewOrder => ({
    id: newId.order(),
    partnerId,
    userId,
    partnerUserRef: 'batch-user',
    quoteId,
    token: 'USDT',
    amount: '10',
    exchangeRate: '20',
    grossAmountMxn: '200',
    feePercent: '0',
    feeAmountMxn: '0',
    feeRecipient: 'NONE',
    netAmountMxn: '200',
    sellQuantity: '10',
    reservedQuantity: '0',
    revenueSharePercent: '0',
    partnerFeeMxn: '0',
    platformFeeMxn: '0',
    sellerClabe: '002010077777777771',
    bankCode: '002',
    bankName: 'BANAMEX',
    amlRiskLevel: 'LOW',
    submission: 'NOT_SUBMITTED',
    fundedAt: null,
    expiresAt: new Date(NOW.getTime() + 3_600_000),
    createdAt: new Date(),
  });
  const eventFor = (o: NewOrder): OrderEventRow => {
    const eventId = newId.event();
    return {
      eventId,
      orderId: o.id,
      partnerId,
      event: 'order.created',
      sequence: 1,
      timeline: { status: 'PENDING_DEPOSIT' },
      payload: { id: eventId, event: 'order.created', data: { orderId: o.id } },
      createdAt: o.createdAt,
    };
  };
  const ordersOf = (quoteIds: string[]) =>
    withDb(async (db) => {
      const { rows } = await db.query<{ id: string; quoteId: string; sequence: number; events: number }>(
        `SELECT o.id, o."quoteId", o.sequence,
                (SELECT count(*) FROM order_events e WHERE e."orderId" = o.id)::int
                + (SELECT count(*) FROM outbox_events x WHERE x."orderId" = o.id)::int AS events
         FROM orders o WHERE o."quoteId" = ANY($1)`,
        [quoteIds],
      );
      return rows;
    });

  before(async () => {
    await withDb(async (db) => {
      await db.query(
        `INSERT INTO partners (id, name, tier, "kycModel", "webhookSecretEnc", "updatedAt")
         VALUES ($1, 'batch test', 'ENTERPRISE', 'PARTNER_MANAGED', 'x', now())`,
        [partnerId],
      );
      await db.query(
        `INSERT INTO end_users (id, "partnerId", "partnerUserRef", "updatedAt") VALUES ($1, $2, 'batch-user', now())`,
        [userId, partnerId],
      );
    });
  });
  after(async () => {
    await withDb((db) => db.query('DELETE FROM partners WHERE id = $1', [partnerId]));
    await pool.end();
  });

  test('reads the quotes with their user, and stores orders, timeline and outbox rows at sequence 1', async () => {
    const quoteIds = [await newQuote(), await newQuote()];
    const client = await pool.connect();
    try {
      const reads = await repo.beginLockAndRead(
        client,
        { partnerIds: [partnerId], accountKeys: [] },
        readRequest(quoteIds),
      );
      assert.deepEqual([...reads.quotes.keys()].sort(), [...quoteIds].sort());
      const q = reads.quotes.get(quoteIds[0])!;
      assert.equal(q.user.partnerUserRef, 'batch-user');
      assert.equal(q.grossAmountMxn, '200.00');
      assert.equal(q.usedAt, null);
      assert.ok(Math.abs(q.expiresAt.getTime() - (Date.now() + 300_000)) < 60_000, 'UTC round trip');
      const orders = quoteIds.map(orderFor);
      await repo.writeAndCommit(client, new Date(), orders, orders.map(eventFor));
    } finally {
      client.release();
    }
    const stored = await ordersOf(quoteIds);
    assert.equal(stored.length, 2);
    for (const o of stored) assert.deepEqual([o.sequence, o.events], [1, 2]);
    const used = await withDb((db) =>
      db.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM quotes WHERE id = ANY($1) AND "usedAt" IS NOT NULL`,
        [quoteIds],
      ),
    );
    assert.equal(used.rows[0].n, 2);
  });

  test('a quote consumed behind the batch’s back: the write fails and nothing of the batch is stored', async () => {
    const quoteIds = [await newQuote(), await newQuote()];
    const client = await pool.connect();
    try {
      await repo.beginLockAndRead(
        client,
        { partnerIds: [partnerId], accountKeys: [] },
        readRequest(quoteIds),
      );
      // Something that does not take the partner lock consumes the second quote.
      await withDb((db) => db.query(`UPDATE quotes SET "usedAt" = now() WHERE id = $1`, [quoteIds[1]]));
      const orders = quoteIds.map(orderFor);
      await assert.rejects(
        repo.writeAndCommit(client, new Date(), orders, orders.map(eventFor)),
        /order batch: 1 quotes consumed, 2 orders for 2/,
      );
      await client.query('ROLLBACK');
    } finally {
      client.release();
    }
    assert.deepEqual(await ordersOf(quoteIds), []);
    const firstUsed = await withDb((db) =>
      db.query<{ usedAt: Date | null }>(`SELECT "usedAt" FROM quotes WHERE id = $1`, [quoteIds[0]]),
    );
    assert.equal(firstUsed.rows[0].usedAt, null, 'the other quote was not consumed either');
  });

  test('a second batch of the same partner waits for the first one’s lock and then sees its orders', async () => {
    const [q1, q2] = [await newQuote(), await newQuote()];
    const first = await pool.connect();
    const second = await pool.connect();
    try {
      await repo.beginLockAndRead(first, { partnerIds: [partnerId], accountKeys: [] }, readRequest([q1]));
      let secondRead = false;
      const pending = repo
        .beginLockAndRead(second, { partnerIds: [partnerId], accountKeys: [] }, readRequest([q1, q2]))
        .then((r) => {
          secondRead = true;
          return r;
        });
      await new Promise((r) => setTimeout(r, 300));
      assert.equal(secondRead, false, 'blocked on the partner lock');
      const o = orderFor(q1);
      await repo.writeAndCommit(first, new Date(), [o], [eventFor(o)]);
      const reads = await pending;
      assert.ok(reads.quotes.get(q1)!.usedAt, 'sees the quote the first batch consumed');
      assert.equal(Number(reads.partnerVolume.get(partnerId)?.daily), Number(await dailyOf(partnerId)));
      await second.query('COMMIT');
    } finally {
      first.release();
      second.release();
    }
  });
});

async function dailyOf(partnerId: string): Promise<string> {
  const { rows } = await withDb((db) =>
    db.query<{ s: string }>(
      `SELECT COALESCE(SUM("grossAmountMxn"), 0)::text AS s FROM orders WHERE "partnerId" = $1 AND status NOT IN ('CANCELLED','EXPIRED','REJECTED','FAILED')`,
      [partnerId],
    ),
  );
  return rows[0].s;
}

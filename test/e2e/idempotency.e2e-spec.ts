import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { CreatedPartner } from '@test/support/admin-client';
import { withDb } from '@test/support/db';
import { RunningStack, startStack } from '@test/support/stack-harness';
import { eventually } from '@test/support/timing';
import { countOrders, GOOD_CLABE, TestUser, TradingFixture } from '@test/fixtures/trading.fixture';

const recordState = (partnerId: string, key: string) =>
  withDb(
    async (db) =>
      (
        await db.query(`SELECT state FROM idempotency_records WHERE "partnerId" = $1 AND key = $2`, [
          partnerId,
          key,
        ])
      ).rows[0]?.state as string | undefined,
  );

describe('Idempotency-Key on POST /orders', () => {
  let stack: RunningStack;
  let fx: TradingFixture;
  let p: CreatedPartner;
  let user: TestUser;

  before(async () => {
    stack = await startStack({ env: { RECONCILE_INTERVAL_MS: '3600000' } });
    fx = new TradingFixture(stack);
    p = await fx.partnerWithAccount('0');
    user = await fx.user(p.apiKey, p.partner.id);
  });
  after(async () => {
    await fx.closeOut();
    await stack.close();
  });

  const key = () => `key-${Math.random().toString(36).slice(2)}`;
  const newBody = async (partner = p, u = user) => {
    const q = await fx.quote(partner.apiKey, partner.partner.id, u, { amount: 3 });
    return { quoteId: q.id, partnerUserRef: u.partnerUserRef, sellerClabe: GOOD_CLABE };
  };

  test('same key, same body → the stored 201 replayed with Idempotent-Replayed; one order', async () => {
    const k = key();
    const body = await newBody();
    const before = await countOrders(p.partner.id);
    const first = await fx.order(p.apiKey, body, { 'idempotency-key': k });
    assert.equal(first.status, 201, first.text);
    assert.equal(first.headers.get('idempotent-replayed'), null);
    // Same JSON with the keys in another order is the same request.
    const reordered = {
      sellerClabe: body.sellerClabe,
      partnerUserRef: body.partnerUserRef,
      quoteId: body.quoteId,
    };
    const again = await fx.order(p.apiKey, reordered, { 'idempotency-key': k });
    assert.equal(again.status, 201);
    assert.equal(again.headers.get('idempotent-replayed'), 'true');
    assert.deepEqual(again.body, first.body);
    assert.equal(await countOrders(p.partner.id), before + 1);
    // Without the key the same body is a new attempt, and the quote is spent.
    const noKey = await fx.order(p.apiKey, body);
    assert.deepEqual([noKey.status, noKey.body.error], [409, 'QUOTE_USED']);
  });

  test('same key, different body → 422 IDEMPOTENCY_KEY_REUSED, nothing created', async () => {
    const k = key();
    assert.equal((await fx.order(p.apiKey, await newBody(), { 'idempotency-key': k })).status, 201);
    const other = await newBody();
    const before = await countOrders(p.partner.id);
    const res = await fx.order(p.apiKey, other, { 'idempotency-key': k });
    assert.equal(res.status, 422, res.text);
    assert.equal(res.body.error, 'IDEMPOTENCY_KEY_REUSED');
    assert.equal(await countOrders(p.partner.id), before);
    assert.equal(
      (await fx.order(p.apiKey, other, { 'idempotency-key': key() })).status,
      201,
      'quote still usable',
    );
  });

  test('keys are scoped to the partner', async () => {
    const k = key();
    const q = await fx.partnerWithAccount('0');
    const qu = await fx.user(q.apiKey, q.partner.id);
    assert.equal((await fx.order(p.apiKey, await newBody(), { 'idempotency-key': k })).status, 201);
    const theirs = await fx.order(q.apiKey, await newBody(q, qu), { 'idempotency-key': k });
    assert.equal(theirs.status, 201, theirs.text);
    assert.equal(theirs.headers.get('idempotent-replayed'), null);
  });

  test('while the first is still running → 409 IDEMPOTENCY_IN_PROGRESS with Retry-After: 1, then the replay', async () => {
    // A slow TruBit balance read keeps the first request busy for a while.
    const slow = await fx.partnerWithAccount('0');
    const su = await fx.user(slow.apiKey, slow.partner.id);
    const body = await newBody(slow, su);
    const k = key();
    // Persistent until cleared: faults are global at the simulator and a background watcher pass must not use it up.
    await stack.simControl('POST', '/faults', {
      route: 'account',
      mode: 'latency',
      ms: 1500,
      persistent: true,
    });
    const first = fx.order(slow.apiKey, body, { 'idempotency-key': k });
    let during: Awaited<typeof first>;
    try {
      const claimed = await eventually(
        async () => (await recordState(slow.partner.id, k)) === 'IN_PROGRESS',
        1000,
        10,
      );
      assert.ok(claimed, 'the first request holds the key');
      during = await fx.order(slow.apiKey, body, { 'idempotency-key': k });
    } finally {
      await stack.simControl('DELETE', '/faults');
    }
    assert.equal(during.status, 409, during.text);
    assert.equal(during.body.error, 'IDEMPOTENCY_IN_PROGRESS');
    assert.equal(during.headers.get('retry-after'), '1');
    const done = await first;
    assert.equal(done.status, 201);
    const replay = await fx.order(slow.apiKey, body, { 'idempotency-key': k });
    assert.equal(replay.status, 201);
    assert.equal(replay.headers.get('idempotent-replayed'), 'true');
    assert.equal(replay.body.id, done.body.id);
    assert.equal(await countOrders(slow.partner.id), 1);
  });

  test('two identical requests at once → one order', async () => {
    const body = await newBody();
    const k = key();
    const before = await countOrders(p.partner.id);
    const results = await Promise.all([
      fx.order(p.apiKey, body, { 'idempotency-key': k }),
      fx.order(p.apiKey, body, { 'idempotency-key': k }),
    ]);
    const statuses = results.map((r) => r.status).sort();
    assert.ok(statuses.includes(201), statuses.join(','));
    for (const r of results) {
      if (r.status === 409) assert.equal(r.body.error, 'IDEMPOTENCY_IN_PROGRESS');
      else assert.equal(r.status, 201);
    }
    assert.equal(await countOrders(p.partner.id), before + 1);
  });

  test('a final 4xx is stored and replayed too', async () => {
    const k = key();
    const body = { ...(await newBody()), sellerClabe: '012345678901234567' };
    const first = await fx.order(p.apiKey, body, { 'idempotency-key': k });
    assert.deepEqual([first.status, first.body.error], [400, 'INVALID_CLABE']);
    const again = await fx.order(p.apiKey, body, { 'idempotency-key': k });
    assert.deepEqual([again.status, again.body.error], [400, 'INVALID_CLABE']);
    assert.equal(again.headers.get('idempotent-replayed'), 'true');
    assert.deepEqual(again.body.details, first.body.details);
    assert.equal(typeof again.body.requestId, 'string');
  });

  test('a bad Idempotency-Key → VALIDATION_ERROR and nothing happens', async () => {
    const body = await newBody();
    const before = await countOrders(p.partner.id);
    for (const bad of ['x'.repeat(256), 'clé-\u00e9', '   ']) {
      const res = await fx.order(p.apiKey, body, { 'idempotency-key': bad });
      assert.equal(res.status, 400, JSON.stringify(bad));
      assert.equal(res.body.error, 'VALIDATION_ERROR');
    }
    assert.equal((await fx.order(p.apiKey, body, { 'idempotency-key': 'x'.repeat(255) })).status, 201);
    assert.equal(await countOrders(p.partner.id), before + 1);
  });

  test('records are kept 24 h: an expired key can be used again', async () => {
    const k = key();
    assert.equal((await fx.order(p.apiKey, await newBody(), { 'idempotency-key': k })).status, 201);
    const row = await withDb(
      async (db) =>
        (
          await db.query(
            `SELECT "createdAt", "expiresAt", state FROM idempotency_records WHERE "partnerId" = $1 AND key = $2`,
            [p.partner.id, k],
          )
        ).rows[0],
    );
    assert.equal(row.state, 'COMPLETED');
    assert.equal(row.expiresAt.getTime() - row.createdAt.getTime(), 24 * 3600 * 1000);
    await withDb((db) =>
      db.query(
        `UPDATE idempotency_records SET "expiresAt" = now() - interval '1 second' WHERE "partnerId" = $1 AND key = $2`,
        [p.partner.id, k],
      ),
    );
    const reused = await fx.order(p.apiKey, await newBody(), { 'idempotency-key': k });
    assert.equal(reused.status, 201, reused.text);
    assert.equal(reused.headers.get('idempotent-replayed'), null);
  });
});

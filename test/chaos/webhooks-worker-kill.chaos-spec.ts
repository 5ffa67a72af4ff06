// kill -9 of a worker process in the middle of 1,000 deliveries, then SIGTERM of its replacement: every event
// is delivered, duplicates (at-least-once) are counted and bounded, per-order order holds, nothing is lost.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { newId } from '@app/infra/crypto/ids';
import { withDb } from '@test/support/db';
import { RunningStack, startStack } from '@test/support/stack-harness';
import { eventually, quiescent } from '@test/support/timing';
import { WebhookReceiver } from '@test/fixtures/webhook-receiver';
import { EventSpec, insertOutboxEvents, orderEvents } from '@test/fixtures/webhooks.fixtures';
import { WorkerProcess, spawnWorker } from '@test/fixtures/worker-process';

const TOTAL = 1000;

describe('chaos: worker killed during 1,000 webhook deliveries', () => {
  let stack: RunningStack;
  const receivers: WebhookReceiver[] = [];
  const workers: WorkerProcess[] = [];

  before(async () => {
    // API in process; workers only as child processes (the real entry point) so they can really die.
    stack = await startStack({ worker: false, env: { WEBHOOK_RETRY_SCHEDULE_MS: '0,250,500,1000,2000' } });
  });
  after(async () => {
    for (const w of workers) w.kill('SIGKILL');
    for (const r of receivers) await r.stop();
    await stack.close();
  });

  async function deliveredCount(ids: string[]): Promise<number> {
    return withDb(async (db) => {
      const { rows } = await db.query(
        `SELECT count(*)::int AS n FROM webhook_deliveries WHERE "eventId" = ANY($1) AND status = 'DELIVERED'`,
        [ids],
      );
      return rows[0].n as number;
    });
  }

  test('every event is delivered after kill -9 and SIGTERM; duplicates stay bounded', async () => {
    const partners = [];
    for (let i = 0; i < 2; i++) {
      // A few ms per request so that there is always something in flight to kill.
      const receiver = await new WebhookReceiver().start();
      receiver.responder = () => ({ status: 200, delayMs: 3 + Math.floor(Math.random() * 10) });
      receivers.push(receiver);
      partners.push({
        id: (await stack.admin.createPartner({ webhookUrl: receiver.url })).partner.id,
        receiver,
      });
    }
    // Per partner: 60 orders × 5 events + 200 other events = 500.
    const ids: string[] = [];
    for (const p of partners) {
      const events: EventSpec[] = Array.from({ length: 60 }, () => newId.order()).flatMap((o) =>
        orderEvents(o, 5),
      );
      events.push(...Array.from({ length: 200 }, () => ({ event: 'user.kyc_approved', data: {} })));
      ids.push(...(await insertOutboxEvents(p.id, events)));
    }
    assert.equal(ids.length, TOTAL);

    const received = () => receivers.reduce((n, r) => n + r.received.length, 0);
    const distinct = () => receivers.reduce((n, r) => n + r.distinctEvents().size, 0);

    const first = spawnWorker(stack);
    workers.push(first);
    assert.ok(await eventually(async () => distinct() >= 300, 60_000, 10), 'first worker started delivering');
    first.kill('SIGKILL');
    const killed = await first.exited;
    assert.equal(killed.signal, 'SIGKILL');
    // Requests the killed worker had sent can still sit unread in this process's sockets when its exit is
    // reported: wait until the receivers are quiet, so that everything that arrived before the replacement
    // starts is the killed worker's, and everything after it is not.
    const atExit = received();
    const landedLate = (await quiescent(received, 500)) - atExit;
    const atKill = distinct();
    // What the killed worker sent but had not recorded: only these may be sent again (at-least-once). Nothing
    // writes deliveries until the replacement starts, so this is exact.
    const sentBeforeKill = receivers.flatMap((r) => [...r.distinctEvents()]);
    const unrecordedAtKill = new Set(
      await withDb(async (db) => {
        const { rows } = await db.query(
          `SELECT "eventId" FROM webhook_deliveries WHERE "eventId" = ANY($1) AND status = 'PENDING'`,
          [sentBeforeKill],
        );
        return rows.map((r) => r.eventId as string);
      }),
    );
    console.log(
      `# kill -9 after ${atKill} distinct events (${received()} requests, ${landedLate} read after the exit); ` +
        `${unrecordedAtKill.size} sent but not recorded`,
    );
    assert.ok(atKill < TOTAL, 'the worker died in the middle of the run');

    const replacedAt = Date.now();
    const second = spawnWorker(stack);
    workers.push(second);
    assert.ok(await eventually(async () => distinct() >= atKill + 200, 60_000, 10), 'replacement delivering');
    const stoppingAt = Date.now();
    second.kill('SIGTERM');
    const stopped = await second.exited;
    console.log(
      `# SIGTERM after ${distinct()} distinct events; worker exited with ${stopped.signal ?? stopped.code}`,
    );
    assert.ok(stopped.signal === 'SIGTERM' || stopped.code === 0);

    const third = spawnWorker(stack);
    workers.push(third);
    assert.ok(
      await eventually(async () => (await deliveredCount(ids)) === TOTAL, 120_000, 250),
      'all delivered',
    );

    const duplicates = received() - distinct();
    console.log(
      `# ${distinct()} distinct events delivered with ${received()} requests: ${duplicates} duplicate(s)`,
    );
    assert.equal(distinct(), TOTAL);
    for (const r of receivers) assert.ok([...r.distinctEvents()].every((e) => ids.includes(e)));
    // At-least-once, and no more: an event is sent again only if the killed worker had sent it without
    // recording the attempt, and then once; the SIGTERM'd worker finished and recorded its attempts, so it
    // left nothing to repeat.
    assert.ok(duplicates <= unrecordedAtKill.size, `${duplicates} duplicates`);
    for (const r of receivers)
      for (const id of r.distinctEvents()) {
        const times = r.forEvent(id).map((req) => req.at - replacedAt);
        if (times.length === 1) continue;
        const when = `received at ${times.join(', ')} ms from the replacement's start (SIGTERM at ${stoppingAt - replacedAt} ms)`;
        assert.ok(unrecordedAtKill.has(id), `${id} repeated but not left unrecorded by the kill: ${when}`);
        assert.equal(times.length, 2, `${id} sent more than twice: ${when}`);
      }

    // Per order, the first delivery of event n+1 never precedes event n.
    for (const r of receivers) {
      const byOrder = new Map<string, number[]>();
      for (const req of r.received) {
        const o = req.body?.data?.orderId;
        if (o) byOrder.set(o, [...(byOrder.get(o) ?? []), req.body.data.sequence]);
      }
      for (const [o, seqs] of byOrder)
        assert.deepEqual(
          seqs,
          [...seqs].sort((x, y) => x - y),
          o,
        );
    }
    const attempts = await withDb(async (db) => {
      const { rows } = await db.query(
        `SELECT count(*)::int AS n FROM webhook_attempts a JOIN webhook_deliveries d ON d.id = a."deliveryId"
          WHERE d."eventId" = ANY($1)`,
        [ids],
      );
      return rows[0].n as number;
    });
    assert.equal(attempts, TOTAL); // one recorded attempt per delivery: a repeated POST is not a second attempt
    third.kill('SIGTERM');
    await third.exited;
  });
});

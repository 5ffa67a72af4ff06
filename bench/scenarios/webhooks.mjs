// Issue 5: webhook delivery throughput (outbox → relay → signed POST → recorded; retries as BullMQ jobs) to a
// local receiver vs BullMQ's own throughput for no-op jobs at the same concurrency, measured in the same run.
// Target ≥ 50%. Both sides start from a filled queue (jobs added / events committed before the clock starts) and
// are measured after an unmeasured warm-up round. The two sides then alternate for BENCH_WEBHOOKS_ROUNDS rounds
// and the median round's ratio is the result: this VM's speed drifts by up to 2x within minutes, and a ratio of
// two measurements taken back to back is what that drift disturbs least.
import { createServer } from 'node:http';
import { randomBytes } from 'node:crypto';
import { Queue, Worker } from 'bullmq';
import pg from 'pg';
import { Redis } from 'ioredis';
import { medianRound } from '../lib/rounds.mjs';

const N = Number(process.env.BENCH_WEBHOOKS ?? 3000);
/** Unmeasured first round on each side, so both are measured warm (JIT, pools, adaptive concurrency). */
const WARM_UP = Number(process.env.BENCH_WEBHOOKS_WARM_UP ?? 2000);
/**
 * Measured rounds, each one baseline run then one gateway run of N. Five: single rounds ranged from 0.19 to 0.53
 * within one afternoon (the no-op baseline alone from 8,000 to 22,000 jobs/s), and a round is only a second or
 * two, so the median of five costs little and moves less than the median of three.
 */
const ROUNDS = Math.max(1, Number(process.env.BENCH_WEBHOOKS_ROUNDS ?? 5));

/** BullMQ's throughput on `n` no-op jobs, from a filled queue (the jobs are added before the clock starts). */
async function noopBaseline(ctx, concurrency, n) {
  const connection = { url: ctx.env.REDIS_URL ?? 'redis://127.0.0.1:6379', maxRetriesPerRequest: null };
  const prefix = `${ctx.env.REDIS_PREFIX}benchnoop`;
  const queue = new Queue('noop', { connection, prefix });
  await queue.addBulk(
    Array.from({ length: n }, (_, i) => ({ name: 'noop', data: { i }, opts: { removeOnComplete: true } })),
  );
  let done = 0;
  const start = Date.now();
  const finished = new Promise((resolve) => {
    const worker = new Worker('noop', async () => {}, { connection, prefix, concurrency });
    worker.on('completed', () => {
      if (++done === n) resolve(worker);
    });
  });
  const worker = await finished;
  const seconds = (Date.now() - start) / 1000;
  await worker.close();
  await queue.obliterate({ force: true });
  await queue.close();
  return { rps: n / seconds, total: n, seconds };
}

/**
 * Writes `n` events to the outbox in one transaction (as many committed events as the baseline has jobs
 * added) and returns when they are committed; the gateway's relays are nudged as its own writers do.
 */
async function fillOutbox(db, partnerId, n) {
  const now = new Date().toISOString();
  await db.query('BEGIN');
  for (let i = 0; i < n; i += 500) {
    const values = [];
    const params = [];
    for (let j = i; j < Math.min(n, i + 500); j++) {
      const eventId = `evt_bench${randomBytes(8).toString('hex')}`;
      const payload = {
        id: eventId,
        event: 'user.kyc_approved',
        createdAt: now,
        data: { partnerUserRef: `u${j}`, kycStatus: 'APPROVED' },
      };
      params.push(eventId, partnerId, 'user.kyc_approved', JSON.stringify(payload));
      const k = params.length;
      values.push(`($${k - 3}, $${k - 2}, $${k - 1}, $${k}::jsonb)`);
    }
    await db.query(
      `INSERT INTO outbox_events ("eventId", "partnerId", "eventType", payload) VALUES ${values.join(',')}`,
      params,
    );
  }
  await db.query('COMMIT');
}

export default {
  name: 'webhooks',
  description: 'webhook delivery vs BullMQ no-op jobs',
  async run(ctx) {
    const concurrency = Number(process.env.WEBHOOK_CONCURRENCY ?? 50);
    ctx.progress(
      `webhooks: ${ROUNDS} rounds of ${N} BullMQ no-op jobs at concurrency ${concurrency} then ${N} events ` +
        `through outbox → relay → delivery (after ${WARM_UP} of each)`,
    );
    let received = 0;
    let expected = 0;
    let reached;
    const receiver = createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        res.writeHead(200).end();
        if (++received === expected) reached();
      });
    });
    await new Promise((r) => receiver.listen(0, '127.0.0.1', r));
    const { partner } = await ctx.createPartner({
      webhookUrl: `http://127.0.0.1:${receiver.address().port}/hook`,
    });
    const db = new pg.Client({ connectionString: ctx.databaseUrl });
    await db.connect();
    const nudge = new Redis(ctx.env.REDIS_URL ?? 'redis://127.0.0.1:6379');

    /** Delivers `n` events; the clock starts once they are committed (as the baseline's once its jobs are added). */
    const deliver = async (n) => {
      const all = new Promise((r) => (reached = r));
      expected = received + n;
      await fillOutbox(db, partner.id, n);
      const start = Date.now();
      // As the gateway's own writers do after a commit (OutboxNudge): the relays wake now, not at their next poll.
      await nudge.publish(`${ctx.env.REDIS_PREFIX}ch:outbox`, '1');
      const timeout = setTimeout(() => reached(), 120_000);
      await all;
      clearTimeout(timeout);
      return { delivered: received - (expected - n), seconds: (Date.now() - start) / 1000 };
    };
    if (WARM_UP) {
      await noopBaseline(ctx, concurrency, WARM_UP);
      await deliver(WARM_UP);
    }
    const rounds = [];
    for (let round = 1; round <= ROUNDS; round++) {
      const baseline = await noopBaseline(ctx, concurrency, N);
      const { delivered, seconds } = await deliver(N);
      const rps = delivered / seconds;
      rounds.push({ baseline: baseline.rps, rps, ratio: rps / baseline.rps, lost: N - delivered });
      ctx.progress(
        `webhooks: round ${round}: no-op ${baseline.rps.toFixed(0)}/s, deliveries ${rps.toFixed(0)}/s, ` +
          `ratio ${(rps / baseline.rps).toFixed(2)}`,
      );
    }
    await db.end();
    nudge.disconnect();
    receiver.close();
    const mid = medianRound(rounds);
    const lost = rounds.reduce((sum, r) => sum + r.lost, 0);
    return {
      measurements: [
        { label: `baseline: BullMQ no-op jobs (c=${concurrency})`, rps: mid.baseline, errors: 0 },
        { label: 'gateway: webhook deliveries', rps: mid.rps, errors: lost },
      ],
      checks: [
        {
          kind: 'ratio',
          label: `webhook delivery vs BullMQ no-op (median)`,
          value: mid.ratio,
          target: '≥ 0.50',
          targetValue: 0.5,
          pass: mid.ratio >= 0.5 && lost === 0,
        },
      ],
      rounds,
    };
  },
};

// Issue 5: webhook delivery throughput (outbox → relay → BullMQ → signed POST → recorded) to a local receiver
// vs BullMQ's own throughput for no-op jobs at the same concurrency, measured in the same run. Target ≥ 50%.
import { createServer } from 'node:http';
import { randomBytes } from 'node:crypto';
import { Queue, Worker } from 'bullmq';
import pg from 'pg';
import { Redis } from 'ioredis';

const N = Number(process.env.BENCH_WEBHOOKS ?? 3000);

async function noopBaseline(ctx, concurrency) {
  const connection = { url: ctx.env.REDIS_URL ?? 'redis://127.0.0.1:6379', maxRetriesPerRequest: null };
  const prefix = `${ctx.env.REDIS_PREFIX}benchnoop`;
  const queue = new Queue('noop', { connection, prefix });
  await queue.addBulk(
    Array.from({ length: N }, (_, i) => ({ name: 'noop', data: { i }, opts: { removeOnComplete: true } })),
  );
  let done = 0;
  const start = Date.now();
  const finished = new Promise((resolve) => {
    const worker = new Worker('noop', async () => {}, { connection, prefix, concurrency });
    worker.on('completed', () => {
      if (++done === N) resolve(worker);
    });
  });
  const worker = await finished;
  const seconds = (Date.now() - start) / 1000;
  await worker.close();
  await queue.obliterate({ force: true });
  await queue.close();
  return { rps: N / seconds, total: N, seconds };
}

export default {
  name: 'webhooks',
  description: 'webhook delivery vs BullMQ no-op jobs',
  async run(ctx) {
    const concurrency = Number(process.env.WEBHOOK_CONCURRENCY ?? 50);
    ctx.progress(`webhooks: baseline ${N} BullMQ no-op jobs at concurrency ${concurrency}`);
    const baseline = await noopBaseline(ctx, concurrency);

    let received = 0;
    let resolveAll;
    const all = new Promise((r) => (resolveAll = r));
    const receiver = createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        res.writeHead(200).end();
        if (++received === N) resolveAll();
      });
    });
    await new Promise((r) => receiver.listen(0, '127.0.0.1', r));
    const { partner } = await ctx.createPartner({
      webhookUrl: `http://127.0.0.1:${receiver.address().port}/hook`,
    });
    ctx.progress(`webhooks: ${N} events through outbox → relay → delivery`);
    const db = new pg.Client({ connectionString: ctx.databaseUrl });
    await db.connect();
    const nudge = new Redis(ctx.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
    const start = Date.now();
    const now = new Date().toISOString();
    for (let i = 0; i < N; i += 500) {
      const values = [];
      const params = [];
      for (let j = i; j < Math.min(N, i + 500); j++) {
        const eventId = `evt_bench${randomBytes(8).toString('hex')}`;
        const payload = {
          id: eventId,
          event: 'user.kyc_approved',
          createdAt: now,
          data: { partnerUserRef: `u${j}`, kycStatus: 'APPROVED' },
        };
        params.push(eventId, partner.id, 'user.kyc_approved', JSON.stringify(payload));
        const k = params.length;
        values.push(`($${k - 3}, $${k - 2}, $${k - 1}, $${k}::jsonb)`);
      }
      await db.query(
        `INSERT INTO outbox_events ("eventId", "partnerId", "eventType", payload) VALUES ${values.join(',')}`,
        params,
      );
      // As the gateway's own writers do after a commit (OutboxNudge): the relays wake now, not at their next poll.
      await nudge.publish(`${ctx.env.REDIS_PREFIX}ch:outbox`, '1');
    }
    const timeout = setTimeout(() => resolveAll(), 120_000);
    await all;
    clearTimeout(timeout);
    const seconds = (Date.now() - start) / 1000;
    await db.end();
    nudge.disconnect();
    receiver.close();
    const rps = received / seconds;
    const ratio = rps / baseline.rps;
    return {
      measurements: [
        { label: `baseline: BullMQ no-op jobs (c=${concurrency})`, rps: baseline.rps, errors: 0 },
        { label: 'gateway: webhook deliveries', rps, errors: N - received },
      ],
      checks: [
        {
          kind: 'ratio',
          label: 'webhook delivery vs BullMQ no-op',
          value: ratio,
          target: '≥ 0.50',
          targetValue: 0.5,
          pass: ratio >= 0.5 && received === N,
        },
      ],
    };
  },
};

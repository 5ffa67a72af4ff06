// Issue 5: TruBit callback ingestion (RSA verify + inbox insert + enqueue) vs a bare Fastify JSON POST of the
// same size, same load tool and connections. Target: ≥ 30% of the baseline. The two sides alternate for
// BENCH_CALLBACKS_ROUNDS rounds of BENCH_DURATION / 2 seconds each and the median round's ratio is the result
// (this VM's speed drifts within minutes; a ratio of neighbouring measurements is what the drift disturbs least).
import { createSign } from 'node:crypto';
import { load } from '../lib/load.mjs';
import { startServer } from '../lib/processes.mjs';
import { medianRound } from '../lib/rounds.mjs';

const ROUNDS = Math.max(1, Number(process.env.BENCH_CALLBACKS_ROUNDS ?? 3));

export default {
  name: 'callbacks',
  description: 'POST /callbacks/trubit vs bare Fastify POST',
  async run(ctx) {
    const connections = 50;
    const unique = Number(process.env.BENCH_CALLBACKS ?? 4000);
    ctx.progress(`callbacks: signing ${unique} distinct callbacks with the simulator's key`);
    const bodies = [];
    for (let i = 0; i < unique; i++) {
      const body = JSON.stringify({
        webhookId: `bench${i.toString(16).padStart(28, '0')}`,
        eventType: 'ORDER_WEBHOOK',
        orderId: String(900000000000000000n + BigInt(i)),
        merchantId: 1,
        orderType: 'SELL',
        fiat: 'MXN',
        fiatAmount: '99.00',
        crypto: 'USDT',
        cryptoAmount: '5.0000',
        orderPrice: '19.80',
        orderStatus: '30',
        createTime: String(Date.now()),
        updateTime: String(Date.now()),
      });
      const signature = createSign('sha256').update(body).sign(ctx.simPrivateKeyPem, 'hex');
      bodies.push({ body, signature });
    }
    const durationSec = Math.max(2, Math.round(ctx.durationSec / 2));
    let next = 0;
    const gatewayLoad = () =>
      load({
        url: `${ctx.apiUrl}/callbacks/trubit`,
        method: 'POST',
        connections,
        durationSec,
        headers: { 'content-type': 'application/json' },
        setupRequest: (req) => {
          const c = bodies[next++ % bodies.length];
          return { ...req, body: c.body, headers: { ...req.headers, signature: c.signature } };
        },
      });
    const bare = await startServer('bare-fastify.mjs');
    const rounds = [];
    try {
      for (let round = 1; round <= ROUNDS; round++) {
        ctx.progress(
          `callbacks: round ${round} of ${ROUNDS}: bare Fastify POST /echo, then POST /callbacks/trubit`,
        );
        const baseline = await load({
          url: `${bare.url}/echo`,
          method: 'POST',
          connections,
          durationSec,
          headers: { 'content-type': 'application/json' },
          body: bodies[0].body,
        });
        const gateway = await gatewayLoad();
        rounds.push({ baseline, gateway, ratio: gateway.rps / baseline.rps });
      }
    } finally {
      await bare.stop();
    }
    const mid = medianRound(rounds);
    const failed = rounds.reduce((sum, r) => sum + r.gateway.non2xx, 0);
    return {
      measurements: [
        { label: 'baseline: bare Fastify POST', ...mid.baseline },
        { label: 'gateway: POST /callbacks/trubit', ...mid.gateway },
      ],
      checks: [
        {
          kind: 'ratio',
          label: 'callback ingestion vs bare POST (median)',
          value: mid.ratio,
          target: '≥ 0.30',
          targetValue: 0.3,
          pass: mid.ratio >= 0.3 && failed === 0,
        },
      ],
      rounds: rounds.map((r) => ({ baseline: r.baseline.rps, gateway: r.gateway.rps, ratio: r.ratio })),
    };
  },
};

// Issue 5: TruBit callback ingestion (RSA verify + inbox insert + enqueue) vs a bare Fastify JSON POST of the
// same size, same load tool and connections. Target: ≥ 30% of the baseline.
import { createSign } from 'node:crypto';
import { load } from '../lib/load.mjs';
import { startServer } from '../lib/processes.mjs';

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
    const bare = await startServer('bare-fastify.mjs');
    let baseline;
    try {
      ctx.progress('callbacks: baseline bare Fastify POST /echo');
      baseline = await load({
        url: `${bare.url}/echo`,
        method: 'POST',
        connections,
        durationSec: ctx.durationSec,
        headers: { 'content-type': 'application/json' },
        body: bodies[0].body,
      });
    } finally {
      await bare.stop();
    }
    let next = 0;
    ctx.progress('callbacks: gateway POST /callbacks/trubit');
    const gateway = await load({
      url: `${ctx.apiUrl}/callbacks/trubit`,
      method: 'POST',
      connections,
      durationSec: ctx.durationSec,
      headers: { 'content-type': 'application/json' },
      setupRequest: (req) => {
        const c = bodies[next++ % bodies.length];
        return { ...req, body: c.body, headers: { ...req.headers, signature: c.signature } };
      },
    });
    const ratio = gateway.rps / baseline.rps;
    return {
      measurements: [
        { label: 'baseline: bare Fastify POST', ...baseline },
        { label: 'gateway: POST /callbacks/trubit', ...gateway },
      ],
      checks: [
        {
          kind: 'ratio',
          label: 'callback ingestion vs bare POST',
          value: ratio,
          target: '≥ 0.30',
          targetValue: 0.3,
          pass: ratio >= 0.3 && gateway.non2xx === 0,
        },
      ],
    };
  },
};

// Issue 4: POST /quotes throughput vs a baseline doing one plain single-row INSERT per request through `pg`
// on the same Postgres, both behind Fastify, same load tool and concurrency. Target: ≥ 50% of the baseline.
import { load } from '../lib/load.mjs';
import { startServer } from '../lib/processes.mjs';

export default {
  name: 'quotes',
  description: 'POST /quotes vs one pg INSERT per request',
  async run(ctx) {
    const connections = 50;
    const pgServer = await startServer('pg-insert.mjs', { DATABASE_URL: ctx.databaseUrl });
    let baseline;
    try {
      ctx.progress('quotes: baseline Fastify + pg INSERT');
      baseline = await load({
        url: `${pgServer.url}/insert`,
        method: 'POST',
        connections,
        durationSec: ctx.durationSec,
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ type: 'SELL', amount: 10, partnerUserRef: 'bench-user' }),
      });
    } finally {
      await pgServer.stop();
    }
    const { apiKey } = await ctx.createPartner({ limits: { requestsPerMinute: 1_000_000 } });
    const headers = { 'x-api-key': apiKey, 'content-type': 'application/json' };
    const user = await fetch(`${ctx.apiUrl}/api/v1/users`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ partnerUserRef: 'bench-user' }),
    });
    if (user.status !== 201) throw new Error(`creating the bench user: ${user.status} ${await user.text()}`);
    ctx.progress('quotes: gateway POST /api/v1/quotes');
    const gateway = await load({
      url: `${ctx.apiUrl}/api/v1/quotes`,
      method: 'POST',
      connections,
      durationSec: ctx.durationSec,
      headers,
      body: JSON.stringify({ type: 'SELL', amount: 10, partnerUserRef: 'bench-user', feePercent: 1 }),
    });
    const ratio = gateway.rps / baseline.rps;
    return {
      measurements: [
        { label: 'baseline: Fastify + 1 pg INSERT', ...baseline },
        { label: 'gateway: POST /api/v1/quotes', ...gateway },
      ],
      checks: [
        {
          kind: 'ratio',
          label: 'quotes throughput vs pg INSERT',
          value: ratio,
          target: '≥ 0.50',
          targetValue: 0.5,
          pass: ratio >= 0.5 && gateway.non2xx === 0,
        },
        {
          kind: 'latency',
          label: 'quotes p99 at 50 connections',
          value: gateway.p99,
          unit: ' ms',
          decimals: 0,
          target: 'info',
        },
      ],
    };
  },
};

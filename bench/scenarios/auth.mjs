// Issue 2: authenticated GET /api/v1/health through the full auth + rate-limit path vs a bare Fastify hello
// world, same load tool, same connections. Targets: throughput ≥ 50% of the baseline, p99 ≤ 20 ms at 100 conns.
import { load } from '../lib/load.mjs';
import { startServer } from '../lib/processes.mjs';

export default {
  name: 'auth',
  description: 'authenticated health (auth + rate limit) vs bare Fastify hello world',
  async run(ctx) {
    const connections = 100;
    const bare = await startServer('bare-fastify.mjs');
    let baseline;
    try {
      ctx.progress('auth: baseline bare Fastify GET /');
      baseline = await load({ url: `${bare.url}/`, connections, durationSec: ctx.durationSec });
    } finally {
      await bare.stop();
    }
    const { apiKey } = await ctx.createPartner({
      tier: 'ENTERPRISE',
      limits: { requestsPerMinute: 1_000_000 },
    });
    ctx.progress('auth: gateway GET /api/v1/health with X-API-Key');
    const gateway = await load({
      url: `${ctx.apiUrl}/api/v1/health`,
      connections,
      durationSec: ctx.durationSec,
      headers: { 'x-api-key': apiKey },
    });
    const ratio = gateway.rps / baseline.rps;
    return {
      measurements: [
        { label: 'baseline: bare Fastify hello world', ...baseline },
        { label: 'gateway: GET /api/v1/health (auth+limit)', ...gateway },
      ],
      checks: [
        {
          kind: 'ratio',
          label: 'throughput vs bare Fastify',
          value: ratio,
          unit: '',
          target: '≥ 0.50',
          targetValue: 0.5,
          pass: ratio >= 0.5 && gateway.non2xx === 0,
        },
        {
          kind: 'latency',
          label: 'p99 at 100 connections',
          value: gateway.p99,
          unit: ' ms',
          decimals: 0,
          target: '≤ 20 ms',
          pass: gateway.p99 <= 20,
        },
      ],
    };
  },
};

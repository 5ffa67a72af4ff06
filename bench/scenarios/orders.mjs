// Issue 4: POST /orders on a funded account with the simulator at zero latency: p99 ≤ 100 ms at 50 connections.
// Every order needs its own quote, so quotes are created first and the load cycles through them once.
import { load } from '../lib/load.mjs';

const CLABE = '002010077777777771';

/**
 * The simulator runs with SIM_AUTO=0 (no order progression), so it would never approve the operator's default
 * TruBit merchant and every submission would fail and retry. One warm-up order makes the worker create it; we
 * approve it through the control API and wait until that order reaches TruBit, so the measured orders are
 * submitted for real, as in production.
 */
async function approveDefaultMerchant(ctx, post) {
  const quote = await post('/api/v1/quotes', { type: 'SELL', amount: 5, partnerUserRef: 'bench-orders' });
  const order = await post('/api/v1/orders', {
    quoteId: quote.id,
    partnerUserRef: 'bench-orders',
    sellerClabe: CLABE,
  });
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    const { merchants } = await (await fetch(`${ctx.simUrl}/__sim/merchants`)).json();
    for (const m of merchants.filter((x) => Number(x.status) === 1)) {
      await fetch(`${ctx.simUrl}/__sim/merchants/${m.id}/status`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ status: 2 }),
      });
    }
    const { orders } = await (await fetch(`${ctx.simUrl}/__sim/orders`)).json();
    if (orders.length > 0) return;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`warm-up order ${order.id} never reached the simulator`);
}

async function simOrderCount(ctx) {
  const { orders } = await (await fetch(`${ctx.simUrl}/__sim/orders`)).json();
  return orders.length;
}

export default {
  name: 'orders',
  description: 'POST /orders (funded, simulator latency 0) p99 at 50 connections',
  async run(ctx) {
    const connections = 50;
    const count = Number(process.env.BENCH_ORDERS ?? 2000);
    // Like every other scenario, the measurement starts warm (JIT, pools, the worker's submission pipeline
    // running): the warm-up places real orders too, each on its own quote. The worker keeps submitting them
    // (at TruBit's order rate) while the measured orders come in.
    const warmup = Number(process.env.BENCH_ORDERS_WARMUP ?? 1000);
    const { apiKey } = await ctx.createPartner({
      limits: { requestsPerMinute: 1_000_000, dailyVolumeMxn: null, monthlyVolumeMxn: null },
    });
    const headers = { 'x-api-key': apiKey, 'content-type': 'application/json' };
    const post = async (p, body) => {
      const res = await fetch(`${ctx.apiUrl}${p}`, { method: 'POST', headers, body: JSON.stringify(body) });
      const json = await res.json();
      if (res.status !== 201) throw new Error(`${p}: ${res.status} ${JSON.stringify(json)}`);
      return json;
    };
    await post('/api/v1/users', {
      partnerUserRef: 'bench-orders',
      kycAttestation: {
        level: 'FULL',
        provider: 'bench',
        reference: 'r1',
        verifiedAt: new Date().toISOString(),
      },
    });
    await approveDefaultMerchant(ctx, post);
    ctx.progress(`orders: creating ${warmup + count} quotes`);
    const quotes = [];
    for (let i = 0; i < warmup + count; i += 50) {
      const batch = await Promise.all(
        Array.from({ length: Math.min(50, warmup + count - i) }, () =>
          post('/api/v1/quotes', { type: 'SELL', amount: 5, partnerUserRef: 'bench-orders' }),
        ),
      );
      quotes.push(...batch.map((q) => q.id));
    }
    let next = 0;
    const run = (amount) =>
      load({
        url: `${ctx.apiUrl}/api/v1/orders`,
        method: 'POST',
        connections,
        warmupSec: 0,
        durationSec: 120,
        amount,
        headers,
        setupRequest: (req) => ({
          ...req,
          body: JSON.stringify({
            quoteId: quotes[next++ % quotes.length],
            partnerUserRef: 'bench-orders',
            sellerClabe: CLABE,
          }),
        }),
      });
    if (warmup > 0) {
      ctx.progress(`orders: warm-up, ${warmup} orders`);
      const warm = await run(warmup);
      if (warm.ok !== warmup) throw new Error(`warm-up: ${warm.ok} of ${warmup} orders created`);
    }
    ctx.progress(`orders: ${count} POST /api/v1/orders at ${connections} connections`);
    const atTrubitBefore = await simOrderCount(ctx);
    const startedAt = Date.now();
    const result = await run(count);
    const seconds = (Date.now() - startedAt) / 1000;
    const reachedTrubit = (await simOrderCount(ctx)) - atTrubitBefore;
    return {
      measurements: [{ label: 'gateway: POST /api/v1/orders', ...result }],
      checks: [
        {
          kind: 'latency',
          label: 'orders p99 at 50 connections',
          value: result.p99,
          unit: ' ms',
          decimals: 0,
          target: '≤ 100 ms',
          pass: result.p99 <= 100 && result.ok === count,
        },
        { kind: 'info', label: 'orders created (201)', value: result.ok, decimals: 0, target: `${count}` },
        {
          // The submitter's pace meanwhile (TruBit's order rate unless BENCH_TRUBIT_ORDERS_PER_SECOND lifts it).
          kind: 'info',
          label: 'orders placed at TruBit meanwhile, per s',
          value: reachedTrubit / seconds,
          decimals: 0,
          target: '',
        },
      ],
    };
  },
};

import autocannon from 'autocannon';

/**
 * Drives `url` with autocannon (the same load tool and settings for a scenario and its baseline) after a short
 * warm-up, and returns throughput and latency percentiles. `requests` may carry per-request bodies.
 */
export async function load({
  url,
  connections,
  durationSec,
  amount,
  warmupSec = 2,
  method = 'GET',
  headers = {},
  body,
  setupRequest,
  expectStatus,
}) {
  // autocannon takes setupRequest per entry of `requests` (a top-level one would be ignored).
  const base = setupRequest
    ? { url, connections, timeout: 10, requests: [{ method, headers, setupRequest }] }
    : { url, connections, method, headers, body, timeout: 10 };
  if (warmupSec > 0) await autocannon({ ...base, duration: warmupSec });
  const r = await autocannon(amount ? { ...base, amount } : { ...base, duration: durationSec });
  const ok = expectStatus ? (r.statusCodeStats?.[expectStatus]?.count ?? 0) : r['2xx'];
  return {
    rps: r.requests.average,
    total: r.requests.total,
    ok,
    non2xx: r.non2xx,
    errors: r.errors + r.timeouts,
    p50: r.latency.p50,
    p99: r.latency.p99,
    statusCodes: Object.fromEntries(Object.entries(r.statusCodeStats ?? {}).map(([k, v]) => [k, v.count])),
  };
}

import { createHmac } from 'node:crypto';
import { Registry } from 'prom-client';
import { TrubitClient } from '../trubit.client';
import type { TrubitClientOptions } from '../trubit.options';
import type { FakeRequest } from './fake-trubit-upstream';

export const SAMPLE_SECRET = 'lH3ELTNiFxCQTmi9pPcWWikhsjO04Yoqw3euoHUuOLC3GYBW64ZqzQsiOEHXQS76';

/** A client with a private metrics registry and a breaker that will not open unless a test wants it. */
export function testClient(baseUrl: string, overrides: Partial<TrubitClientOptions> = {}): TrubitClient {
  return new TrubitClient(
    {
      baseUrl,
      credentials: { apiKey: 'default-key', apiSecret: SAMPLE_SECRET },
      requestTimeoutMs: 2000,
      metricsRegistry: new Registry(),
      ...overrides,
      breaker: { volumeThreshold: 1000, resetTimeoutMs: 60_000, ...overrides.breaker },
      limiter: { maxWaitMs: 0, ...overrides.limiter },
    },
    null,
  );
}

/** Server-side check per §2.2: raw query minus `signature`, then the raw body. */
export function signatureValid(req: FakeRequest, secret: string): boolean {
  const m = /(^|&)signature=([0-9a-fA-F]+)$/.exec(req.query);
  if (!m) return false;
  const unsigned = req.query.slice(0, m.index);
  const expected = createHmac('sha256', secret)
    .update(unsigned + req.body)
    .digest('hex');
  return expected === m[2].toLowerCase();
}

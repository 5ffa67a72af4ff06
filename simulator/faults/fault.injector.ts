// Injected upstream failures for the gateway's resilience tests. A rule matches a route by its path suffix
// ("order/add", "account", "ping") or "*", affects `count` requests (default 1; 0 or persistent = until
// cleared) and rules are consumed first-in first-out, one per request.
//
// Modes:
//  error500             answer 500 (-1006, "execution status unknown") before doing anything
//  error500AfterCommit  do the work (e.g. really create the order), then answer 500
//  timeout              do nothing and never answer; the socket is destroyed after `ms` (default 120 s)
//                       unless the client gives up first
//  timeoutAfterCommit   do the work, then behave like timeout: the lost-response case of order/add
//  latency              wait `ms`, then handle the request normally
//  rateLimit            answer 429 -1003 without doing anything (the real limiter is not charged)

export const FAULT_MODES = [
  'error500',
  'error500AfterCommit',
  'timeout',
  'timeoutAfterCommit',
  'latency',
  'rateLimit',
] as const;
export type FaultMode = (typeof FAULT_MODES)[number];

export interface FaultInput {
  route: string;
  mode: FaultMode;
  count?: number;
  ms?: number;
  persistent?: boolean;
}

export interface FaultRule {
  id: number;
  route: string;
  mode: FaultMode;
  /** Requests still affected; null = until cleared. */
  remaining: number | null;
  ms: number | null;
  hits: number;
}

export function isFaultMode(value: unknown): value is FaultMode {
  return typeof value === 'string' && (FAULT_MODES as readonly string[]).includes(value);
}

export class FaultInjector {
  private rules: FaultRule[] = [];
  private nextId = 1;

  add(input: FaultInput): FaultRule {
    const count = input.count ?? 1;
    const rule: FaultRule = {
      id: this.nextId++,
      route: normaliseRoute(input.route),
      mode: input.mode,
      remaining: input.persistent || count === 0 ? null : count,
      ms: input.ms ?? null,
      hits: 0,
    };
    this.rules.push(rule);
    return rule;
  }

  /** The first active rule matching the route suffix, with one use consumed. */
  take(routeSuffix: string): FaultRule | undefined {
    const route = normaliseRoute(routeSuffix);
    const rule = this.rules.find((r) => r.route === '*' || r.route === route);
    if (!rule) return undefined;
    rule.hits += 1;
    if (rule.remaining !== null) {
      rule.remaining -= 1;
      if (rule.remaining <= 0) this.rules = this.rules.filter((r) => r !== rule);
    }
    return { ...rule };
  }

  list(): FaultRule[] {
    return this.rules.map((r) => ({ ...r }));
  }

  clear(): void {
    this.rules = [];
  }
}

/** "/openapi/v1/otc/order/add", "order/add" and "/order/add" all name the same route. */
export function normaliseRoute(route: string): string {
  const trimmed = route.trim().replace(/^\/+/, '').replace(/\?.*$/, '');
  if (trimmed === '*') return '*';
  return trimmed.replace(/^openapi\/v1\/otc\//, '').replace(/^openapi\/v1\//, '');
}

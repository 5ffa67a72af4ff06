import { Inject, Injectable, OnApplicationShutdown } from '@nestjs/common';
import { Agent, request } from 'undici';
import { APP_CONFIG, AppConfig } from '@app/config/app-config';
import { AttemptResult, parseRetryAfter } from './delivery.policy';
import { MAX_PARTNER_CONCURRENCY } from './partner-delivery.slots';
import { guardedLookup, RefusedTargetError, refusedLiteral } from './webhook-target.guard';

/** The most of a partner's response body we read (then drop): we only need its status. */
const MAX_RESPONSE_BYTES = 16 * 1024;
/** How often overdue exchanges are aborted: the deadline holds to within this. */
const DEADLINE_CHECK_MS = 100;

interface InFlight {
  controller: AbortController;
  deadline: number;
}

/**
 * POSTs one signed webhook: undici, no redirects followed, one deadline for the whole exchange
 * (WEBHOOK_TIMEOUT_MS), and the SSRF guard on every connection unless WEBHOOK_ALLOW_INSECURE.
 * Never throws for anything the partner's side does; the result says what happened.
 */
@Injectable()
export class WebhookSender implements OnApplicationShutdown {
  private readonly agent: Agent;
  /**
   * The whole-exchange deadline is enforced by one sweep over the requests in flight rather than a timer per
   * request (AbortSignal.timeout costs as much CPU as the rest of the request on a busy worker).
   */
  private readonly inFlight = new Set<InFlight>();
  private readonly deadlines: NodeJS.Timeout;

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {
    const timeout = config.webhooks.timeoutMs;
    this.agent = new Agent({
      connect: config.webhooks.allowInsecure ? { timeout } : { timeout, lookup: guardedLookup },
      headersTimeout: timeout,
      bodyTimeout: timeout,
      keepAliveTimeout: 4000,
      // Per origin: as many sockets as a partner may have attempts in flight (its delivery slots bound it).
      connections: MAX_PARTNER_CONCURRENCY,
    });
    this.deadlines = setInterval(() => this.abortOverdue(), DEADLINE_CHECK_MS);
    this.deadlines.unref();
  }

  async post(url: string, headers: Record<string, string>, body: string): Promise<AttemptResult> {
    let target: URL;
    try {
      target = new URL(url);
    } catch {
      return { kind: 'refused', message: 'refused: the webhook URL is not a valid absolute URL' };
    }
    if (!this.config.webhooks.allowInsecure) {
      if (target.protocol !== 'https:')
        return { kind: 'refused', message: 'refused: the webhook URL must use https' };
      const literal = refusedLiteral(target);
      if (literal) return { kind: 'refused', message: literal.message };
    }
    const exchange: InFlight = {
      controller: new AbortController(),
      deadline: Date.now() + this.config.webhooks.timeoutMs,
    };
    this.inFlight.add(exchange);
    try {
      const res = await request(target, {
        method: 'POST',
        headers,
        body,
        dispatcher: this.agent,
        signal: exchange.controller.signal,
      });
      const retryAfterMs = parseRetryAfter(res.headers['retry-after'], Date.now());
      await res.body.dump({ limit: MAX_RESPONSE_BYTES }).catch(() => undefined);
      return { kind: 'response', statusCode: res.statusCode, retryAfterMs };
    } catch (err) {
      return classify(err);
    } finally {
      this.inFlight.delete(exchange);
    }
  }

  private abortOverdue(): void {
    const now = Date.now();
    for (const e of this.inFlight)
      if (e.deadline <= now) {
        this.inFlight.delete(e);
        e.controller.abort(new DeadlineError());
      }
  }

  /** After the delivery worker has stopped and its attempts finished (those run in onModuleDestroy). */
  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.deadlines);
    await this.agent.close().catch(() => undefined);
  }
}

/** The exchange ran past WEBHOOK_TIMEOUT_MS (classified like AbortSignal.timeout's TimeoutError). */
class DeadlineError extends Error {
  override readonly name = 'TimeoutError';
}

function classify(err: unknown): AttemptResult {
  const e = err as { name?: string; code?: string; message?: string; cause?: unknown };
  const refused = [e, e.cause].find((x): x is RefusedTargetError => x instanceof RefusedTargetError);
  if (refused) return { kind: 'refused', message: refused.message };
  if (
    e.name === 'TimeoutError' ||
    e.name === 'AbortError' ||
    e.code === 'UND_ERR_HEADERS_TIMEOUT' ||
    e.code === 'UND_ERR_BODY_TIMEOUT' ||
    e.code === 'UND_ERR_CONNECT_TIMEOUT'
  ) {
    return { kind: 'timeout' };
  }
  const code = e.code ?? (e.cause as { code?: string } | undefined)?.code;
  const message = `${code ? `${code}: ` : ''}${e.message ?? String(err)}`.slice(0, 300);
  return { kind: 'network', message };
}

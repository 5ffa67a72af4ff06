import { Inject, Injectable, OnApplicationShutdown } from '@nestjs/common';
import { Agent, Dispatcher } from 'undici';
import { APP_CONFIG, AppConfig } from '@app/config/app-config';
import { AttemptResult, parseRetryAfter } from './delivery.policy';
import { MAX_PARTNER_CONCURRENCY } from './partner-delivery.slots';
import { guardedLookup, RefusedTargetError, refusedLiteral } from './webhook-target.guard';

/** The most of a partner's response body we read (then drop): we only need its status. */
const MAX_RESPONSE_BYTES = 16 * 1024;
/** How often overdue exchanges are aborted: the deadline holds to within this. */
const DEADLINE_CHECK_MS = 100;
/** Parsed endpoint URLs kept (a partner's URL is parsed once, not per attempt). */
const MAX_PARSED_URLS = 1000;

/**
 * One POST in flight, driven by undici's dispatcher handler interface rather than `request()`: no
 * AbortController, response stream or body reader per attempt (on a busy worker those cost as much CPU as the
 * rest of the exchange: 105 against 55 µs per POST measured on this machine). The response body is counted and
 * dropped as it arrives.
 */
class Exchange implements Dispatcher.DispatchHandler {
  /** Set once the request is on a socket: aborting it then ends the exchange. */
  private controller?: Dispatcher.DispatchController;
  private response?: { kind: 'response'; statusCode: number; retryAfterMs: number | null };
  private bytes = 0;
  private done = false;
  private overdue = false;
  readonly result: Promise<AttemptResult>;
  private settle!: (r: AttemptResult) => void;

  constructor(readonly deadline: number) {
    this.result = new Promise((r) => (this.settle = r));
  }

  /** The deadline passed: the answer is in if its status was, otherwise a timeout (the request is cut). */
  expire(): void {
    this.overdue = true;
    if (this.controller) this.controller.abort(new DeadlineError());
    // Still queued for a connection: settle now; the request is cut as soon as it gets its socket.
    else this.finish({ kind: 'timeout' });
  }

  onRequestStart(controller: Dispatcher.DispatchController): void {
    this.controller = controller;
    if (this.overdue) controller.abort(new DeadlineError());
  }

  onResponseStart(
    _controller: Dispatcher.DispatchController,
    statusCode: number,
    headers: Record<string, string | string[] | undefined>,
  ): void {
    this.response = {
      kind: 'response',
      statusCode,
      retryAfterMs: parseRetryAfter(headers['retry-after'], Date.now()),
    };
  }

  onResponseData(controller: Dispatcher.DispatchController, chunk: Buffer): void {
    this.bytes += chunk.length;
    // More than we are willing to read: the status is all we need, the connection is dropped.
    if (this.bytes > MAX_RESPONSE_BYTES) controller.abort(new Error('response body too large'));
  }

  onResponseEnd(): void {
    this.finish(this.response ?? { kind: 'network', message: 'no response' });
  }

  onResponseError(_controller: Dispatcher.DispatchController, err: Error): void {
    // An answer whose body did not arrive in full (cut, too large, overdue) still counts by its status.
    this.finish(this.response ?? classify(err));
  }

  private finish(r: AttemptResult): void {
    if (this.done) return;
    this.done = true;
    this.settle(r);
  }
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
  private readonly inFlight = new Set<Exchange>();
  private readonly deadlines: NodeJS.Timeout;
  private readonly targets = new Map<string, URL | AttemptResult>();

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
    const target = this.target(url);
    if (!(target instanceof URL)) return target;
    const exchange = new Exchange(Date.now() + this.config.webhooks.timeoutMs);
    this.inFlight.add(exchange);
    try {
      this.agent.dispatch(
        { origin: target.origin, path: target.pathname + target.search, method: 'POST', headers, body },
        exchange,
      );
      return await exchange.result;
    } catch (err) {
      return classify(err);
    } finally {
      this.inFlight.delete(exchange);
    }
  }

  /** The URL to post to, or why it is refused before any connection (checked once per URL string). */
  private target(url: string): URL | AttemptResult {
    let known = this.targets.get(url);
    if (known === undefined) {
      known = this.check(url);
      if (this.targets.size >= MAX_PARSED_URLS) this.targets.clear();
      this.targets.set(url, known);
    }
    return known;
  }

  private check(url: string): URL | AttemptResult {
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
    return target;
  }

  private abortOverdue(): void {
    const now = Date.now();
    for (const e of this.inFlight)
      if (e.deadline <= now) {
        this.inFlight.delete(e);
        e.expire();
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

import { Inject, Injectable, Logger } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '@app/config/app-config';
import { SecretBox } from '@app/infra/crypto/secret-box.service';
import { AttemptResult, decideAttempt } from './delivery.policy';
import { DeliveryAttemptsRepository, DeliveryForAttempt } from './delivery-attempts.repository';
import { DeliveryScheduler } from './delivery.scheduler';
import { signWebhook } from './webhook.signer';
import { WebhookSender } from './webhook.sender';
import { AttemptOutcome, webhookMetrics } from './webhook.metrics';

/** Partners' opened secrets kept per worker process (more partners than this just open theirs again). */
const MAX_OPENED_SECRETS = 1000;

export type AttemptRun = 'DELIVERED' | 'PENDING' | 'FAILED' | 'stale';

/** How the partner's endpoint behaved (feeds its adaptive concurrency). */
export interface ExchangeAnswer {
  durationMs: number;
  answered: boolean;
}

export interface ExchangeResult extends ExchangeAnswer {
  run: AttemptRun;
}

/**
 * One signed POST and its consequences: sign with the partner's secret(s), send, record the attempt, then
 * either schedule the next attempt as a delayed job or settle the delivery and let the order's next event go.
 */
@Injectable()
export class DeliveryExchange {
  private readonly logger = new Logger('WebhookDelivery');
  private readonly metrics = webhookMetrics();
  /** Opened secrets by sealed form (a rotation seals a new one): AES-GCM once per secret, not per attempt. */
  private readonly opened = new Map<string, string>();

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly repo: DeliveryAttemptsRepository,
    private readonly scheduler: DeliveryScheduler,
    private readonly sender: WebhookSender,
    private readonly secrets: SecretBox,
  ) {}

  /**
   * `onAnswer` runs as soon as the partner's endpoint has answered (or failed to), before the attempt is
   * recorded: the caller hands the partner's slot back then, since the slot bounds requests at the endpoint.
   */
  async perform(
    d: DeliveryForAttempt,
    endpoint: string,
    expected: number,
    onAnswer?: (answer: ExchangeAnswer) => void,
  ): Promise<ExchangeResult> {
    const at = new Date();
    const prevValid = d.partner.webhookPrevSecretUntil && d.partner.webhookPrevSecretUntil > at;
    const headers = signWebhook({
      deliveryId: d.id,
      eventId: d.eventId,
      eventType: d.eventType,
      body: d.body,
      at,
      secret: this.open(d.partner.webhookSecretEnc),
      previousSecret:
        prevValid && d.partner.webhookPrevSecretEnc ? this.open(d.partner.webhookPrevSecretEnc) : null,
    });
    const result = await this.sender.post(endpoint, headers, d.body);
    const durationMs = Date.now() - at.getTime();
    const answered = result.kind === 'response';
    onAnswer?.({ durationMs, answered });
    const { retryScheduleMs: schedule, timeoutMs } = this.config.webhooks;
    const recorded = await this.repo.recordAttempt(
      { deliveryId: d.id, partnerId: d.partnerId, expectedAttempts: expected, url: endpoint, at, durationMs },
      d.maxAttempts,
      (attemptsAfter, maxAttempts) => decideAttempt(result, attemptsAfter, maxAttempts, schedule, timeoutMs),
    );
    if (!recorded) return { run: 'stale', durationMs, answered };

    const { decision, attempts } = recorded;
    const outcome = outcomeOf(result, decision.status === 'DELIVERED');
    this.metrics.attempts.inc({ outcome });
    this.metrics.attemptDuration.observe({ outcome }, durationMs / 1000);
    if (decision.status === 'PENDING') {
      await this.scheduler.enqueue({ id: d.id, partnerId: d.partnerId, attempts }, decision.nextDelayMs ?? 0);
    } else {
      this.settled(decision.status);
      if (decision.status === 'DELIVERED')
        this.metrics.deliveryLatency.observe((Date.now() - d.createdAt.getTime()) / 1000);
      else
        this.logger.warn(
          { deliveryId: d.id, partnerId: d.partnerId, error: decision.errorMessage },
          'webhook failed',
        );
      await this.releaseNext(d);
    }
    return { run: decision.status, durationMs, answered };
  }

  private open(sealed: string): string {
    let plain = this.opened.get(sealed);
    if (plain === undefined) {
      if (this.opened.size >= MAX_OPENED_SECRETS) this.opened.clear();
      plain = this.secrets.decrypt(sealed);
      this.opened.set(sealed, plain);
    }
    return plain;
  }

  settled(status: 'DELIVERED' | 'FAILED'): void {
    this.metrics.finished.inc({ status });
  }

  /** An event settled: the next one of the same order may go now instead of at its fallback re-check. */
  async releaseNext(d: {
    partnerId: string;
    orderId: string | null;
    sequence: number | null;
  }): Promise<void> {
    if (!d.orderId || d.sequence === null) return;
    const next = await this.repo.nextInOrder(d.partnerId, d.orderId, d.sequence);
    // Only one that is due: a retry waiting out its backoff keeps its schedule.
    if (next && (!next.nextAttemptAt || next.nextAttemptAt.getTime() <= Date.now()))
      await this.scheduler.runNow(next);
  }
}

function outcomeOf(result: AttemptResult, delivered: boolean): AttemptOutcome {
  if (delivered) return 'delivered';
  if (result.kind === 'response') return result.statusCode === 410 ? 'gone' : 'http_error';
  return result.kind;
}

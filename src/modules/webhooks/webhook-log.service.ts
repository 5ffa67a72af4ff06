import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '@app/config/app-config';
import { ApiError } from '@app/common/errors/api.error';
import { page } from '@app/common/http/pagination.input';
import { DeliveryScheduler } from './delivery/delivery.scheduler';
import { AdminListWebhooksQuery } from './inputs/admin-list-webhooks.query';
import { ListWebhooksQuery } from './inputs/list-webhooks.query';
import { RecoverWebhooksInput } from './inputs/recover-webhooks.input';
import { RecoverWebhooksOutput } from './outputs/webhook-endpoint.view';
import {
  AdminWebhookDeliveryOutput,
  WebhookDeliveryOutput,
  toAdminWebhookDeliveryView,
  toWebhookDeliveryView,
} from './outputs/webhook-delivery.view';
import { WebhookDeliveriesRepository } from './webhook-deliveries.repository';

/** Longest window one recover call may cover. */
const MAX_RECOVER_WINDOW_MS = 31 * 24 * 3600 * 1000;

/**
 * The delivery log and its replays, for partners (scoped to their id) and operators (all partners). A retry or
 * recover opens a new attempt series (PENDING, due now, up to another full schedule of attempts) and hands the
 * attempt to the delivery worker; per-order ordering still applies to what it replays.
 */
@Injectable()
export class WebhookLogService {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly deliveries: WebhookDeliveriesRepository,
    private readonly scheduler: DeliveryScheduler,
  ) {}

  async list(partnerId: string, q: ListWebhooksQuery) {
    const { items, total } = await this.deliveries.list(partnerId, q, q.limit, q.offset);
    return page('webhooks', items.map(toWebhookDeliveryView), total, q);
  }

  async listAll(q: AdminListWebhooksQuery) {
    const { items, total } = await this.deliveries.list(null, q, q.limit, q.offset);
    return page('webhooks', items.map(toAdminWebhookDeliveryView), total, q);
  }

  /** Partner retry: another partner's delivery is NOT_FOUND, exactly like a missing one. */
  async retry(partnerId: string, id: string): Promise<WebhookDeliveryOutput> {
    return toWebhookDeliveryView(await this.startSeries(id, partnerId));
  }

  async adminRetry(id: string): Promise<AdminWebhookDeliveryOutput> {
    return toAdminWebhookDeliveryView(await this.startSeries(id, null));
  }

  async recover(partnerId: string, input: RecoverWebhooksInput): Promise<RecoverWebhooksOutput> {
    const since = new Date(input.since);
    const until = input.until ? new Date(input.until) : new Date();
    if (!(since < until))
      throw ApiError.validation(
        [{ field: 'until', problem: 'must be after since' }],
        'until must be after since',
      );
    if (until.getTime() - since.getTime() > MAX_RECOVER_WINDOW_MS)
      throw ApiError.validation(
        [{ field: 'since', problem: 'the window may span at most 31 days' }],
        'the recover window may span at most 31 days',
      );
    const refs = await this.deliveries.recoverFailed(partnerId, since, until, this.seriesLength());
    for (const ref of refs) await this.scheduler.runNow(ref);
    return { recovered: refs.length, since: since.toISOString(), until: until.toISOString() };
  }

  private async startSeries(id: string, partnerId: string | null) {
    const started = await this.deliveries.startSeries(id, partnerId, this.seriesLength());
    if (!started) throw ApiError.notFound('Webhook delivery');
    await this.scheduler.runNow(started.ref);
    return started.record;
  }

  private seriesLength(): number {
    return this.config.webhooks.retryScheduleMs.length;
  }
}

import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '@app/config/app-config';
import { ApiError } from '@app/common/errors/api.error';
import { SecretBox } from '@app/infra/crypto/secret-box.service';
import { generateWebhookSecret } from '@app/modules/partners/keys/api-key.codec';
import {
  RotatedWebhookSecretOutput,
  WebhookEndpointOutput,
  toWebhookEndpointView,
} from './outputs/webhook-endpoint.view';
import { WebhookEndpointRepository } from './webhook-endpoint.repository';
import { webhookUrlProblem } from './webhook-url.policy';

/** How long a rotated-out secret keeps signing next to the new one. */
export const PREVIOUS_SECRET_GRACE_MS = 24 * 3600 * 1000;

/** Self-service webhook endpoint: read it, set it (re-enabling a 410-disabled one), rotate its secret. */
@Injectable()
export class WebhookEndpointService {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly endpoints: WebhookEndpointRepository,
    private readonly secrets: SecretBox,
  ) {}

  async get(partnerId: string): Promise<WebhookEndpointOutput> {
    const row = await this.endpoints.get(partnerId);
    if (!row) throw ApiError.notFound('Partner');
    return toWebhookEndpointView(row);
  }

  async set(partnerId: string, url: string): Promise<WebhookEndpointOutput> {
    const problem = webhookUrlProblem(url, this.config.webhooks.allowInsecure);
    if (problem) throw ApiError.validation([{ field: 'url', problem }], `url ${problem}`);
    return toWebhookEndpointView(await this.endpoints.setUrl(partnerId, url));
  }

  async rotateSecret(partnerId: string): Promise<RotatedWebhookSecretOutput> {
    const secret = generateWebhookSecret();
    const prevUntil = new Date(Date.now() + PREVIOUS_SECRET_GRACE_MS);
    if (!(await this.endpoints.rotateSecret(partnerId, this.secrets.encrypt(secret), prevUntil)))
      throw ApiError.notFound('Partner');
    return { webhookSecret: secret, previousSecretValidUntil: prevUntil.toISOString() };
  }
}

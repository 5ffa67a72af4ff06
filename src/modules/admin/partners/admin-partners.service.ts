import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '@app/config/app-config';
import { ApiError } from '@app/common/errors/api.error';
import { Prisma } from '@app/generated/prisma/client';
import { Clock } from '@app/infra/clock/clock';
import { newId } from '@app/infra/crypto/ids';
import { SecretBox } from '@app/infra/crypto/secret-box.service';
import { PartnerAuthService } from '@app/modules/partners/auth/partner-auth.service';
import { generateWebhookSecret } from '@app/modules/partners/keys/api-key.codec';
import { ApiKeyIssuer } from '@app/modules/partners/keys/api-key.issuer';
import { PartnerChanges, PartnersRepository } from '@app/modules/partners/partners.repository';
import { webhookUrlProblem } from '@app/modules/webhooks/webhook-url.policy';
import { PaginationInput, page } from '@app/common/http/pagination.input';
import { CreatePartnerInput } from './inputs/create-partner.input';
import { UpdatePartnerInput } from './inputs/update-partner.input';
import { RotateKeyInput } from './inputs/rotate-key.input';
import { PartnerView, toPartnerView } from './outputs/partner.view';

/** Operators' partner lifecycle: onboarding, changes, key rotation. Every change that affects auth is pushed to all instances. */
@Injectable()
export class AdminPartnersService {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly partners: PartnersRepository,
    private readonly keys: ApiKeyIssuer,
    private readonly secrets: SecretBox,
    private readonly auth: PartnerAuthService,
    private readonly clock: Clock,
  ) {}

  async create(
    input: CreatePartnerInput,
  ): Promise<{ partner: PartnerView; apiKey: string; webhookSecret: string }> {
    this.checkWebhookUrl(input.webhookUrl);
    const key = await this.keys.issue();
    const webhookSecret = generateWebhookSecret();
    const partner = await this.partners.create(
      {
        id: newId.partner(),
        name: input.name,
        tier: input.tier,
        kycModel: input.kycModel,
        webhookUrl: input.webhookUrl ?? null,
        ipWhitelist: input.ipWhitelist ?? [],
        limits: input.limits
          ? (JSON.parse(JSON.stringify(input.limits)) as Prisma.InputJsonValue)
          : undefined,
        webhookSecretEnc: this.secrets.encrypt(webhookSecret),
        trubitApiKey: input.trubit?.apiKey ?? null,
        trubitApiSecretEnc: input.trubit ? this.secrets.encrypt(input.trubit.apiSecret) : null,
        trubitMerchantId: input.trubit?.merchantId ?? null,
      },
      key.stored,
    );
    return {
      partner: toPartnerView(partner, await this.partners.listKeys(partner.id)),
      apiKey: key.plain,
      webhookSecret,
    };
  }

  async list(p: PaginationInput) {
    const { items, total } = await this.partners.list(p.limit, p.offset);
    return page(
      'partners',
      items.map((i) => toPartnerView(i)),
      total,
      p,
    );
  }

  async get(id: string): Promise<PartnerView> {
    const partner = await this.partners.findById(id);
    if (!partner) throw ApiError.notFound('Partner');
    return toPartnerView(partner, await this.partners.listKeys(id));
  }

  async update(id: string, input: UpdatePartnerInput): Promise<PartnerView> {
    if (!(await this.partners.findById(id))) throw ApiError.notFound('Partner');
    if (input.webhookUrl) this.checkWebhookUrl(input.webhookUrl);
    const changes: PartnerChanges = {
      name: input.name,
      tier: input.tier,
      status: input.status,
      ipWhitelist: input.ipWhitelist,
      webhookUrl: input.webhookUrl,
    };
    if (input.limits !== undefined) {
      changes.limits =
        input.limits === null
          ? Prisma.DbNull
          : (JSON.parse(JSON.stringify(input.limits)) as Prisma.InputJsonValue);
    }
    if (input.trubit !== undefined) {
      changes.trubitApiKey = input.trubit?.apiKey ?? null;
      changes.trubitApiSecretEnc = input.trubit ? this.secrets.encrypt(input.trubit.apiSecret) : null;
      changes.trubitMerchantId = input.trubit?.merchantId ?? null;
    }
    const updated = await this.partners.update(id, changes);
    // Status, allowlist, tier and limits are all part of what the auth cache trusts.
    await this.auth.invalidatePartner(id);
    return toPartnerView(updated, await this.partners.listKeys(id));
  }

  async rotateKey(id: string, input: RotateKeyInput) {
    if (!(await this.partners.findById(id))) throw ApiError.notFound('Partner');
    const key = await this.keys.issue();
    const now = this.clock.now();
    const grace = input.graceSeconds ? new Date(now.getTime() + input.graceSeconds * 1000) : null;
    await this.partners.rotateKey(id, key.stored, grace, now);
    await this.auth.invalidatePartner(id);
    return {
      apiKey: key.plain,
      keyId: key.stored.id,
      prefix: key.stored.prefix,
      previousKeysValidUntil: grace?.toISOString() ?? null,
    };
  }

  private checkWebhookUrl(url: string | undefined): void {
    if (!url) return;
    const problem = webhookUrlProblem(url, this.config.webhooks.allowInsecure);
    if (problem) throw ApiError.validation([{ field: 'webhookUrl', problem }], `webhookUrl ${problem}`);
  }
}

import { Injectable } from '@nestjs/common';
import { PrismaService } from '@app/infra/prisma/prisma.service';
import { Prisma } from '@app/generated/prisma/client';
import { ApiKeyStatus, KycModel, PartnerStatus, PartnerTier } from '@app/generated/prisma/enums';

/** Partner columns that are safe to hand to services: no key hashes, no sealed secrets. */
export const PARTNER_PUBLIC_SELECT = {
  id: true,
  name: true,
  tier: true,
  status: true,
  kycModel: true,
  ipWhitelist: true,
  limits: true,
  webhookUrl: true,
  webhookDisabledAt: true,
  trubitApiKey: true,
  trubitMerchantId: true,
  createdAt: true,
  updatedAt: true,
} satisfies Prisma.PartnerSelect;

export type PartnerRecord = Prisma.PartnerGetPayload<{ select: typeof PARTNER_PUBLIC_SELECT }>;

export const API_KEY_PUBLIC_SELECT = {
  id: true,
  prefix: true,
  status: true,
  expiresAt: true,
  revokedAt: true,
  createdAt: true,
} satisfies Prisma.ApiKeySelect;

export type ApiKeyRecord = Prisma.ApiKeyGetPayload<{ select: typeof API_KEY_PUBLIC_SELECT }>;

/** What the auth hot path needs about a key and its partner, read in one query. */
export interface KeyForAuth {
  keyId: string;
  keyHash: string;
  keyStatus: ApiKeyStatus;
  expiresAt: Date | null;
  partner: Pick<PartnerRecord, 'id' | 'name' | 'tier' | 'status' | 'kycModel' | 'ipWhitelist' | 'limits'>;
}

export interface NewPartner {
  id: string;
  name: string;
  tier: PartnerTier;
  kycModel: KycModel;
  webhookUrl: string | null;
  ipWhitelist: string[];
  limits: Prisma.InputJsonValue | undefined;
  webhookSecretEnc: string;
  trubitApiKey: string | null;
  trubitApiSecretEnc: string | null;
  trubitMerchantId: string | null;
}

export interface NewApiKey {
  id: string;
  lookupId: string;
  keyHash: string;
  prefix: string;
}

export interface PartnerChanges {
  name?: string;
  tier?: PartnerTier;
  status?: PartnerStatus;
  ipWhitelist?: string[];
  webhookUrl?: string | null;
  limits?: Prisma.InputJsonValue | typeof Prisma.DbNull;
  trubitApiKey?: string | null;
  trubitApiSecretEnc?: string | null;
  trubitMerchantId?: string | null;
}

@Injectable()
export class PartnersRepository {
  constructor(private readonly prisma: PrismaService) {}

  async create(partner: NewPartner, key: NewApiKey): Promise<PartnerRecord> {
    return this.prisma.partner.create({
      data: { ...partner, limits: partner.limits ?? Prisma.DbNull, apiKeys: { create: key } },
      select: PARTNER_PUBLIC_SELECT,
    });
  }

  findById(id: string): Promise<PartnerRecord | null> {
    return this.prisma.partner.findUnique({ where: { id }, select: PARTNER_PUBLIC_SELECT });
  }

  async list(limit: number, offset: number): Promise<{ items: PartnerRecord[]; total: number }> {
    const [items, total] = await this.prisma.$transaction([
      this.prisma.partner.findMany({
        select: PARTNER_PUBLIC_SELECT,
        orderBy: { createdAt: 'desc' },
        take: limit,
        skip: offset,
      }),
      this.prisma.partner.count(),
    ]);
    return { items, total };
  }

  update(id: string, changes: PartnerChanges): Promise<PartnerRecord> {
    return this.prisma.partner.update({ where: { id }, data: changes, select: PARTNER_PUBLIC_SELECT });
  }

  listKeys(partnerId: string): Promise<ApiKeyRecord[]> {
    return this.prisma.apiKey.findMany({
      where: { partnerId },
      select: API_KEY_PUBLIC_SELECT,
      orderBy: { createdAt: 'desc' },
    });
  }

  async findKeyForAuth(lookupId: string): Promise<KeyForAuth | null> {
    const row = await this.prisma.apiKey.findUnique({
      where: { lookupId },
      select: {
        id: true,
        keyHash: true,
        status: true,
        expiresAt: true,
        partner: {
          select: {
            id: true,
            name: true,
            tier: true,
            status: true,
            kycModel: true,
            ipWhitelist: true,
            limits: true,
          },
        },
      },
    });
    if (!row) return null;
    return {
      keyId: row.id,
      keyHash: row.keyHash,
      keyStatus: row.status,
      expiresAt: row.expiresAt,
      partner: row.partner,
    };
  }

  /**
   * Issues a new key and retires the partner's current ones: at once, or at `graceUntil` (they keep working
   * until then). One transaction, so there is never a moment with no valid key or two without expiry.
   */
  async rotateKey(partnerId: string, key: NewApiKey, graceUntil: Date | null, now: Date): Promise<void> {
    await this.prisma.$transaction([
      graceUntil
        ? this.prisma.apiKey.updateMany({
            where: {
              partnerId,
              status: 'ACTIVE',
              OR: [{ expiresAt: null }, { expiresAt: { gt: graceUntil } }],
            },
            data: { expiresAt: graceUntil },
          })
        : this.prisma.apiKey.updateMany({
            where: { partnerId, status: 'ACTIVE' },
            data: { status: 'REVOKED', revokedAt: now },
          }),
      this.prisma.apiKey.create({ data: { ...key, partnerId } }),
    ]);
  }

  /** Sealed secrets are read only where they are used (signing, TruBit credentials). */
  findSecrets(id: string) {
    return this.prisma.partner.findUnique({
      where: { id },
      select: {
        webhookSecretEnc: true,
        webhookPrevSecretEnc: true,
        webhookPrevSecretUntil: true,
        trubitApiKey: true,
        trubitApiSecretEnc: true,
      },
    });
  }
}

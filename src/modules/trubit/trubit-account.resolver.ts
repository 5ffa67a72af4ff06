import { Injectable } from '@nestjs/common';
import { PrismaService } from '@app/infra/prisma/prisma.service';
import { SecretBox } from '@app/infra/crypto/secret-box.service';
import type { TrubitCredentials } from './trubit.options';

/**
 * Which TruBit account a partner trades on: its own (credentials sealed at rest) or, when it has none, the
 * operator's default account (`undefined` tells the client to use its default credentials).
 */
@Injectable()
export class TrubitAccountResolver {
  private readonly cache = new Map<string, { creds: TrubitCredentials | undefined; until: number }>();

  constructor(
    private readonly prisma: PrismaService,
    private readonly secrets: SecretBox,
  ) {}

  async forPartner(partnerId: string): Promise<TrubitCredentials | undefined> {
    const hit = this.cache.get(partnerId);
    if (hit && hit.until > Date.now()) return hit.creds;
    const row = await this.prisma.partner.findUnique({
      where: { id: partnerId },
      select: { trubitApiKey: true, trubitApiSecretEnc: true },
    });
    const creds =
      row?.trubitApiKey && row.trubitApiSecretEnc
        ? { apiKey: row.trubitApiKey, apiSecret: this.secrets.decrypt(row.trubitApiSecretEnc) }
        : undefined;
    this.cache.set(partnerId, { creds, until: Date.now() + 30_000 });
    return creds;
  }

  /** Identifies the account for per-account bookkeeping (e.g. balance reservations). */
  async accountKey(partnerId: string): Promise<string> {
    const creds = await this.forPartner(partnerId);
    return creds ? `partner:${partnerId}` : 'operator';
  }

  forget(partnerId: string): void {
    this.cache.delete(partnerId);
  }
}

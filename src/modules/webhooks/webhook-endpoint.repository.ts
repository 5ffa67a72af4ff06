import { Injectable } from '@nestjs/common';
import { PrismaService } from '@app/infra/prisma/prisma.service';

const ENDPOINT_SELECT = { webhookUrl: true, webhookDisabledAt: true, webhookPrevSecretUntil: true } as const;

/** A partner's webhook endpoint and secrets (sealed; the plain secret only leaves through a rotation). */
@Injectable()
export class WebhookEndpointRepository {
  constructor(private readonly prisma: PrismaService) {}

  get(partnerId: string) {
    return this.prisma.partner.findUnique({ where: { id: partnerId }, select: ENDPOINT_SELECT });
  }

  /** Sets the URL and clears a 410-disable: the partner has told us where to deliver again. */
  setUrl(partnerId: string, url: string) {
    return this.prisma.partner.update({
      where: { id: partnerId },
      data: { webhookUrl: url, webhookDisabledAt: null },
      select: ENDPOINT_SELECT,
    });
  }

  /**
   * One statement, so concurrent rotations cannot lose a secret: the current secret becomes the previous one
   * (signing alongside until `prevUntil`), the new one becomes current.
   */
  async rotateSecret(partnerId: string, newSecretEnc: string, prevUntil: Date): Promise<boolean> {
    const now = new Date();
    const n = await this.prisma.$executeRaw`
      UPDATE partners SET "webhookPrevSecretEnc" = "webhookSecretEnc", "webhookPrevSecretUntil" = ${prevUntil},
        "webhookSecretEnc" = ${newSecretEnc}, "updatedAt" = ${now}
      WHERE id = ${partnerId}`;
    return n === 1;
  }
}

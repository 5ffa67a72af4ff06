import { ApiProperty } from '@nestjs/swagger';

export type WebhookEndpointStatus = 'ACTIVE' | 'DISABLED' | 'NOT_CONFIGURED';

export class WebhookEndpointOutput {
  @ApiProperty({ nullable: true, type: String, example: 'https://hooks.partner.example/mp2p' })
  url: string | null;
  @ApiProperty({
    enum: ['ACTIVE', 'DISABLED', 'NOT_CONFIGURED'],
    description: 'DISABLED after the endpoint answered 410 Gone; PUT a URL to enable it again',
  })
  status: WebhookEndpointStatus;
  @ApiProperty({ nullable: true, type: String }) disabledAt: string | null;
  @ApiProperty({
    nullable: true,
    type: String,
    description: 'Until when the secret replaced by the last rotation still signs (alongside the new one)',
  })
  previousSecretValidUntil: string | null;
}

export class RotatedWebhookSecretOutput {
  @ApiProperty({ example: 'whsec_…', description: 'Shown once' }) webhookSecret: string;
  @ApiProperty({ description: 'The previous secret keeps signing (webhook-signature) until then' })
  previousSecretValidUntil: string;
}

export class RecoverWebhooksOutput {
  @ApiProperty({ description: 'FAILED deliveries put back in delivery' }) recovered: number;
  @ApiProperty() since: string;
  @ApiProperty() until: string;
}

export function toWebhookEndpointView(p: {
  webhookUrl: string | null;
  webhookDisabledAt: Date | null;
  webhookPrevSecretUntil: Date | null;
}): WebhookEndpointOutput {
  const prevValid = p.webhookPrevSecretUntil && p.webhookPrevSecretUntil > new Date();
  return {
    url: p.webhookUrl,
    status: !p.webhookUrl ? 'NOT_CONFIGURED' : p.webhookDisabledAt ? 'DISABLED' : 'ACTIVE',
    disabledAt: p.webhookDisabledAt?.toISOString() ?? null,
    previousSecretValidUntil: prevValid ? p.webhookPrevSecretUntil!.toISOString() : null,
  };
}

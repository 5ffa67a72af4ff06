import { ApiProperty } from '@nestjs/swagger';
import { Prisma } from '@app/generated/prisma/client';
import { DeliveryStatus } from '@app/generated/prisma/enums';

/** The webhook_deliveries columns the delivery logs show (url and partnerId reach operators only). */
export const DELIVERY_VIEW_SELECT = {
  id: true,
  partnerId: true,
  eventId: true,
  orderId: true,
  eventType: true,
  url: true,
  status: true,
  attempts: true,
  maxAttempts: true,
  lastAttemptAt: true,
  nextAttemptAt: true,
  deliveredAt: true,
  lastStatusCode: true,
  errorMessage: true,
  createdAt: true,
} satisfies Prisma.WebhookDeliverySelect;

export type DeliveryRecord = Prisma.WebhookDeliveryGetPayload<{ select: typeof DELIVERY_VIEW_SELECT }>;

export class WebhookDeliveryOutput {
  @ApiProperty({ example: 'del_0m3v8x1k2abcdefghijklmn', description: 'X-Webhook-Id of every attempt' })
  id: string;
  @ApiProperty({
    example: 'evt_0m3v8x1k2abcdefghijklmn',
    description: 'The event id (body `id`, header webhook-id)',
  })
  eventId: string;
  @ApiProperty({ nullable: true, type: String }) orderId: string | null;
  @ApiProperty({ example: 'order.completed' }) eventType: string;
  @ApiProperty({ enum: ['PENDING', 'DELIVERED', 'FAILED'] }) status: DeliveryStatus;
  @ApiProperty({ example: 1 }) attempts: number;
  @ApiProperty({ example: 5, description: 'Grows by 5 with each manual retry (a new attempt series)' })
  maxAttempts: number;
  @ApiProperty({ nullable: true, type: String }) lastAttemptAt: string | null;
  @ApiProperty({ nullable: true, type: String }) nextAttemptAt: string | null;
  @ApiProperty({ nullable: true, type: String }) deliveredAt: string | null;
  @ApiProperty({ nullable: true, type: Number }) lastStatusCode: number | null;
  @ApiProperty({ nullable: true, type: String }) errorMessage: string | null;
  @ApiProperty({ example: '2026-11-22T10:00:00.000Z' }) createdAt: string;
}

export class WebhookDeliveryListOutput {
  @ApiProperty({ type: [WebhookDeliveryOutput] }) webhooks: WebhookDeliveryOutput[];
  @ApiProperty() total: number;
  @ApiProperty() limit: number;
  @ApiProperty() offset: number;
  @ApiProperty() hasMore: boolean;
}

export class AdminWebhookDeliveryOutput extends WebhookDeliveryOutput {
  @ApiProperty() partnerId: string;
  @ApiProperty({ description: 'Where the last attempt went (the partner URL when the event was relayed)' })
  url: string;
}

const iso = (d: Date | null) => d?.toISOString() ?? null;

export function toWebhookDeliveryView(d: DeliveryRecord): WebhookDeliveryOutput {
  return {
    id: d.id,
    eventId: d.eventId,
    orderId: d.orderId,
    eventType: d.eventType,
    status: d.status,
    attempts: d.attempts,
    maxAttempts: d.maxAttempts,
    lastAttemptAt: iso(d.lastAttemptAt),
    nextAttemptAt: iso(d.nextAttemptAt),
    deliveredAt: iso(d.deliveredAt),
    lastStatusCode: d.lastStatusCode,
    errorMessage: d.errorMessage,
    createdAt: d.createdAt.toISOString(),
  };
}

export function toAdminWebhookDeliveryView(d: DeliveryRecord): AdminWebhookDeliveryOutput {
  return { ...toWebhookDeliveryView(d), partnerId: d.partnerId, url: d.url };
}

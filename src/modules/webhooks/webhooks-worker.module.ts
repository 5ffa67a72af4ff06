import { Module } from '@nestjs/common';

/** Outbox relay and signed webhook delivery. */
@Module({})
export class WebhooksWorkerModule {}

import { ApiProperty } from '@nestjs/swagger';
import { IsString, MaxLength } from 'class-validator';

/** PUT /webhook-endpoint: https only, no private/loopback/link-local targets (unless WEBHOOK_ALLOW_INSECURE). */
export class SetWebhookEndpointInput {
  @ApiProperty({ example: 'https://hooks.partner.example/mp2p' })
  @IsString()
  @MaxLength(2048)
  url: string;
}

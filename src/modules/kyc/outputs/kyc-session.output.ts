import { ApiProperty } from '@nestjs/swagger';
import { KycStatus } from '@app/generated/prisma/enums';

export class KycSessionOutput {
  @ApiProperty({ enum: KycStatus, example: 'PENDING' }) kycStatus: KycStatus;
  @ApiProperty({ enum: ['BASIC', 'FULL'] }) level: string;
  @ApiProperty({ example: 'kyc_0mhx3c2k1a2b3c4d5e6f7g8h' }) sessionId: string | null;
  @ApiProperty({ example: '2026-11-22T10:00:00.000Z', description: 'When this session was started' })
  createdAt: string | null;
}

/** A session result plus whether it was started by this request (201) or already existed (200). */
export interface KycSessionResult {
  session: KycSessionOutput;
  created: boolean;
}

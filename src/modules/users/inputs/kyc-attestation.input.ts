import { ApiProperty } from '@nestjs/swagger';
import { IsIn, IsISO8601, IsString, Length, Matches } from 'class-validator';
import { IsPastInstant } from './not-in-future.validator';

export const ATTESTATION_LEVELS = ['BASIC', 'FULL'] as const;
export type AttestationLevel = (typeof ATTESTATION_LEVELS)[number];

/** KYC a PARTNER_MANAGED partner already did itself, vouched for on user creation. */
export class KycAttestationInput {
  @ApiProperty({ enum: ATTESTATION_LEVELS })
  @IsIn(ATTESTATION_LEVELS)
  level: AttestationLevel;

  @ApiProperty({ example: 'Sumsub', maxLength: 100, description: 'Printable ASCII' })
  @IsString()
  @Length(1, 100)
  @Matches(/^[\x20-\x7E]+$/, { message: 'provider must be printable ASCII' })
  provider: string;

  @ApiProperty({ example: 'applicant-8f2a91', maxLength: 200, description: 'Printable ASCII without spaces' })
  @IsString()
  @Length(1, 200)
  @Matches(/^[\x21-\x7E]+$/, { message: 'reference must be printable ASCII without spaces' })
  reference: string;

  @ApiProperty({ example: '2026-11-01T10:00:00.000Z', description: 'ISO-8601, not in the future' })
  @IsString()
  @IsISO8601({ strict: true, strictSeparator: true })
  @IsPastInstant()
  verifiedAt: string;
}

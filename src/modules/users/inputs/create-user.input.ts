import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsObject, IsOptional, IsString, Length, Matches, ValidateNested } from 'class-validator';
import { KycAttestationInput } from './kyc-attestation.input';
import { PARTNER_USER_REF_PATTERN, PARTNER_USER_REF_RULE } from './partner-user-ref';

export class CreateUserInput {
  @ApiProperty({
    example: 'user_123',
    minLength: 1,
    maxLength: 128,
    pattern: PARTNER_USER_REF_PATTERN.source,
    description: `Your id for the user; ${PARTNER_USER_REF_RULE}`,
  })
  @IsString()
  @Length(1, 128)
  @Matches(PARTNER_USER_REF_PATTERN, { message: `partnerUserRef ${PARTNER_USER_REF_RULE}` })
  partnerUserRef: string;

  @ApiPropertyOptional({
    type: KycAttestationInput,
    description: 'PARTNER_MANAGED partners only: KYC you performed (sets kycStatus APPROVED)',
  })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => KycAttestationInput)
  kycAttestation?: KycAttestationInput;
}

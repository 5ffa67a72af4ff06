import { ApiProperty } from '@nestjs/swagger';
import { IsString, Matches } from 'class-validator';
import { PARTNER_USER_REF_PATTERN, PARTNER_USER_REF_RULE } from './partner-user-ref';

/** The `:ref` path parameter of /users/:ref routes. */
export class UserRefParams {
  @ApiProperty({ description: 'The partnerUserRef', example: 'user_123' })
  @IsString()
  @Matches(PARTNER_USER_REF_PATTERN, { message: `ref ${PARTNER_USER_REF_RULE}` })
  ref: string;
}

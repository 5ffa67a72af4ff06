import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsEmail, IsIn, IsOptional, IsString, IsUrl, Length, Matches } from 'class-validator';
import { CURP_PATTERN, MX_COMPANY_TYPES, MX_STATE_CODES, RFC_ANY_PATTERN } from '../mexican-identity';

export const KYC_LEVELS = ['BASIC', 'FULL'] as const;
export const MERCHANT_TYPES = ['PERSONAL', 'COMPANY'] as const;
export type KycLevel = (typeof KYC_LEVELS)[number];
export type MerchantTypeInput = (typeof MERCHANT_TYPES)[number];

// Names and places: Latin letters incl. Spanish accents/ñ/ü, spaces, apostrophes, dots and hyphens.
const NAME = /^[A-Za-zÀ-ÖØ-öø-ÿ][A-Za-zÀ-ÖØ-öø-ÿ' .-]*$/;
const NAME_RULE = 'must be letters (accents allowed), spaces, apostrophes, dots or hyphens';
// Street addresses add digits and the usual separators (#, comma, slash).
const ADDRESS = /^[A-Za-z0-9À-ÖØ-öø-ÿ][A-Za-z0-9À-ÖØ-öø-ÿ' .,#/-]*$/;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/**
 * POST /users/:ref/kyc: what TruBit's mc/add (CLABE channel) needs to open a merchant for the user.
 * Shapes are checked here; which fields a PERSONAL or COMPANY request must (not) carry, real dates, age and
 * the CURP check digit are checked by kyc-identity.rules.ts.
 */
export class StartKycInput {
  @ApiProperty({ enum: KYC_LEVELS })
  @IsIn(KYC_LEVELS)
  level: KycLevel;

  @ApiPropertyOptional({
    example: 'https://partner.example.com/kyc/done',
    description:
      'Accepted for MexicoP2P compatibility; TruBit merchant KYC has no hosted page to return from',
  })
  @IsOptional()
  @IsString()
  @Length(1, 2048)
  @IsUrl({ protocols: ['https', 'http'], require_protocol: true, require_tld: false })
  returnUrl?: string;

  @ApiProperty({ enum: MERCHANT_TYPES })
  @IsIn(MERCHANT_TYPES)
  type: MerchantTypeInput;

  @ApiProperty({ example: 'ana.lopez@example.com', description: 'Unique per merchant at TruBit' })
  @IsString()
  @Length(3, 254)
  @IsEmail({ allow_utf8_local_part: false, require_tld: true })
  email: string;

  @ApiProperty({ example: '+525512345678', description: '10–15 digits, optional leading +' })
  @IsString()
  @Matches(/^\+?\d{10,15}$/, { message: 'phone must be 10-15 digits with an optional leading +' })
  phone: string;

  @ApiProperty({ example: 'Av. Insurgentes Sur 1234, Col. Del Valle', maxLength: 200 })
  @IsString()
  @Length(1, 200)
  @Matches(ADDRESS, { message: 'address has characters that are not allowed' })
  address: string;

  @ApiProperty({ example: 'Ciudad de México', maxLength: 100 })
  @IsString()
  @Length(1, 100)
  @Matches(NAME, { message: `city ${NAME_RULE}` })
  city: string;

  @ApiProperty({ enum: MX_STATE_CODES, example: 'CMX', description: 'ISO 3166-2:MX code' })
  @IsIn(MX_STATE_CODES)
  state: string;

  @ApiProperty({ example: '03100', description: '5 digits' })
  @IsString()
  @Matches(/^\d{5}$/, { message: 'zipCode must be 5 digits' })
  zipCode: string;

  // ---- PERSONAL -------------------------------------------------------------------------------------------

  @ApiPropertyOptional({ example: 'Ana', description: 'PERSONAL: required' })
  @IsOptional()
  @IsString()
  @Length(1, 60)
  @Matches(NAME, { message: `name ${NAME_RULE}` })
  name?: string;

  @ApiPropertyOptional({ example: 'López', description: 'PERSONAL: required (apellido paterno)' })
  @IsOptional()
  @IsString()
  @Length(1, 60)
  @Matches(NAME, { message: `fatherSurname ${NAME_RULE}` })
  fatherSurname?: string;

  @ApiPropertyOptional({ example: 'García', description: 'PERSONAL: optional (apellido materno)' })
  @IsOptional()
  @IsString()
  @Length(1, 60)
  @Matches(NAME, { message: `motherSurname ${NAME_RULE}` })
  motherSurname?: string;

  @ApiPropertyOptional({ example: '1990-04-27', description: 'PERSONAL: required, yyyy-MM-dd, 18 or older' })
  @IsOptional()
  @IsString()
  @Matches(ISO_DATE, { message: 'birthday must be yyyy-MM-dd' })
  birthday?: string;

  @ApiPropertyOptional({
    example: 'HEGG560427MVZRRL04',
    description: 'PERSONAL: curp or rfc required. 18 characters, uppercase, valid check digit',
  })
  @IsOptional()
  @IsString()
  @Matches(CURP_PATTERN, { message: 'curp must be a CURP (18 uppercase characters)' })
  curp?: string;

  @ApiPropertyOptional({
    example: 'HEGG560427AB1',
    description: 'PERSONAL: 13 characters (persona física); COMPANY: required, 12 characters (persona moral)',
  })
  @IsOptional()
  @IsString()
  @Matches(RFC_ANY_PATTERN, { message: 'rfc must be an RFC (12 or 13 uppercase characters)' })
  rfc?: string;

  // ---- COMPANY --------------------------------------------------------------------------------------------

  @ApiPropertyOptional({ example: 'Comercializadora Ejemplo SA de CV', description: 'COMPANY: required' })
  @IsOptional()
  @IsString()
  @Length(1, 150)
  @Matches(ADDRESS, { message: 'companyName has characters that are not allowed' })
  companyName?: string;

  @ApiPropertyOptional({ example: 'Ejemplo', description: 'COMPANY: optional trade name' })
  @IsOptional()
  @IsString()
  @Length(1, 150)
  @Matches(ADDRESS, { message: 'aliasName has characters that are not allowed' })
  aliasName?: string;

  @ApiPropertyOptional({ example: '2015-06-01', description: 'COMPANY: required, yyyy-MM-dd, in the past' })
  @IsOptional()
  @IsString()
  @Matches(ISO_DATE, { message: 'incorporationDate must be yyyy-MM-dd' })
  incorporationDate?: string;

  @ApiPropertyOptional({ enum: MX_COMPANY_TYPES, example: 'SC', description: 'COMPANY: required' })
  @IsOptional()
  @IsIn(MX_COMPANY_TYPES)
  companyType?: string;
}

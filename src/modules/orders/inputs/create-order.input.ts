import { ApiProperty } from '@nestjs/swagger';
import { IsNotEmpty, IsString, Length, Matches, MaxLength } from 'class-validator';

export class CreateOrderInput {
  @ApiProperty({
    example: 'qt_0m3xk2a1b9c8d7e6f5g4h3',
    description: 'A SELL quote of this partner (POST /quotes)',
  })
  @IsString()
  @Length(1, 64)
  @Matches(/^[\x21-\x7e]+$/, { message: 'quoteId must be printable ASCII without spaces' })
  quoteId: string;

  @ApiProperty({ example: 'user-123', description: 'The user the quote was made for' })
  @IsString()
  @Length(1, 255)
  @Matches(/^[^\x00-\x1f\x7f]+$/, { message: 'partnerUserRef must not contain control characters' })
  partnerUserRef: string;

  @ApiProperty({
    example: '012345678901234568',
    description: '18-digit CLABE of the account the MXN is paid to (check digit and bank code are verified)',
  })
  @IsString()
  @IsNotEmpty()
  @MaxLength(64)
  sellerClabe: string;
}

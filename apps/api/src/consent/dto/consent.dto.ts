import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsEmail, IsIn, IsOptional, IsString, Length, Matches } from 'class-validator';
import { AGE_BANDS } from '@app/identity';

export class ConsentProcessingDto {
  @ApiProperty({ example: 'Date of birth' }) data: string;
  @ApiProperty() purpose: string;
}

/** What a parent sees before deciding: never the child's surname or email. */
export class ConsentPreviewDto {
  @ApiProperty({ example: 'Amira K.' }) displayName: string;
  @ApiProperty({ enum: AGE_BANDS }) ageBand: string;
  @ApiProperty({ description: 'When the link stops working' }) expiresAt: Date;
  @ApiProperty({ type: [ConsentProcessingDto], description: 'What is processed about the child, and why' }) processing: ConsentProcessingDto[];
}

export class ConsentDecisionDto {
  @ApiProperty({ enum: ['grant', 'refuse'] }) @IsIn(['grant', 'refuse'], { message: 'decision must be grant or refuse' }) decision: 'grant' | 'refuse';
  @ApiProperty({ example: 'Farah Khan', minLength: 1, maxLength: 100, description: 'The parent or guardian deciding' })
  @IsString()
  @Length(1, 100)
  @Matches(/\S/, { message: 'parentName must not be blank' })
  parentName: string;
}

export class ResendConsentDto {
  @ApiPropertyOptional({ description: 'A corrected parent or guardian address (replaces the one on file); refused once a parent has refused consent' })
  @IsOptional()
  @IsEmail({}, { message: 'parentEmail must be an email address' })
  @Length(3, 254)
  parentEmail?: string;
}

export class ConsentTokenParam {
  @ApiProperty({ description: 'The token of the emailed link' }) @IsString() @Length(16, 256) token: string;
}

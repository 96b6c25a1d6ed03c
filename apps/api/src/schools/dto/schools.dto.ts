import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, IsArray, IsIn, IsOptional, IsString, IsUUID, Length, Matches, ValidateBy } from 'class-validator';
import { SCHOOL_STATUSES, normalisePostcode, type SchoolStatus } from '@app/schools';
import { IdParam, IsOptionalNotNull, PageQueryDto, PageOf } from '../../common/dto.js';

export class RegisterSchoolDto {
  @ApiProperty({ example: '100000', description: 'The school’s unique reference number (URN): 6 digits' })
  @IsString()
  @Matches(/^\d{6}$/, { message: 'urn must be the 6-digit unique reference number' })
  urn: string;
  @ApiProperty({ example: 'Hillside Academy', minLength: 2, maxLength: 200 }) @IsString() @Length(2, 200) name: string;
  @ApiProperty({ example: 'SW1A 1AA', description: 'A UK postcode, in any case and spacing; stored normalised' })
  @IsString()
  @ValidateBy({
    name: 'isUkPostcode',
    validator: { validate: (v: unknown) => typeof v === 'string' && normalisePostcode(v) !== null, defaultMessage: () => 'postcode must be a UK postcode' },
  })
  postcode: string;
}

export class SchoolDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: '100000' }) urn: string;
  @ApiProperty() name: string;
  @ApiProperty({ example: 'SW1A 1AA' }) postcode: string;
  @ApiProperty({ enum: SCHOOL_STATUSES }) status: SchoolStatus;
  @ApiProperty() createdAt: Date;
  @ApiProperty({ nullable: true, type: Date }) verifiedAt: Date | null;
}

export class SchoolRegistrationDto extends SchoolDto {
  @ApiProperty({ enum: SCHOOL_STATUSES, description: 'The caller’s own membership of the school' }) membershipStatus: SchoolStatus;
}

export class SchoolTeacherDto {
  @ApiProperty({ format: 'uuid' }) userId: string;
  @ApiProperty() firstName: string;
  @ApiProperty() lastName: string;
  @ApiProperty({ example: 'Grace H.' }) displayName: string;
  @ApiProperty({ nullable: true, type: String }) email: string | null;
  @ApiProperty({ enum: SCHOOL_STATUSES }) status: SchoolStatus;
  @ApiProperty() joinedAt: Date;
  @ApiProperty({ nullable: true, type: Date }) verifiedAt: Date | null;
}

export class SchoolDetailDto extends SchoolDto {
  @ApiPropertyOptional({ nullable: true, type: String, description: 'What the verifying organiser noted (organisers only)' })
  evidence?: string | null;
  @ApiProperty({ type: [SchoolTeacherDto], description: 'In the order they joined' }) teachers: SchoolTeacherDto[];
}

export class SchoolPageDto extends PageOf(SchoolDto) {}

export class SchoolQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: SCHOOL_STATUSES }) @IsOptional() @IsIn(SCHOOL_STATUSES) status?: SchoolStatus;
}

export class VerifySchoolDto {
  @ApiPropertyOptional({ type: [String], format: 'uuid', description: 'Teachers checked along with the school (default: the first to join)' })
  @IsOptionalNotNull()
  @IsArray()
  @ArrayMaxSize(100)
  @IsUUID('all', { each: true, message: 'each of teacherIds must be a UUID' })
  teacherIds?: string[];
  @ApiPropertyOptional({ maxLength: 2000, nullable: true, type: String, description: 'What was checked, for other organisers; null or empty: nothing noted' })
  @IsOptional()
  @IsString()
  @Length(0, 2000)
  evidence?: string | null;
}

export class SchoolTeacherParams extends IdParam {
  @ApiProperty({ format: 'uuid' }) @IsUUID('all', { message: 'userId must be a UUID' }) userId: string;
}

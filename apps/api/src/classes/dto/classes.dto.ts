import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsIn, IsOptional, IsString, IsUUID, Length, Matches, ValidateIf } from 'class-validator';
import { AGE_BANDS, CONSENT_STATUSES, SCHOOL_ATTESTATION } from '@app/identity';
import { IdParam, IsOptionalNotNull, PageOf } from '../../common/dto.js';

export class CreateClassDto {
  @ApiProperty({ format: 'uuid', description: 'A school where the caller is a verified teacher' }) @IsUUID('all', { message: 'schoolId must be a UUID' }) schoolId: string;
  @ApiProperty({ example: '7B Computing', minLength: 1, maxLength: 100 }) @IsString() @Length(1, 100) name: string;
  @ApiPropertyOptional({ example: 'Year 7', maxLength: 30, nullable: true, type: String })
  @IsOptional()
  @ValidateIf((_, v) => v !== null)
  @IsString()
  @Length(0, 30)
  yearGroup?: string | null;
}

export class UpdateClassDto {
  @ApiPropertyOptional({ minLength: 1, maxLength: 100 }) @IsOptionalNotNull() @IsString() @Length(1, 100) name?: string;
  @ApiPropertyOptional({ maxLength: 30, nullable: true, type: String })
  @IsOptional()
  @ValidateIf((_, v) => v !== null)
  @IsString()
  @Length(0, 30)
  yearGroup?: string | null;
  @ApiPropertyOptional({ description: 'A locked class refuses new joiners (423); its members are unaffected' }) @IsOptionalNotNull() @IsBoolean() locked?: boolean;
}

export class IdeaCountsDto {
  @ApiProperty() draft: number;
  @ApiProperty() submitted: number;
}

export class ClassStudentDto {
  @ApiProperty({ format: 'uuid' }) userId: string;
  @ApiProperty({ description: 'Shown to the class’s teachers only' }) firstName: string;
  @ApiProperty({ description: 'Shown to the class’s teachers only' }) lastName: string;
  @ApiProperty({ example: 'Amira K.', description: 'First name and surname initial, with more letters where two in the class would look alike' }) displayName: string;
  @ApiProperty({ example: 'amira.k42' }) username: string;
  @ApiProperty({ enum: AGE_BANDS }) ageBand: string;
  @ApiProperty({ enum: CONSENT_STATUSES }) consentStatus: string;
  @ApiProperty({ type: IdeaCountsDto }) ideas: IdeaCountsDto;
  @ApiProperty() badgeCount: number;
  @ApiProperty() points: number;
  @ApiProperty({ enum: ['bronze', 'silver', 'gold'], nullable: true }) level: 'bronze' | 'silver' | 'gold' | null;
}

export class ClassDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) schoolId: string;
  @ApiProperty() name: string;
  @ApiProperty({ nullable: true, type: String }) yearGroup: string | null;
  @ApiProperty({ example: 'BK7QZ2MX' }) joinCode: string;
  @ApiProperty() locked: boolean;
  @ApiProperty({ type: [ClassStudentDto], description: 'In name order' }) students: ClassStudentDto[];
}

export class ClassSummaryDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) schoolId: string;
  @ApiProperty() name: string;
  @ApiProperty({ nullable: true, type: String }) yearGroup: string | null;
  @ApiProperty() joinCode: string;
  @ApiProperty() locked: boolean;
  @ApiProperty() studentCount: number;
  @ApiProperty() createdAt: Date;
}

export class ClassPageDto extends PageOf(ClassSummaryDto) {}

export class AddClassTeacherDto {
  @ApiProperty({ format: 'uuid', description: 'A verified teacher of the class’s school' }) @IsUUID('all', { message: 'userId must be a UUID' }) userId: string;
}

export class JoinCodeDto {
  @ApiProperty({ example: 'BK7QZ2MX' }) joinCode: string;
}

export class JoinClassDto {
  @ApiProperty({ example: 'BK7QZ2MX', description: 'Case, spaces and hyphens do not matter' }) @IsString() @Length(1, 32) code: string;
}

export class JoinedClassDto {
  @ApiProperty({ format: 'uuid' }) classId: string;
  @ApiProperty() className: string;
}

export class MoveStudentDto {
  @ApiProperty({ format: 'uuid', description: 'Another class of the same school' }) @IsUUID('all', { message: 'toClassId must be a UUID' }) toClassId: string;
}

export class InitialPasswordDto {
  @ApiProperty({ example: 'k7dq2m-xh4bz9-ws3tnf', description: 'A one-time password, shown this once; it must be changed at the next sign-in' })
  initialPassword: string;
}

export class CorrectDateOfBirthDto {
  @ApiProperty({ example: '2013-05-04', description: 'YYYY-MM-DD; entrants are 11–25' })
  @IsString()
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: 'dateOfBirth must be written YYYY-MM-DD' })
  dateOfBirth: string;
}

export class AttestConsentDto {
  @ApiProperty({ enum: [SCHOOL_ATTESTATION], description: 'The school holds the parent’s or guardian’s consent for this pupil' })
  @IsIn([SCHOOL_ATTESTATION], { message: `attestation must be "${SCHOOL_ATTESTATION}"` })
  attestation: typeof SCHOOL_ATTESTATION;
}

export class RosterQueryDto {
  @ApiPropertyOptional({ type: Boolean, description: 'true: validate only, create nothing (200)' })
  @IsOptional()
  @Transform(({ value }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsBoolean({ message: 'dryRun must be true or false' })
  dryRun?: boolean;
}

export class ImportedStudentDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: 'amira.k42' }) username: string;
  @ApiProperty({ example: 'Amira K.' }) displayName: string;
  @ApiProperty({ example: 'k7dq2m-xh4bz9-ws3tnf', description: 'One-time password, returned this once; changed at first sign-in' }) initialPassword: string;
}

export class RosterResultDto {
  @ApiProperty() dryRun: boolean;
  @ApiProperty({ description: 'Rows read from the CSV' }) rowCount: number;
  @ApiProperty({ type: [ImportedStudentDto], description: 'In the CSV’s row order; empty for a dry run' }) created: ImportedStudentDto[];
}

export class ClassStudentParams extends IdParam {
  @ApiProperty({ format: 'uuid' }) @IsUUID('all', { message: 'userId must be a UUID' }) userId: string;
}

import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsBoolean, IsEmail, IsIn, IsOptional, IsString, Length, ValidateNested } from 'class-validator';
import { AGE_BANDS, CONSENT_STATUSES, REGIONS, ROLES, type AccountView, type Region } from '@app/identity';
import { IsOptionalNotNull, PersonName, PageOf } from '../../common/dto.js';

export class PrivacyDto {
  @ApiProperty({ enum: ['private', 'public'] }) profileVisibility: 'private' | 'public';
  @ApiProperty() marketingOptIn: boolean;
}

/** The user shape of SPEC §3: what an account holder sees of themselves. */
export class UserDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: 'amira.k42' }) username: string;
  @ApiProperty({ nullable: true, type: String }) email: string | null;
  @ApiProperty() firstName: string;
  @ApiProperty() lastName: string;
  @ApiProperty({ example: 'Amira K.' }) displayName: string;
  @ApiProperty({ enum: ROLES, isArray: true }) roles: string[];
  @ApiProperty({ enum: AGE_BANDS }) ageBand: string;
  @ApiProperty({ enum: REGIONS, nullable: true }) region: string | null;
  @ApiProperty({ enum: CONSENT_STATUSES }) consentStatus: string;
  @ApiProperty() emailVerified: boolean;
  @ApiProperty() mustChangePassword: boolean;
  @ApiProperty({ type: PrivacyDto }) privacy: PrivacyDto;
  @ApiProperty({ description: 'Badge points' }) points: number;
  @ApiProperty({ enum: ['bronze', 'silver', 'gold'], nullable: true }) level: 'bronze' | 'silver' | 'gold' | null;

  static from(v: AccountView, progress: { points: number; level: UserDto['level'] }): UserDto {
    return {
      id: v.id,
      username: v.username,
      email: v.email,
      firstName: v.firstName,
      lastName: v.lastName,
      displayName: v.displayName,
      roles: v.roles,
      ageBand: v.ageBand,
      region: v.region,
      consentStatus: v.consentStatus,
      emailVerified: v.emailVerified,
      mustChangePassword: v.mustChangePassword,
      privacy: { profileVisibility: v.privacy.profileVisibility, marketingOptIn: v.privacy.marketingOptIn },
      points: progress.points,
      level: progress.level,
    };
  }
}

export class PrivacyPatchDto {
  @ApiPropertyOptional({ enum: ['private', 'public'] }) @IsOptionalNotNull() @IsIn(['private', 'public']) profileVisibility?: 'private' | 'public';
  @ApiPropertyOptional() @IsOptionalNotNull() @IsBoolean() marketingOptIn?: boolean;
}

export class UpdateMeDto {
  @PersonName('Amira', { optional: true }) firstName?: string;
  @PersonName('Khan', { optional: true }) lastName?: string;
  @ApiPropertyOptional({ enum: REGIONS, nullable: true }) @IsOptional() @IsIn([...REGIONS, null]) region?: Region | null;
  @ApiPropertyOptional({ description: 'Needs verifying again' }) @IsOptionalNotNull() @IsEmail() @Length(3, 254) email?: string;
  @ApiPropertyOptional({ type: PrivacyPatchDto }) @IsOptionalNotNull() @ValidateNested() @Type(() => PrivacyPatchDto) privacy?: PrivacyPatchDto;
}

export class NotificationDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() kind: string;
  @ApiProperty() title: string;
  @ApiProperty() body: string;
  @ApiProperty() createdAt: Date;
  @ApiProperty({ nullable: true, type: Date }) readAt: Date | null;
}

export class NotificationPageDto extends PageOf(NotificationDto) {}

export class EraseMeDto {
  @ApiProperty({ description: 'The current password, to confirm' }) @IsString() @Length(1, 1024) password: string;
}

import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsEmail, IsIn, IsOptional, IsString, Length, Matches } from 'class-validator';
import { REGIONS, type Region } from '@app/identity';
import { PersonName, RequiredWithout } from '../../common/dto.js';

export class RegisterDto {
  @ApiProperty({ enum: ['entrant', 'teacher'] }) @IsIn(['entrant', 'teacher']) accountType: 'entrant' | 'teacher';
  @ApiPropertyOptional({ description: 'Required for teachers and entrants aged 13 or over', example: 'amira@example.com' })
  @IsOptional()
  @IsEmail({}, { message: 'email must be an email address' })
  @Length(3, 254)
  email?: string;
  @ApiProperty({ minLength: 10, maxLength: 128, description: 'Not one of the commonly used passwords' })
  @IsString()
  @Length(1, 1024)
  password: string;
  @PersonName('Amira') firstName: string;
  @PersonName('Khan') lastName: string;
  @ApiProperty({ example: '2011-05-04', description: 'YYYY-MM-DD; entrants 11–25, teachers 18+' })
  @IsString()
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: 'dateOfBirth must be written YYYY-MM-DD' })
  dateOfBirth: string;
  @ApiProperty({ enum: REGIONS }) @IsIn(REGIONS, { message: 'region must be a UK ITL1 region' }) region: Region;
  @ApiPropertyOptional({ description: 'Required under 13: the parent or guardian who gives consent' })
  @IsOptional()
  @IsEmail({}, { message: 'parentEmail must be an email address' })
  @Length(3, 254)
  parentEmail?: string;
}

export class LoginDto {
  @ApiProperty({ description: 'Email or username', example: 'amira@example.com' }) @IsString() @Length(1, 254) login: string;
  @ApiProperty() @IsString() @Length(1, 1024) password: string;
}

export class TokenDto {
  @ApiProperty() @IsString() @Length(16, 256) token: string;
}

export class RefreshDto {
  // Any string: one that is not a live refresh token is a 401 (SPEC §3), whatever its length.
  @ApiProperty() @IsString() @Length(1, 256) refreshToken: string;
}

export class LogoutDto {
  @ApiPropertyOptional() @IsOptional() @IsString() @Length(16, 256) refreshToken?: string;
}

export class ForgotPasswordDto {
  @ApiPropertyOptional({ description: 'Either email or username' })
  @RequiredWithout('username')
  @IsEmail({}, { message: 'email must be an email address (or give a username)' })
  @Length(3, 254)
  email?: string;
  @ApiPropertyOptional()
  @RequiredWithout('email')
  @IsString()
  @Length(1, 64)
  username?: string;
}

export class ResetPasswordDto {
  @ApiProperty() @IsString() @Length(16, 256) token: string;
  @ApiProperty({ minLength: 10, maxLength: 128 }) @IsString() @Length(1, 1024) password: string;
}

export class ChangePasswordDto {
  @ApiProperty() @IsString() @Length(1, 1024) currentPassword: string;
  @ApiProperty({ minLength: 10, maxLength: 128 }) @IsString() @Length(1, 1024) newPassword: string;
}

export class TokenPairDto {
  @ApiProperty() accessToken: string;
  @ApiProperty() refreshToken: string;
  @ApiProperty({ example: 'Bearer' }) tokenType: 'Bearer';
  @ApiProperty({ example: 900, description: 'Seconds until the access token expires' }) expiresIn: number;
  @ApiProperty() mustChangePassword: boolean;
}

import { Module } from '@nestjs/common';
import { JwtModule } from '@nestjs/jwt';
import { TypeOrmModule } from '@nestjs/typeorm';
import { NotificationsModule } from '@app/notifications';
import { AccountsService } from './accounts.service.js';
import { AuthService } from './auth.service.js';
import { PeopleDirectory } from './directory.service.js';
import { IdentityPersonalData } from './identity-personal-data.js';
import { ConsentService } from './consent.service.js';
import { OneTimePasswords } from './one-time-passwords.js';
import { PasswordService } from './password.service.js';
import { RefreshToken, Session } from './session.entity.js';
import { User } from './user.entity.js';

export const identityEntities = [User, Session, RefreshToken];

@Module({
  imports: [TypeOrmModule.forFeature(identityEntities), JwtModule.register({}), NotificationsModule],
  providers: [AccountsService, AuthService, PasswordService, ConsentService, OneTimePasswords, PeopleDirectory, IdentityPersonalData],
  exports: [AccountsService, AuthService, PasswordService, ConsentService, PeopleDirectory, IdentityPersonalData],
})
export class IdentityModule {}

import { Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import type { Request } from 'express';
import { Strategy } from 'passport-local';
import { AuthService, type User } from '@app/identity';

/** Sign-in with `{login, password}`: email or username. */
@Injectable()
export class LocalStrategy extends PassportStrategy(Strategy, 'local') {
  constructor(private readonly auth: AuthService) {
    super({ usernameField: 'login', passwordField: 'password', passReqToCallback: true });
  }

  validate(req: Request, login: string, password: string): Promise<User> {
    return this.auth.signIn(login, password, req.ip ?? 'unknown');
  }
}

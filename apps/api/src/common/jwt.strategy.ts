import { Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { ExtractJwt, Strategy } from 'passport-jwt';
import { AuthService, type AccessClaims, type Principal } from '@app/identity';

/** Bearer access tokens; the session they name is checked on every request. */
@Injectable()
export class JwtStrategy extends PassportStrategy(Strategy, 'jwt') {
  constructor(private readonly auth: AuthService) {
    super({
      jwtFromRequest: ExtractJwt.fromAuthHeaderAsBearerToken(),
      algorithms: ['HS256'],
      ignoreExpiration: true, // expiry is checked against the app's Clock in AuthService.authenticate
      secretOrKeyProvider: (_req: unknown, _raw: unknown, done: (err: unknown, secret?: string) => void) => {
        auth.jwtSecret().then((s) => done(null, s), done);
      },
    });
  }

  async validate(claims: AccessClaims): Promise<Principal | false> {
    return (await this.auth.authenticate(claims)) ?? false;
  }
}

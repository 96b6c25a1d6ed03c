import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AuthGuard } from '@nestjs/passport';
import type { Request } from 'express';
import { DomainError } from '@app/platform';
import type { Principal, Role } from '@app/identity';
import { ALLOWED_DURING_PASSWORD_CHANGE, CONSUMES, IS_PUBLIC, ROLES_KEY } from './auth.decorators.js';
import { validateBody } from './validation.js';

const flag = (reflector: Reflector, key: string, ctx: ExecutionContext) =>
  reflector.getAllAndOverride<boolean>(key, [ctx.getHandler(), ctx.getClass()]);

/** Global: every route needs a live session unless marked @Public (SPEC §3). */
@Injectable()
export class AccessGuard extends AuthGuard('jwt') {
  constructor(private readonly reflector: Reflector) {
    super();
  }

  /** Public routes still recognise a valid token (organisers see drafts), but never require one. */
  override async canActivate(ctx: ExecutionContext): Promise<boolean> {
    if (!flag(this.reflector, IS_PUBLIC, ctx)) return (await super.canActivate(ctx)) as boolean;
    const req = ctx.switchToHttp().getRequest<Request>();
    if (!req.headers.authorization) return true;
    try {
      await super.canActivate(ctx);
    } catch {
      req.user = undefined;
    }
    return true;
  }

  override handleRequest<T = Principal>(err: unknown, user: T | false, _info: unknown, ctx: ExecutionContext): T {
    // A bad or expired token is no user (passport's `info`); an error is the session check failing
    // (the database unreachable, say): that is ours to answer (503/500), not a reason to sign anyone out.
    if (err) throw err;
    if (!user) throw new DomainError('unauthenticated', 'UNAUTHENTICATED', 'Sign in to continue.');
    const principal = user as unknown as Principal;
    if (principal.mustChangePassword && !flag(this.reflector, ALLOWED_DURING_PASSWORD_CHANGE, ctx))
      throw new DomainError('forbidden', 'PASSWORD_CHANGE_REQUIRED', 'Choose a new password before continuing.');
    return user as T;
  }
}

/** Global: @Roles(...) routes need one of the roles. */
@Injectable()
export class RolesGuard implements CanActivate {
  constructor(private readonly reflector: Reflector) {}

  canActivate(ctx: ExecutionContext): boolean {
    const roles = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES_KEY, [ctx.getHandler(), ctx.getClass()]);
    if (!roles?.length) return true;
    const user = ctx.switchToHttp().getRequest<Request>().user as Principal | undefined;
    if (user?.roles.some((r) => roles.includes(r))) return true;
    throw new DomainError('forbidden', 'ROLE_REQUIRED', `This needs the role ${roles.join(' or ')}.`);
  }
}

const BODY_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** Global, after authorisation: a body must be of a media type the route accepts (415). */
@Injectable()
export class BodyTypeGuard implements CanActivate {
  constructor(private readonly reflector: Reflector) {}

  canActivate(ctx: ExecutionContext): boolean {
    const req = ctx.switchToHttp().getRequest<Request>();
    const hasBody = Number(req.headers['content-length'] ?? 0) > 0 || req.headers['transfer-encoding'] !== undefined;
    if (!BODY_METHODS.has(req.method) || !hasBody) return true;
    const accepted = this.reflector.getAllAndOverride<string[] | undefined>(CONSUMES, [ctx.getHandler(), ctx.getClass()]) ?? ['application/json'];
    if (req.is(accepted)) return true;
    throw new DomainError('unsupported', 'UNSUPPORTED_MEDIA_TYPE', `The body must be ${accepted.join(' or ')}.`);
  }
}

/**
 * Sign-in through passport-local, after the body is validated like any other (so a malformed body
 * answers 400 listing its fields rather than a bare 401).
 */
export function localAuthGuard(dto: new () => object) {
  @Injectable()
  class LocalAuthGuard extends AuthGuard('local') {
    override async canActivate(ctx: ExecutionContext): Promise<boolean> {
      const req = ctx.switchToHttp().getRequest<Request>();
      req.body = await validateBody(req.body, dto);
      return (await super.canActivate(ctx)) as boolean;
    }

    override handleRequest<T>(err: unknown, user: T | false): T {
      if (err) throw err;
      if (!user) throw new DomainError('unauthenticated', 'INVALID_CREDENTIALS', 'The login or password is not correct.');
      return user;
    }
  }
  return LocalAuthGuard;
}

import { createParamDecorator, type ExecutionContext, SetMetadata, applyDecorators } from '@nestjs/common';
import { ApiBearerAuth, ApiForbiddenResponse, ApiUnauthorizedResponse } from '@nestjs/swagger';
import type { Principal, Role } from '@app/identity';
import { ProblemDto } from './problem.dto.js';

export const IS_PUBLIC = 'yi:public';
export const ROLES_KEY = 'yi:roles';
export const ALLOWED_DURING_PASSWORD_CHANGE = 'yi:allowed-during-password-change';
export const CONSUMES = 'yi:consumes';

/** No sign-in needed (rate-limited per IP instead). */
export const Public = () => SetMetadata(IS_PUBLIC, true);

/** Signed in, holding one of these roles (403 otherwise). */
export const Roles = (...roles: Role[]) =>
  applyDecorators(
    SetMetadata(ROLES_KEY, roles),
    ApiBearerAuth(),
    ApiUnauthorizedResponse({ type: ProblemDto, description: 'Not signed in' }),
    ApiForbiddenResponse({ type: ProblemDto, description: `Needs the role ${roles.join(' or ')}` }),
  );

/** Signed in, any role. */
export const SignedIn = () =>
  applyDecorators(ApiBearerAuth(), ApiUnauthorizedResponse({ type: ProblemDto, description: 'Not signed in' }));

/** Answers even while the account must change its password (SPEC §2.2). */
export const AllowedDuringPasswordChange = () => SetMetadata(ALLOWED_DURING_PASSWORD_CHANGE, true);

/** The body media types a route accepts (default application/json). */
export const Consumes = (...types: string[]) => SetMetadata(CONSUMES, types);

export const CurrentUser = createParamDecorator((_: unknown, ctx: ExecutionContext): Principal => {
  return ctx.switchToHttp().getRequest().user as Principal;
});

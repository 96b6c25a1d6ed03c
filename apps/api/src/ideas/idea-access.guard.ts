import { applyDecorators, type CanActivate, type ExecutionContext, Injectable, SetMetadata, UseGuards } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { IdeasService, type IdeaRole } from '@app/competitions';
import { routeTarget } from '../common/route-target.js';

const IDEA_ACCESS = 'yi:idea-access';

/**
 * Who may use an idea route `ideas/:id/…`, decided before the body, params or Idempotency-Key are
 * validated (SPEC §3: authorisation before validation), as the service decides it again: 404 for anyone
 * who may not see the idea, 403 for someone who may see it but is not a member (`member`) or not its
 * owner (`owner`). A malformed id is left to validation (400): it is nobody's idea.
 */
@Injectable()
export class IdeaAccessGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly ideas: IdeasService,
  ) {}

  async canActivate(ctx: ExecutionContext): Promise<boolean> {
    const role = this.reflector.get<IdeaRole>(IDEA_ACCESS, ctx.getHandler());
    const { caller, id } = routeTarget(ctx);
    if (id) await this.ideas.authorize(caller, id, role);
    return true;
  }
}

/** An idea route needing `role` of the caller, checked by the guard above. */
export const IdeaAccess = (role: IdeaRole) => applyDecorators(SetMetadata(IDEA_ACCESS, role), UseGuards(IdeaAccessGuard));

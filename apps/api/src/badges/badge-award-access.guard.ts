import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import { BadgeAwards } from '@app/badges';
import { routeTarget } from '../common/route-target.js';

/**
 * Who may award badge `:id`, decided before the body is validated (SPEC §3: authorisation before validation),
 * as the service decides it again: 404 for an unknown badge, 403 for a teacher not yet verified or a badge
 * that is not teacherAwardable. Whether the recipient is their student needs the body: the service answers
 * that. A malformed id is left to validation (400).
 */
@Injectable()
export class BadgeAwardAccessGuard implements CanActivate {
  constructor(private readonly awards: BadgeAwards) {}

  async canActivate(ctx: ExecutionContext): Promise<boolean> {
    const { caller, id } = routeTarget(ctx);
    if (id) await this.awards.authorize(caller, id);
    return true;
  }
}

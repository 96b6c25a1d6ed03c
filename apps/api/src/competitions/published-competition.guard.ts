import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import { CompetitionsService } from '@app/competitions';
import { routeTarget } from '../common/route-target.js';

/**
 * A route about competition `:id` that only a published one takes (entering an idea), decided before the body
 * is validated (SPEC §3): 404 for an unknown or draft competition, as the service decides it again. Drafts are
 * refused to organisers too: nobody enters one. A malformed id is left to validation (400).
 */
@Injectable()
export class PublishedCompetitionGuard implements CanActivate {
  constructor(private readonly competitions: CompetitionsService) {}

  async canActivate(ctx: ExecutionContext): Promise<boolean> {
    const { id } = routeTarget(ctx);
    if (id) await this.competitions.get(id);
    return true;
  }
}

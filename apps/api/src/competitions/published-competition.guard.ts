import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import type { Request } from 'express';
import { CompetitionsService } from '@app/competitions';
import { UUID } from '../common/dto.js';

/**
 * A route about competition `:id` that only a published one takes (entering an idea), decided before the body
 * is validated (SPEC §3): 404 for an unknown or draft competition, as the service decides it again. Drafts are
 * refused to organisers too: nobody enters one. A malformed id is left to validation (400).
 */
@Injectable()
export class PublishedCompetitionGuard implements CanActivate {
  constructor(private readonly competitions: CompetitionsService) {}

  async canActivate(ctx: ExecutionContext): Promise<boolean> {
    const id = String(ctx.switchToHttp().getRequest<Request>().params.id);
    if (UUID.test(id)) await this.competitions.get(id);
    return true;
  }
}

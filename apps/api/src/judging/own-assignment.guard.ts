import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import { ScoringService } from '@app/judging';
import { routeTarget } from '../common/route-target.js';

/**
 * A judge's own assignment route `judge/assignments/:id/…`: another judge's assignment (or none, or a
 * hidden idea's) is a 404 before the body is validated (SPEC §3: authorisation before validation).
 * A malformed id is left to validation (400).
 */
@Injectable()
export class OwnAssignmentGuard implements CanActivate {
  constructor(private readonly scoring: ScoringService) {}

  async canActivate(ctx: ExecutionContext): Promise<boolean> {
    const { caller, id } = routeTarget(ctx);
    if (id) await this.scoring.assertOwn(caller.userId, id);
    return true;
  }
}

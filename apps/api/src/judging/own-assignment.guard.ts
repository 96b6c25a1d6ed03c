import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import type { Request } from 'express';
import type { Principal } from '@app/identity';
import { ScoringService } from '@app/judging';
import { UUID } from '../common/dto.js';

/**
 * A judge's own assignment route `judge/assignments/:id/…`: another judge's assignment (or none, or a
 * hidden idea's) is a 404 before the body is validated (SPEC §3: authorisation before validation).
 * A malformed id is left to validation (400).
 */
@Injectable()
export class OwnAssignmentGuard implements CanActivate {
  constructor(private readonly scoring: ScoringService) {}

  async canActivate(ctx: ExecutionContext): Promise<boolean> {
    const req = ctx.switchToHttp().getRequest<Request>();
    const id = String(req.params.id);
    if (UUID.test(id)) await this.scoring.assertOwn((req.user as Principal).userId, id);
    return true;
  }
}

import type { ExecutionContext } from '@nestjs/common';
import type { Request } from 'express';
import type { Principal } from '@app/identity';
import { UUID } from './dto.js';

/**
 * What a route-level authorisation guard decides on (SPEC §3: authorisation before validation): the
 * caller and the route's `:id`, or null for a malformed id — it names nothing, so validation answers it (400).
 */
export function routeTarget(ctx: ExecutionContext): { caller: Principal; id: string | null } {
  const req = ctx.switchToHttp().getRequest<Request>();
  const id = String(req.params.id);
  return { caller: req.user as Principal, id: UUID.test(id) ? id : null };
}

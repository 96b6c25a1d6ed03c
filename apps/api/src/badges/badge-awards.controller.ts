import { Body, Controller, HttpCode, Param, Post } from '@nestjs/common';
import { ApiNoContentResponse, ApiTags } from '@nestjs/swagger';
import { BadgeAwards } from '@app/badges';
import type { Principal } from '@app/identity';
import { ApiProblems } from '../common/api-problems.decorator.js';
import { CurrentUser, Roles } from '../common/auth.decorators.js';
import { IdParam } from '../common/dto.js';
import { RevokeAwardDto } from './dto/badges.dto.js';

/** Revoking an award (organisers, with a reason that is published). */
@ApiTags('badges')
@Controller('badge-awards')
export class BadgeAwardsController {
  constructor(private readonly awards: BadgeAwards) {}

  @Roles('organiser')
  @Post(':id/revoke')
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'Revoked: the OB 2.0 assertion answers 410, the OB 3.0 status bit is set' })
  @ApiProblems(400, 404, 409)
  async revoke(@CurrentUser() actor: Principal, @Param() { id }: IdParam, @Body() dto: RevokeAwardDto): Promise<void> {
    await this.awards.revoke(actor.userId, id, dto.reason);
  }
}

import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { BadgeAwards } from '@app/badges';
import type { Principal } from '@app/identity';
import { CurrentUser, SignedIn } from '../common/auth.decorators.js';
import { MyBadgesDto } from './dto/badges.dto.js';

/** GET /me/badges: the caller's badges, points and level. */
@ApiTags('me')
@SignedIn()
@Controller('me/badges')
export class MyBadgesController {
  constructor(private readonly awards: BadgeAwards) {}

  @Get()
  @ApiOkResponse({ type: MyBadgesDto })
  async mine(@CurrentUser() principal: Principal): Promise<MyBadgesDto> {
    return MyBadgesDto.from(await this.awards.mine(principal.userId));
  }
}

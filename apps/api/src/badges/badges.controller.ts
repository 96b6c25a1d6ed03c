import { Body, Controller, Get, Param, Post, Query, UseGuards } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { BadgeAwards, BadgeCatalogue } from '@app/badges';
import type { Principal } from '@app/identity';
import { ApiProblems } from '../common/api-problems.decorator.js';
import { CurrentUser, Public, Roles } from '../common/auth.decorators.js';
import { IdParam } from '../common/dto.js';
import { BadgeAwardAccessGuard } from './badge-award-access.guard.js';
import {
  AwardDto,
  BadgeDto,
  BadgePageDto,
  BadgeQueryDto,
  CreateAwardDto,
  CreateBadgeDto,
  CreateEndorsementDto,
  EndorsementDto,
} from './dto/badges.dto.js';

/** The badge catalogue, endorsements and awards (SPEC §2.5). */
@ApiTags('badges')
@Controller('badges')
export class BadgesController {
  constructor(
    private readonly catalogue: BadgeCatalogue,
    private readonly awards: BadgeAwards,
  ) {}

  @Public()
  @Get()
  @ApiOkResponse({ type: BadgePageDto, description: 'The catalogue, newest first' })
  @ApiProblems(400)
  async list(@Query() query: BadgeQueryDto): Promise<BadgePageDto> {
    const page = await this.catalogue.list(query);
    return { items: page.items.map(BadgeDto.from), nextCursor: page.nextCursor };
  }

  @Roles('organiser')
  @Post()
  @ApiCreatedResponse({ type: BadgeDto })
  @ApiProblems(400, 409)
  async create(@CurrentUser() actor: Principal, @Body() dto: CreateBadgeDto): Promise<BadgeDto> {
    return BadgeDto.from(await this.catalogue.create(actor.userId, dto));
  }

  @Roles('organiser')
  @Post(':id/endorsements')
  @ApiCreatedResponse({ type: EndorsementDto, description: 'An industry endorsement, dated now and published as an OB 2.0 Endorsement' })
  @ApiProblems(400, 404)
  async endorse(@CurrentUser() actor: Principal, @Param() { id }: IdParam, @Body() dto: CreateEndorsementDto): Promise<EndorsementDto> {
    return EndorsementDto.from(await this.catalogue.endorse(actor.userId, id, dto));
  }

  @Roles('organiser', 'teacher')
  @UseGuards(BadgeAwardAccessGuard)
  @Post(':id/awards')
  @ApiCreatedResponse({
    type: AwardDto,
    description:
      'Organisers award any badge; verified teachers award teacherAwardable badges to students of their own classes (403 otherwise). ' +
      'Decided before the body is validated: 404 for an unknown badge; 403 for a teacher not yet verified, or a badge that is not teacherAwardable',
  })
  @ApiProblems(400, 404, 409)
  async award(@CurrentUser() actor: Principal, @Param() { id }: IdParam, @Body() dto: CreateAwardDto): Promise<AwardDto> {
    return AwardDto.from(await this.awards.award(actor, id, dto));
  }
}

import { Body, Controller, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { CompetitionsService } from '@app/competitions';
import type { Principal } from '@app/identity';
import { ApiProblems } from '../common/api-problems.decorator.js';
import { CurrentUser, Public, Roles } from '../common/auth.decorators.js';
import { IdParam, PageQueryDto } from '../common/dto.js';
import { CompetitionDto, CompetitionPageDto, CreateCompetitionDto, UpdateCompetitionDto } from './dto/competition.dto.js';

@ApiTags('competitions')
@Controller('competitions')
export class CompetitionsController {
  constructor(private readonly competitions: CompetitionsService) {}

  @Roles('organiser')
  @Post()
  @ApiCreatedResponse({ type: CompetitionDto })
  @ApiProblems(400, 409)
  async create(@CurrentUser() actor: Principal, @Body() dto: CreateCompetitionDto): Promise<CompetitionDto> {
    return CompetitionDto.from(await this.competitions.create(actor.userId, dto));
  }

  @Roles('organiser')
  @Patch(':id')
  @ApiOkResponse({ type: CompetitionDto, description: 'After opening only description and a later closesAt may change (409 lists the others)' })
  @ApiProblems(400, 404, 409)
  async update(@CurrentUser() actor: Principal, @Param() { id }: IdParam, @Body() dto: UpdateCompetitionDto): Promise<CompetitionDto> {
    return CompetitionDto.from(await this.competitions.update(actor.userId, id, dto));
  }

  @Roles('organiser')
  @Post(':id/publish')
  @HttpCode(200)
  @ApiOkResponse({ type: CompetitionDto })
  @ApiProblems(404)
  async publish(@CurrentUser() actor: Principal, @Param() { id }: IdParam): Promise<CompetitionDto> {
    return CompetitionDto.from(await this.competitions.publish(actor.userId, id));
  }

  @Roles('organiser')
  @Post(':id/close')
  @HttpCode(200)
  @ApiOkResponse({ type: CompetitionDto })
  @ApiProblems(404, 409)
  async close(@CurrentUser() actor: Principal, @Param() { id }: IdParam): Promise<CompetitionDto> {
    return CompetitionDto.from(await this.competitions.closeEarly(actor.userId, id));
  }

  @Public()
  @Get()
  @ApiOkResponse({ type: CompetitionPageDto, description: 'Published competitions, newest first (organisers also see drafts)' })
  @ApiProblems(400)
  async list(@CurrentUser() viewer: Principal | undefined, @Query() page: PageQueryDto): Promise<CompetitionPageDto> {
    const result = await this.competitions.list(viewer, page.limit, page.cursor);
    return { items: result.items.map(CompetitionDto.from), nextCursor: result.nextCursor };
  }

  @Public()
  @Get(':id')
  @ApiOkResponse({ type: CompetitionDto })
  @ApiProblems(404)
  async get(@CurrentUser() viewer: Principal | undefined, @Param() { id }: IdParam): Promise<CompetitionDto> {
    return CompetitionDto.from(await this.competitions.get(id, viewer));
  }
}

import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query, UseGuards } from '@nestjs/common';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiProperty, ApiTags } from '@nestjs/swagger';
import { Matches } from 'class-validator';
import { IdeasService, ModerationService, SubmissionsService, TeamsService } from '@app/competitions';
import type { Principal } from '@app/identity';
import { ApiProblems } from '../common/api-problems.decorator.js';
import { CurrentUser, Roles, SignedIn } from '../common/auth.decorators.js';
import { IdParam, PageQueryDto, UUID } from '../common/dto.js';
import { Idempotent } from '../common/idempotency.interceptor.js';
import { PublishedCompetitionGuard } from '../competitions/published-competition.guard.js';
import { IdeaAccess } from './idea-access.guard.js';
import { CreateIdeaDto, CreatedDto, IdeaDto, IdeaPageDto, IdeaQueryDto, InvitationPageDto, InviteMemberDto, ReasonDto, ReportDto, ReportPageDto, UpdateIdeaDto } from './dto/idea.dto.js';

export class MemberParams extends IdParam {
  @ApiProperty({ format: 'uuid' }) @Matches(UUID, { message: 'userId must be a UUID' }) userId: string;
}

@ApiTags('ideas')
@SignedIn()
@Controller()
export class IdeasController {
  constructor(
    private readonly ideas: IdeasService,
    private readonly teams: TeamsService,
    private readonly submissions: SubmissionsService,
    private readonly moderation: ModerationService,
  ) {}

  @Roles('entrant')
  @UseGuards(PublishedCompetitionGuard)
  @Post('competitions/:id/ideas')
  @ApiCreatedResponse({ type: IdeaDto, description: 'A draft: only a title is needed. An unknown or unpublished competition is 404 before the body is read' })
  @ApiProblems(400, 404, 409)
  async create(@CurrentUser() actor: Principal, @Param() { id }: IdParam, @Body() dto: CreateIdeaDto): Promise<IdeaDto> {
    return IdeaDto.from(await this.ideas.create(actor, id, dto));
  }

  @Get('me/ideas')
  @ApiOkResponse({
    type: IdeaPageDto,
    description:
      'Newest first: ideas the caller is an accepted member of; for a verified teacher also those of their classes\' students (read-only: ' +
      'the teacher is not among the members); for an organiser every idea, drafts included',
  })
  @ApiProblems(400)
  async mine(@CurrentUser() actor: Principal, @Query() query: IdeaQueryDto): Promise<IdeaPageDto> {
    const result = await this.ideas.mine(actor, query.limit, query.cursor, query.competitionId);
    return { items: result.items.map(IdeaDto.from), nextCursor: result.nextCursor };
  }

  @Get('me/invitations')
  @ApiOkResponse({ type: InvitationPageDto, description: 'Pending team invitations, newest first' })
  @ApiProblems(400)
  invitations(@CurrentUser() actor: Principal, @Query() page: PageQueryDto): Promise<InvitationPageDto> {
    return this.teams.invitations(actor, page.limit, page.cursor);
  }

  @Get('ideas/:id')
  @ApiOkResponse({ type: IdeaDto, description: 'Members, teachers of their classes (read-only) and organisers' })
  @ApiProblems(400, 404)
  async get(@CurrentUser() actor: Principal, @Param() { id }: IdParam): Promise<IdeaDto> {
    return IdeaDto.from(await this.ideas.get(actor, id));
  }

  @IdeaAccess('member')
  @Patch('ideas/:id')
  @ApiOkResponse({ type: IdeaDto })
  @ApiProblems(400, 403, 404, 409)
  async update(@CurrentUser() actor: Principal, @Param() { id }: IdParam, @Body() dto: UpdateIdeaDto): Promise<IdeaDto> {
    return IdeaDto.from(await this.ideas.update(actor, id, dto));
  }

  @IdeaAccess('owner')
  @Post('ideas/:id/members')
  @ApiCreatedResponse({ type: IdeaDto, description: 'Invitation sent; the team now lists it as not accepted' })
  @ApiProblems(400, 403, 404, 409)
  async invite(@CurrentUser() actor: Principal, @Param() { id }: IdParam, @Body() dto: InviteMemberDto): Promise<IdeaDto> {
    return IdeaDto.from(await this.teams.invite(actor, id, dto));
  }

  @Post('ideas/:id/members/accept')
  @HttpCode(200)
  @ApiOkResponse({ type: IdeaDto })
  @ApiProblems(403, 404, 409)
  async accept(@CurrentUser() actor: Principal, @Param() { id }: IdParam): Promise<IdeaDto> {
    return IdeaDto.from(await this.teams.accept(actor, id));
  }

  @Post('ideas/:id/members/decline')
  @HttpCode(204)
  @ApiNoContentResponse()
  @ApiProblems(404)
  async decline(@CurrentUser() actor: Principal, @Param() { id }: IdParam): Promise<void> {
    await this.teams.decline(actor, id);
  }

  @IdeaAccess('member')
  @Delete('ideas/:id/members/:userId')
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'Removed (owner), invitation withdrawn (owner), or left (self)' })
  @ApiProblems(403, 404, 409)
  async remove(@CurrentUser() actor: Principal, @Param() { id, userId }: MemberParams): Promise<void> {
    await this.teams.remove(actor, id, userId);
  }

  @IdeaAccess('member')
  @Post('ideas/:id/submit')
  @HttpCode(200)
  @Idempotent()
  @ApiOkResponse({ type: IdeaDto, description: 'A new immutable version is taken' })
  @ApiProblems(400, 403, 404, 409, 422)
  async submit(@CurrentUser() actor: Principal, @Param() { id }: IdParam): Promise<IdeaDto> {
    return IdeaDto.from(await this.submissions.submit(actor, id));
  }

  @IdeaAccess('member')
  @Post('ideas/:id/withdraw')
  @HttpCode(200)
  @Idempotent()
  @ApiOkResponse({ type: IdeaDto })
  @ApiProblems(400, 403, 404, 409, 422)
  async withdraw(@CurrentUser() actor: Principal, @Param() { id }: IdParam): Promise<IdeaDto> {
    return IdeaDto.from(await this.submissions.withdraw(actor, id));
  }

  @IdeaAccess('viewer')
  @Post('ideas/:id/report')
  @ApiCreatedResponse({ type: CreatedDto })
  @ApiProblems(400, 404)
  report(@CurrentUser() actor: Principal, @Param() { id }: IdParam, @Body() dto: ReasonDto): Promise<CreatedDto> {
    return this.moderation.report(actor, id, dto.reason);
  }

  @Roles('organiser')
  @Get('reports')
  @ApiOkResponse({ type: ReportPageDto, description: 'Newest first' })
  @ApiProblems(400)
  async reports(@Query() page: PageQueryDto): Promise<ReportPageDto> {
    const result = await this.moderation.reports(page.limit, page.cursor);
    return { items: result.items.map(ReportDto.from), nextCursor: result.nextCursor };
  }

  @Roles('organiser')
  @IdeaAccess('viewer')
  @Post('ideas/:id/hide')
  @HttpCode(200)
  @ApiOkResponse({ type: IdeaDto })
  @ApiProblems(400, 404, 409)
  async hide(@CurrentUser() actor: Principal, @Param() { id }: IdParam, @Body() dto: ReasonDto): Promise<IdeaDto> {
    return IdeaDto.from(await this.moderation.setHidden(actor, id, true, dto.reason));
  }

  @Roles('organiser')
  @IdeaAccess('viewer')
  @Post('ideas/:id/unhide')
  @HttpCode(200)
  @ApiOkResponse({ type: IdeaDto })
  @ApiProblems(400, 404, 409)
  async unhide(@CurrentUser() actor: Principal, @Param() { id }: IdParam, @Body() dto: ReasonDto): Promise<IdeaDto> {
    return IdeaDto.from(await this.moderation.setHidden(actor, id, false, dto.reason));
  }
}

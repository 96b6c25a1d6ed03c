import { Body, Controller, Get, HttpCode, Param, Post, Put, Query, UseGuards } from '@nestjs/common';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { Principal } from '@app/identity';
import { ConflictsService, JudgeInvitationsService, ScoringService } from '@app/judging';
import { ApiProblem, ApiProblems } from '../common/api-problems.decorator.js';
import { CurrentUser, Public, Roles } from '../common/auth.decorators.js';
import { IdParam } from '../common/dto.js';
import { Idempotent } from '../common/idempotency.interceptor.js';
import {
  AcceptInvitationDto,
  AssignmentQueryDto,
  DeclaredConflictsDto,
  InvitationTokenParam,
  InviteJudgeDto,
  JudgeAssignmentDto,
  JudgeAssignmentPageDto,
  JudgeInvitationDto,
  ReasonDto,
  ScoreDto,
} from './dto/judging.dto.js';
import { OwnAssignmentGuard } from './own-assignment.guard.js';

/** Judges (SPEC §2.4): invitations, declared conflicts, and blind scoring of their own queue. */
@ApiTags('judges')
@Controller()
export class JudgesController {
  constructor(
    private readonly invitations: JudgeInvitationsService,
    private readonly conflicts: ConflictsService,
    private readonly scoring: ScoringService,
  ) {}

  @Roles('organiser')
  @Post('judges/invitations')
  @ApiCreatedResponse({ type: JudgeInvitationDto, description: 'The invitation is emailed with a link to the /judge-invitation page' })
  @ApiProblems(400, 409)
  invite(@CurrentUser() actor: Principal, @Body() dto: InviteJudgeDto): Promise<JudgeInvitationDto> {
    return this.invitations.invite(actor.userId, dto);
  }

  @Public()
  @Post('judges/invitations/:token/accept')
  @HttpCode(204)
  @ApiNoContentResponse({ description: '`{password}` creates an adult judge account; `{}` gives an existing adult account with a verified email the role' })
  @ApiProblems(400, 403, 404, 410)
  @ApiProblem(
    409,
    'Nothing changed and the link still works: `EMAIL_NOT_VERIFIED` when the address already has an account whose email was never ' +
      'verified (verify it, or reset that account’s password, then accept again).',
  )
  async accept(@Param() { token }: InvitationTokenParam, @Body() dto: AcceptInvitationDto): Promise<void> {
    await this.invitations.accept(token, dto.password);
  }

  @Roles('judge')
  @Get('judge/conflicts')
  @ApiOkResponse({ type: DeclaredConflictsDto })
  declared(@CurrentUser() judge: Principal): Promise<DeclaredConflictsDto> {
    return this.conflicts.declared(judge.userId);
  }

  @Roles('judge')
  @Put('judge/conflicts')
  @ApiOkResponse({ type: DeclaredConflictsDto, description: 'Replaces the declaration; applies to rounds assigned from now on' })
  @ApiProblems(400)
  declare(@CurrentUser() judge: Principal, @Body() dto: DeclaredConflictsDto): Promise<DeclaredConflictsDto> {
    return this.conflicts.declare(judge.userId, dto);
  }

  @Roles('judge')
  @Get('judge/assignments')
  @ApiOkResponse({ type: JudgeAssignmentPageDto, description: 'My queue, newest first: blind (alias, snapshot, category, lead’s age band)' })
  @ApiProblems(400)
  async queue(@CurrentUser() judge: Principal, @Query() query: AssignmentQueryDto): Promise<JudgeAssignmentPageDto> {
    const page = await this.scoring.queue(judge.userId, query);
    return { items: page.items.map(JudgeAssignmentDto.from), nextCursor: page.nextCursor };
  }

  @Roles('judge')
  @Get('judge/assignments/:id')
  @ApiOkResponse({ type: JudgeAssignmentDto })
  @ApiProblems(400, 404)
  async assignment(@CurrentUser() judge: Principal, @Param() { id }: IdParam): Promise<JudgeAssignmentDto> {
    return JudgeAssignmentDto.from(await this.scoring.get(judge.userId, id));
  }

  @Roles('judge')
  @Put('judge/assignments/:id/score')
  @Idempotent()
  @ApiOkResponse({ type: JudgeAssignmentDto, description: 'Saved; editable until the round closes' })
  @ApiProblems(400, 404, 409, 422)
  async score(@CurrentUser() judge: Principal, @Param() { id }: IdParam, @Body() dto: ScoreDto): Promise<JudgeAssignmentDto> {
    return JudgeAssignmentDto.from(await this.scoring.score(judge.userId, id, { scores: dto.scores ?? {}, feedback: dto.feedback ?? '' }));
  }

  @Roles('judge')
  @Post('judge/assignments/:id/conflict')
  @UseGuards(OwnAssignmentGuard)
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'Stepped aside: the entry goes to the least-loaded eligible judge, and the conflict binds later rounds' })
  @ApiProblems(400, 404, 409)
  async conflict(@CurrentUser() judge: Principal, @Param() { id }: IdParam, @Body() dto: ReasonDto): Promise<void> {
    await this.scoring.declareConflict(judge.userId, id, dto.reason);
  }
}

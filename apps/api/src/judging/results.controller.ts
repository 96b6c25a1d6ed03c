import { Body, Controller, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiAcceptedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { Principal } from '@app/identity';
import { AwardsService, FeedbackService, JudgingError, PublicationService, type AwardPatch } from '@app/judging';
import type { Payee } from '@app/judging';
import type { FieldError } from '@app/platform';
import { ApiProblems } from '../common/api-problems.decorator.js';
import { CurrentUser, Public, Roles, SignedIn } from '../common/auth.decorators.js';
import { IdParam } from '../common/dto.js';
import { FundingAwardDto, FundingAwardPageDto, AwardQueryDto, JobAcceptedDto, PayeeDto, PublicResultsDto, ReleasedFeedbackDto, UpdateAwardDto } from './dto/judging.dto.js';

/** Results publication, public results, released feedback and funding awards (SPEC §2.4, §3). */
@ApiTags('results')
@Controller()
export class ResultsController {
  constructor(
    private readonly publication: PublicationService,
    private readonly feedback: FeedbackService,
    private readonly awards: AwardsService,
  ) {}

  @Roles('organiser')
  @Post('competitions/:id/results/publish')
  @HttpCode(202)
  @ApiAcceptedResponse({ type: JobAcceptedDto, description: 'Runs once: repeating it answers the same job and changes nothing' })
  @ApiProblems(404, 409)
  publish(@CurrentUser() actor: Principal, @Param() { id }: IdParam): Promise<JobAcceptedDto> {
    return this.publication.request(actor.userId, id);
  }

  @Public()
  @Get('public/competitions/:id/results')
  @ApiOkResponse({
    type: PublicResultsDto,
    description: 'Winners and finalists: displayNames, title, summary and award only; hidden ideas and under-13s without parental consent are left out',
  })
  @ApiProblems(404)
  async publicResults(@Param() { id }: IdParam): Promise<PublicResultsDto> {
    return PublicResultsDto.from(await this.publication.publicResults(id));
  }

  @SignedIn()
  @Get('ideas/:id/feedback')
  @ApiOkResponse({ type: ReleasedFeedbackDto, description: 'Members and their class teachers (and organisers): released feedback, judges anonymous' })
  @ApiProblems(404)
  async ideaFeedback(@CurrentUser() actor: Principal, @Param() { id }: IdParam): Promise<ReleasedFeedbackDto> {
    return ReleasedFeedbackDto.from(await this.feedback.forIdea(actor, id));
  }

  @Roles('organiser')
  @Get('awards')
  @ApiOkResponse({ type: FundingAwardPageDto, description: 'Funding awards, newest first' })
  @ApiProblems(400)
  async list(@Query() query: AwardQueryDto): Promise<FundingAwardPageDto> {
    const page = await this.awards.list(query);
    return { items: page.items.map(FundingAwardDto.from), nextCursor: page.nextCursor };
  }

  @Roles('organiser')
  @Patch('awards/:id')
  @ApiOkResponse({ type: FundingAwardDto })
  @ApiProblems(400, 404)
  async update(@CurrentUser() actor: Principal, @Param() { id }: IdParam, @Body() dto: UpdateAwardDto): Promise<FundingAwardDto> {
    const patch: AwardPatch = { status: dto.status, acceleratorStatus: dto.acceleratorStatus, paymentStatus: dto.paymentStatus };
    if (dto.payee !== undefined) patch.payee = dto.payee === null ? null : toPayee(dto.payee);
    for (const key of Object.keys(patch) as (keyof AwardPatch)[]) if (patch[key] === undefined) delete patch[key];
    return FundingAwardDto.from(await this.awards.update(actor.userId, id, patch));
  }
}

/** The payee union from the flat DTO: each kind with exactly its own fields (400 naming each one missing). */
function toPayee(dto: PayeeDto): Payee {
  const required: Record<Payee['kind'], (keyof PayeeDto)[]> = { member: ['userId'], parent_guardian: ['name', 'email'], school: ['schoolId'] };
  const errors: FieldError[] = required[dto.kind]
    .filter((field) => !dto[field])
    .map((field) => ({ field: `payee.${field}`, message: `${field} is required for a ${dto.kind} payee` }));
  if (errors.length) throw JudgingError.invalidFields(errors);
  if (dto.kind === 'member') return { kind: 'member', userId: dto.userId! };
  if (dto.kind === 'parent_guardian') return { kind: 'parent_guardian', name: dto.name!.trim(), email: dto.email!.trim().toLowerCase() };
  return { kind: 'school', schoolId: dto.schoolId! };
}

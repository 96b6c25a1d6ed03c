import { Body, Controller, Get, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import { ApiAcceptedResponse, ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { once } from 'node:events';
import type { Principal } from '@app/identity';
import { FeedbackService, RoundsService } from '@app/judging';
import { ApiProblems } from '../common/api-problems.decorator.js';
import { CurrentUser, Roles } from '../common/auth.decorators.js';
import { IdParam, PageQueryDto } from '../common/dto.js';
import {
  AssignRoundDto,
  ConfirmRoundDto,
  CreateRoundDto,
  FeedbackReviewDto,
  FeedbackReviewPageDto,
  JobAcceptedDto,
  JudgeSeverityDto,
  ResultItemDto,
  RoundDto,
  RoundListDto,
  RoundResultsDto,
  ReasonDto,
} from './dto/judging.dto.js';

/** Rounds, their jobs, results and confirmation, and feedback review (organisers; SPEC §2.4). */
@ApiTags('rounds')
@Roles('organiser')
@Controller()
export class RoundsController {
  constructor(
    private readonly rounds: RoundsService,
    private readonly feedback: FeedbackService,
  ) {}

  @Post('competitions/:id/rounds')
  @ApiCreatedResponse({ type: RoundDto, description: 'The first round moves the competition to `judging` (only after its deadline)' })
  @ApiProblems(400, 404, 409)
  async create(@CurrentUser() actor: Principal, @Param() { id }: IdParam, @Body() dto: CreateRoundDto): Promise<RoundDto> {
    return RoundDto.from(await this.rounds.create(actor.userId, id, dto));
  }

  @Get('competitions/:id/rounds')
  @ApiOkResponse({ type: RoundListDto, description: 'In round order (screening first)' })
  @ApiProblems(400, 404)
  async list(@Param() { id }: IdParam, @Query() page: PageQueryDto): Promise<RoundListDto> {
    const rounds = await this.rounds.list(id, page.limit, page.cursor);
    return { items: rounds.items.map(RoundDto.from), nextCursor: rounds.nextCursor };
  }

  @Get('rounds/:id')
  @ApiOkResponse({ type: RoundDto })
  @ApiProblems(404)
  async get(@Param() { id }: IdParam): Promise<RoundDto> {
    return RoundDto.from(await this.rounds.get(id));
  }

  @Post('rounds/:id/assign')
  @HttpCode(202)
  @ApiAcceptedResponse({ type: JobAcceptedDto, description: 'The assignment job (setup → assigning → scoring); the seed is stored on the round' })
  @ApiProblems(400, 404, 409)
  assign(@CurrentUser() actor: Principal, @Param() { id }: IdParam, @Body() dto: AssignRoundDto): Promise<JobAcceptedDto> {
    return this.rounds.requestAssignment(actor.userId, id, dto.seed);
  }

  @Post('rounds/:id/close')
  @HttpCode(202)
  @ApiAcceptedResponse({
    type: JobAcceptedDto,
    description: 'Scores are frozen and the tally job queued (closed → tallied). Again on a closed round: the tally in flight, or a new one if it failed for good',
  })
  @ApiProblems(404, 409)
  close(@CurrentUser() actor: Principal, @Param() { id }: IdParam): Promise<JobAcceptedDto> {
    return this.rounds.close(actor.userId, id);
  }

  /**
   * One document, streamed from the database in batches: a million-idea screening round is never
   * built in memory.
   */
  @Get('rounds/:id/results')
  @ApiOkResponse({ type: RoundResultsDto, description: 'Every idea, best first, with the model’s judge severities' })
  @ApiProblems(404, 409)
  async results(@Param() { id }: IdParam, @Res() res: Response): Promise<void> {
    const { round, judges } = await this.rounds.results(id);
    res.status(200).type('application/json').setHeader('Cache-Control', 'no-store');
    try {
      res.write(`{"roundId":${JSON.stringify(round.id)},"status":${JSON.stringify(round.status)},"overrides":${JSON.stringify(round.overrides)},"items":[`);
      let first = true;
      for await (const batch of this.rounds.resultItems(id)) {
        const text = batch.map((i) => JSON.stringify(ResultItemDto.from(i))).join(',');
        if (!res.write((first ? '' : ',') + text)) await once(res, 'drain');
        first = false;
      }
      res.end(`],"judges":${JSON.stringify(judges.map(JudgeSeverityDto.from))}}`);
    } catch (error) {
      res.destroy(error as Error); // headers are sent: cutting the response short is the only honest answer
    }
  }

  @Post('rounds/:id/confirm')
  @HttpCode(200)
  @ApiOkResponse({ type: RoundDto, description: 'Confirmed (audited); overrides keep the computed outcome on record' })
  @ApiProblems(400, 404, 409)
  async confirm(@CurrentUser() actor: Principal, @Param() { id }: IdParam, @Body() dto: ConfirmRoundDto): Promise<RoundDto> {
    return RoundDto.from(await this.rounds.confirm(actor.userId, id, dto.overrides ?? []));
  }

  @Get('rounds/:id/feedback')
  @ApiOkResponse({ type: FeedbackReviewPageDto, description: 'Judges’ feedback for review before release, newest first' })
  @ApiProblems(400, 404)
  async reviewFeedback(@Param() { id }: IdParam, @Query() page: PageQueryDto): Promise<FeedbackReviewPageDto> {
    await this.rounds.find(id);
    const result = await this.feedback.forRound(id, page.limit, page.cursor);
    return { items: result.items.map(FeedbackReviewDto.from), nextCursor: result.nextCursor };
  }

  @Post('assignments/:id/feedback/withhold')
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'This feedback will not be released to the entrants (audited with the reason)' })
  @ApiProblems(400, 404, 409)
  async withhold(@CurrentUser() actor: Principal, @Param() { id }: IdParam, @Body() dto: ReasonDto): Promise<void> {
    await this.feedback.setWithheld(actor.userId, id, true, dto.reason);
  }

  @Post('assignments/:id/feedback/restore')
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'Withheld feedback will be released after all (audited with the reason)' })
  @ApiProblems(400, 404, 409)
  async restore(@CurrentUser() actor: Principal, @Param() { id }: IdParam, @Body() dto: ReasonDto): Promise<void> {
    await this.feedback.setWithheld(actor.userId, id, false, dto.reason);
  }
}

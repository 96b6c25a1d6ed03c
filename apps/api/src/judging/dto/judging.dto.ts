import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsEmail,
  IsIn,
  IsInt,
  IsNumber,
  IsObject,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import type {
  FeedbackForReview,
  FundingAward,
  JudgeAssignmentView,
  JudgeSeverity,
  PublicResults,
  ReleasedFeedback,
  ResultItem,
  RoundView,
} from '@app/judging';
import { IsOptionalNotNull, PageQueryDto, PersonName, PageOf } from '../../common/dto.js';
import { IdeaContentDto } from '../../ideas/dto/idea.dto.js';

// ---------------------------------------------------------------------------------------------------
// Invitations and conflicts

export class InviteJudgeDto {
  @ApiProperty() @IsEmail() @Length(3, 254) email: string;
  @PersonName('Priya') firstName: string;
  @PersonName('Shah') lastName: string;
}

export class JudgeInvitationDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() email: string;
  @ApiProperty() firstName: string;
  @ApiProperty() lastName: string;
  @ApiProperty() createdAt: Date;
  @ApiProperty({ description: 'When the emailed link stops working' }) expiresAt: Date;
}

export class AcceptInvitationDto {
  @ApiPropertyOptional({ description: 'For a new account only; send {} when the invited email already has an account' })
  @IsOptional()
  @IsString()
  @Length(1, 1024)
  password?: string;
}

export class InvitationTokenParam {
  @ApiProperty({ description: 'The token of the emailed link' }) @IsString() @Length(16, 256) token: string;
}

export class DeclaredConflictsDto {
  @ApiProperty({ type: [String], example: ['100001'], description: 'Schools (6-digit URNs) the judge has a link with' })
  @IsArray()
  @ArrayMaxSize(100)
  @Matches(/^[0-9]{6}$/, { each: true, message: 'each URN must be 6 digits' })
  urns: string[];

  @ApiProperty({ type: [String], example: ['Acme Ventures'], description: 'Organisations the judge has a link with (free text, for organisers)' })
  @IsArray()
  @ArrayMaxSize(100)
  @IsString({ each: true })
  @Length(1, 200, { each: true })
  organisations: string[];
}

// ---------------------------------------------------------------------------------------------------
// Rounds

export class CriterionDto {
  @ApiProperty({ example: 'innovation' }) @IsString() @Length(1, 32) key: string;
  @ApiProperty({ example: 'Innovation' }) @IsString() @Length(1, 100) label: string;
  @ApiProperty({ example: 1, minimum: 0 }) @IsNumber({ allowNaN: false, allowInfinity: false }) @Min(0) @Max(1000) weight: number;
  @ApiProperty({ example: 1 }) @IsInt() @Min(-1000) @Max(1000) min: number;
  @ApiProperty({ example: 10 }) @IsInt() @Min(-1000) @Max(1000) max: number;
}

export class CreateRoundDto {
  @ApiProperty({ enum: ['screening', 'final'] }) @IsIn(['screening', 'final']) kind: 'screening' | 'final';
  @ApiProperty({ example: 'National screening' }) @IsString() @Length(1, 100) name: string;
  @ApiPropertyOptional({ default: 3, minimum: 1, maximum: 10 }) @IsOptionalNotNull() @IsInt() @Min(1) @Max(10) judgesPerIdea?: number;
  @ApiPropertyOptional({ default: 20, minimum: 1 }) @IsOptionalNotNull() @IsInt() @Min(1) @Max(100_000) shortlistSize?: number;
  @ApiPropertyOptional({ type: [CriterionDto], description: 'Default: innovation, impact, feasibility, digital, presentation; weight 1; 1–10' })
  @IsOptionalNotNull()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(10)
  @ValidateNested({ each: true })
  @Type(() => CriterionDto)
  criteria?: CriterionDto[];
  @ApiPropertyOptional({ type: [String], description: 'The pool (screening) or panel (final); default every active judge' })
  @IsOptionalNotNull()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(50_000)
  @IsUUID('all', { each: true, message: 'each judgeId must be a UUID' })
  judgeIds?: string[];
}

export class AssignRoundDto {
  @ApiPropertyOptional({ description: 'Seed of the assignment (default: a random UUID); the same seed gives the same assignment' })
  @IsOptionalNotNull()
  @IsString()
  @Length(1, 100)
  seed?: string;
}

export class RoundStatsDto {
  @ApiProperty() ideas: number;
  @ApiProperty() assignments: number;
  @ApiProperty({ type: [String], description: 'Ideas with fewer judges than wanted: kept, never dropped' }) unassignable: string[];
  @ApiProperty() loadMin: number;
  @ApiProperty() loadMax: number;
}

export class OverrideDto {
  @ApiProperty({ format: 'uuid' }) @IsUUID('all') ideaId: string;
  @ApiProperty({ enum: ['shortlisted', 'winner'], nullable: true, description: 'null removes the outcome' })
  @IsIn(['shortlisted', 'winner', null])
  outcome: 'shortlisted' | 'winner' | null;
  @ApiProperty({ minLength: 3, maxLength: 1000 }) @IsString() @Length(3, 1000) reason: string;
}

export class ConfirmRoundDto {
  @ApiPropertyOptional({ type: [OverrideDto] })
  @IsOptionalNotNull()
  @IsArray()
  @ArrayMaxSize(1000)
  @ValidateNested({ each: true })
  @Type(() => OverrideDto)
  overrides?: OverrideDto[];
}

export class RoundDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) competitionId: string;
  @ApiProperty() number: number;
  @ApiProperty({ enum: ['screening', 'final'] }) kind: string;
  @ApiProperty() name: string;
  @ApiProperty({ enum: ['setup', 'assigning', 'scoring', 'closed', 'tallied', 'confirmed'] }) status: string;
  @ApiProperty() judgesPerIdea: number;
  @ApiProperty() shortlistSize: number;
  @ApiProperty({ type: [CriterionDto] }) criteria: CriterionDto[];
  @ApiProperty({ nullable: true, type: String }) seed: string | null;
  @ApiProperty({ nullable: true, type: String, format: 'uuid' }) previousRoundId: string | null;
  @ApiProperty() judgeCount: number;
  @ApiProperty({ type: RoundStatsDto }) stats: RoundStatsDto;
  @ApiProperty({ type: [OverrideDto] }) overrides: OverrideDto[];
  @ApiProperty() createdAt: Date;
  @ApiProperty({ nullable: true, type: Date }) scoringStartedAt: Date | null;
  @ApiProperty({ nullable: true, type: Date }) closedAt: Date | null;
  @ApiProperty({ nullable: true, type: Date }) talliedAt: Date | null;
  @ApiProperty({ nullable: true, type: Date }) confirmedAt: Date | null;

  static from(r: RoundView): RoundDto {
    return {
      id: r.id,
      competitionId: r.competitionId,
      number: r.number,
      kind: r.kind,
      name: r.name,
      status: r.status,
      judgesPerIdea: r.judgesPerIdea,
      shortlistSize: r.shortlistSize,
      criteria: r.criteria.map((c) => ({ key: c.key, label: c.label, weight: c.weight, min: c.min, max: c.max })),
      seed: r.seed,
      previousRoundId: r.previousRoundId,
      judgeCount: r.judgeCount,
      stats: { ideas: r.stats.ideas, assignments: r.stats.assignments, unassignable: r.stats.unassignable, loadMin: r.stats.loadMin, loadMax: r.stats.loadMax },
      overrides: r.overrides.map((o) => ({ ideaId: o.ideaId, outcome: o.outcome, reason: o.reason })),
      createdAt: r.createdAt,
      scoringStartedAt: r.scoringStartedAt,
      closedAt: r.closedAt,
      talliedAt: r.talliedAt,
      confirmedAt: r.confirmedAt,
    };
  }
}

export class RoundListDto extends PageOf(RoundDto) {}

export class JobAcceptedDto {
  @ApiProperty({ description: 'Look it up with GET /api/v1/jobs/:id' }) jobId: string;
}

export class ResultItemDto {
  @ApiProperty() rank: number;
  @ApiProperty({ format: 'uuid' }) ideaId: string;
  @ApiProperty({ example: 'Entry 4F7K' }) alias: string;
  @ApiProperty({ nullable: true, type: Number, description: 'The model’s quality estimate, 0–100, 2 decimals' }) adjustedScore: number | null;
  @ApiProperty({ nullable: true, type: Number }) rawMean: number | null;
  @ApiProperty() judgeCount: number;
  @ApiProperty({ description: 'Standard deviation of the idea’s residuals' }) disagreement: number;
  @ApiProperty({ type: [String], enum: ['too_few_scores', 'high_disagreement'] }) flags: string[];
  @ApiProperty({ enum: ['shortlisted', 'winner'], nullable: true }) outcome: string | null;
  @ApiProperty({ enum: ['shortlisted', 'winner'], nullable: true, description: 'What the tally decided, before any override' }) computedOutcome: string | null;

  static from(i: ResultItem): ResultItemDto {
    return {
      rank: i.rank,
      ideaId: i.ideaId,
      alias: i.alias,
      adjustedScore: i.adjustedScore,
      rawMean: i.rawMean,
      judgeCount: i.judgeCount,
      disagreement: i.disagreement,
      flags: i.flags,
      outcome: i.outcome,
      computedOutcome: i.computedOutcome,
    };
  }
}

export class JudgeSeverityDto {
  @ApiProperty({ format: 'uuid' }) judgeId: string;
  @ApiProperty({ nullable: true, type: Number, description: 'Points on the 0–100 scale: negative = harsh, positive = lenient' }) severity: number | null;
  @ApiProperty() scoreCount: number;

  static from(j: JudgeSeverity): JudgeSeverityDto {
    return { judgeId: j.judgeId, severity: j.severity, scoreCount: j.scoreCount };
  }
}

export class RoundResultsDto {
  @ApiProperty({ format: 'uuid' }) roundId: string;
  @ApiProperty({ enum: ['tallied', 'confirmed'] }) status: string;
  @ApiProperty({ type: [ResultItemDto], description: 'Every idea of the round, best first' }) items: ResultItemDto[];
  @ApiProperty({ type: [JudgeSeverityDto] }) judges: JudgeSeverityDto[];
  @ApiProperty({ type: [OverrideDto] }) overrides: OverrideDto[];
}

export class FeedbackReviewDto {
  @ApiProperty({ format: 'uuid' }) assignmentId: string;
  @ApiProperty({ format: 'uuid' }) ideaId: string;
  @ApiProperty() alias: string;
  @ApiProperty({ format: 'uuid' }) judgeId: string;
  @ApiProperty({ type: 'object', additionalProperties: { type: 'integer' } }) scores: Record<string, number>;
  @ApiProperty() feedback: string;
  @ApiProperty() withheld: boolean;
  @ApiProperty() scoredAt: Date;

  static from(f: FeedbackForReview): FeedbackReviewDto {
    return { ...f };
  }
}

export class FeedbackReviewPageDto extends PageOf(FeedbackReviewDto) {}

/** A reason, 3–1000 characters (withholding feedback, declaring a conflict): the ideas area's. */
export { ReasonDto } from '../../ideas/dto/idea.dto.js';

// ---------------------------------------------------------------------------------------------------
// Judges' view (blind)

export class AssignmentQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsUUID('all') roundId?: string;
  @ApiPropertyOptional({ enum: ['open', 'scored', 'conflicted'] }) @IsOptional() @IsIn(['open', 'scored', 'conflicted']) status?: 'open' | 'scored' | 'conflicted';
}

export class AssignmentIdeaDto extends IdeaContentDto {
  @ApiProperty({ enum: ['U13', '13-17', '18+'] }) leadAgeBand: string;
}

export class GivenScoreDto {
  @ApiProperty({ type: 'object', additionalProperties: { type: 'integer' }, example: { innovation: 8, impact: 7 } }) scores: Record<string, number>;
  @ApiProperty() feedback: string;
}

export class JudgeAssignmentDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) roundId: string;
  @ApiProperty({ enum: ['setup', 'assigning', 'scoring', 'closed', 'tallied', 'confirmed'], description: 'Scores can be saved while it is scoring' }) roundStatus: string;
  @ApiProperty({ example: 'Entry 4F7K' }) alias: string;
  @ApiProperty({ enum: ['open', 'scored', 'conflicted'] }) status: string;
  @ApiProperty({ type: AssignmentIdeaDto, description: 'The snapshot judged: the latest version submitted before the deadline' }) idea: AssignmentIdeaDto;
  @ApiProperty({ type: [CriterionDto] }) criteria: CriterionDto[];
  @ApiPropertyOptional({ type: GivenScoreDto, nullable: true, description: 'Your own score, once given' }) score: GivenScoreDto | null;

  /** Field by field: what a judge sees is decided here, and nothing else can slip through. */
  static from(a: JudgeAssignmentView): JudgeAssignmentDto {
    return {
      id: a.id,
      roundId: a.roundId,
      roundStatus: a.roundStatus,
      alias: a.alias,
      status: a.status,
      idea: {
        title: a.idea.title,
        summary: a.idea.summary,
        problem: a.idea.problem,
        solution: a.idea.solution,
        audience: a.idea.audience,
        category: a.idea.category,
        links: a.idea.links,
        leadAgeBand: a.idea.leadAgeBand,
      },
      criteria: a.criteria.map((c) => ({ key: c.key, label: c.label, weight: c.weight, min: c.min, max: c.max })),
      score: a.score ? { scores: a.score.scores, feedback: a.score.feedback } : null,
    };
  }
}

export class JudgeAssignmentPageDto extends PageOf(JudgeAssignmentDto) {}

export class ScoreDto {
  @ApiProperty({ type: 'object', additionalProperties: { type: 'integer' }, example: { innovation: 8, impact: 7, feasibility: 6, digital: 9, presentation: 7 } })
  @IsOptional()
  @IsObject()
  scores?: Record<string, unknown>;
  @ApiProperty({ minLength: 20, maxLength: 2000, description: 'No web addresses, email addresses or phone numbers' })
  @IsOptional()
  @IsString()
  @MaxLength(10_000)
  feedback?: string;
}


// ---------------------------------------------------------------------------------------------------
// Results, feedback and awards

export class PublicWinnerDto {
  @ApiProperty({ format: 'uuid' }) ideaId: string;
  @ApiProperty() title: string;
  @ApiProperty() summary: string;
  @ApiProperty({ type: [String], example: ['Amira K.', 'Ben O.'], description: 'Members who may appear in public: an under-13 without parental consent is left out' })
  displayNames: string[];
  @ApiProperty({ type: 'integer', nullable: true, example: 1500000, description: 'The funding award in pence; null once the award is withdrawn (the idea stays a winner)' })
  awardPence: number | null;
}

export class PublicFinalistDto {
  @ApiProperty({ format: 'uuid' }) ideaId: string;
  @ApiProperty() title: string;
  @ApiProperty() summary: string;
  @ApiProperty({ type: [String], description: 'Members who may appear in public: an under-13 without parental consent is left out' }) displayNames: string[];
}

export class PublicResultsDto {
  @ApiProperty({ format: 'uuid' }) competitionId: string;
  @ApiProperty({ type: [PublicWinnerDto] }) winners: PublicWinnerDto[];
  @ApiProperty({ type: [PublicFinalistDto] }) finalists: PublicFinalistDto[];

  static from(r: PublicResults): PublicResultsDto {
    return {
      competitionId: r.competitionId,
      winners: r.winners.map((w) => ({ ideaId: w.ideaId, title: w.title, summary: w.summary, displayNames: w.displayNames, awardPence: w.awardPence })),
      finalists: r.finalists.map((f) => ({ ideaId: f.ideaId, title: f.title, summary: f.summary, displayNames: f.displayNames })),
    };
  }
}

export class ReleasedFeedbackItemDto {
  @ApiProperty({ enum: ['screening', 'final'] }) roundKind: string;
  @ApiProperty({ type: 'object', additionalProperties: { type: 'integer' } }) scores: Record<string, number>;
  @ApiProperty() feedback: string;
}

export class ReleasedFeedbackDto {
  @ApiProperty({ description: 'False until results are published' }) released: boolean;
  @ApiProperty({ type: [ReleasedFeedbackItemDto], description: 'Judges are anonymous' }) items: ReleasedFeedbackItemDto[];

  static from(f: ReleasedFeedback): ReleasedFeedbackDto {
    return { released: f.released, items: f.items.map((i) => ({ roundKind: i.roundKind, scores: i.scores, feedback: i.feedback })) };
  }
}

export class PayeeDto {
  @ApiProperty({ enum: ['member', 'parent_guardian', 'school'] }) @IsIn(['member', 'parent_guardian', 'school']) kind: 'member' | 'parent_guardian' | 'school';
  @ApiPropertyOptional({ format: 'uuid', description: 'kind member: an adult member of the team' }) @IsOptional() @IsUUID('all') userId?: string;
  @ApiPropertyOptional({ description: 'kind parent_guardian' }) @IsOptional() @IsString() @Length(1, 100) name?: string;
  @ApiPropertyOptional({ description: 'kind parent_guardian' }) @IsOptional() @IsEmail() @Length(3, 254) email?: string;
  @ApiPropertyOptional({ format: 'uuid', description: "kind school: one of the members' schools" }) @IsOptional() @IsUUID('all') schoolId?: string;
}

export class UpdateAwardDto {
  @ApiPropertyOptional({ enum: ['awarded', 'accepted', 'paid', 'withdrawn'] }) @IsOptionalNotNull() @IsIn(['awarded', 'accepted', 'paid', 'withdrawn']) status?: 'awarded' | 'accepted' | 'paid' | 'withdrawn';
  @ApiPropertyOptional({ enum: ['offered', 'accepted', 'declined', 'completed'] })
  @IsOptionalNotNull()
  @IsIn(['offered', 'accepted', 'declined', 'completed'])
  acceleratorStatus?: 'offered' | 'accepted' | 'declined' | 'completed';
  @ApiPropertyOptional({ enum: ['pending', 'paid', 'withheld'] }) @IsOptionalNotNull() @IsIn(['pending', 'paid', 'withheld']) paymentStatus?: 'pending' | 'paid' | 'withheld';
  @ApiPropertyOptional({ type: PayeeDto, nullable: true, description: 'Recorded when the team accepts' })
  @IsOptional()
  @ValidateNested()
  @Type(() => PayeeDto)
  payee?: PayeeDto | null;
}

export class AwardQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsUUID('all') competitionId?: string;
}

export class FundingAwardDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) competitionId: string;
  @ApiProperty({ format: 'uuid' }) ideaId: string;
  @ApiProperty({ example: 1500000 }) amountPence: number;
  @ApiProperty({ example: 'GBP' }) currency: string;
  @ApiProperty() awardedAt: Date;
  @ApiProperty({ enum: ['awarded', 'accepted', 'paid', 'withdrawn'] }) status: string;
  @ApiProperty({ enum: ['offered', 'accepted', 'declined', 'completed'] }) acceleratorStatus: string;
  @ApiProperty({ enum: ['pending', 'paid', 'withheld'] }) paymentStatus: string;
  @ApiProperty({ type: PayeeDto, nullable: true }) payee: PayeeDto | null;

  static from(a: FundingAward): FundingAwardDto {
    return {
      id: a.id,
      competitionId: a.competitionId,
      ideaId: a.ideaId,
      amountPence: a.amountPence,
      currency: a.currency,
      awardedAt: a.awardedAt,
      status: a.status,
      acceleratorStatus: a.acceleratorStatus,
      paymentStatus: a.paymentStatus,
      payee: a.payee,
    };
  }
}

export class FundingAwardPageDto extends PageOf(FundingAwardDto) {}

import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { IdentityModule } from '@app/identity';
import { NotificationsModule } from '@app/notifications';
import { SchoolsModule } from '@app/schools';
import { CompetitionsModule } from '@app/competitions';
import { AwardsService } from './awards/awards.service.js';
import { FundingAward, ResultsPublication } from './awards/funding-award.entity.js';
import { DeclaredConflicts, IdeaConflict } from './conflicts/conflict.entity.js';
import { ConflictsService } from './conflicts/conflicts.service.js';
import { JudgeInvitation } from './invitations/judge-invitation.entity.js';
import { JudgeInvitationsService } from './invitations/judge-invitations.service.js';
import { JudgingQueue } from './judging.queue.js';
import { JudgingPersonalData } from './judging-personal-data.js';
import { FeedbackService } from './results/feedback.service.js';
import { PublicationService } from './results/publication.service.js';
import { TallyService } from './results/tally.service.js';
import { AssignmentService } from './rounds/assignment.service.js';
import { Round, RoundEntry, RoundJudge, RoundResult } from './rounds/round.entity.js';
import { RoundsService } from './rounds/rounds.service.js';
import { Assignment } from './scoring/assignment.entity.js';
import { RemindersService } from './scoring/reminders.service.js';
import { ScoringService } from './scoring/scoring.service.js';

export const judgingEntities = [
  JudgeInvitation,
  DeclaredConflicts,
  IdeaConflict,
  Round,
  RoundJudge,
  RoundEntry,
  RoundResult,
  Assignment,
  FundingAward,
  ResultsPublication,
];

const services = [
  JudgeInvitationsService,
  ConflictsService,
  RoundsService,
  AssignmentService,
  ScoringService,
  TallyService,
  PublicationService,
  FeedbackService,
  AwardsService,
  RemindersService,
  JudgingPersonalData,
];

/** Judging: invitations, conflicts, rounds, blind scoring, the tally, results and funding awards. */
@Module({
  imports: [TypeOrmModule.forFeature(judgingEntities), IdentityModule, NotificationsModule, SchoolsModule, CompetitionsModule],
  providers: [...services, JudgingQueue],
  exports: services,
})
export class JudgingModule {}

import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { IdentityModule } from '@app/identity';
import { NotificationsModule } from '@app/notifications';
import { ClassRelations, SchoolsModule } from '@app/schools';
import { Classrooms } from './classrooms.js';
import { Competition } from './competition.entity.js';
import { CompetitionsPersonalData } from './competitions-personal-data.js';
import { CompetitionsService } from './competitions.service.js';
import { EntriesService } from './entries.service.js';
import { IdeaAccess } from './idea-access.js';
import { Idea, IdeaMember, IdeaReport, IdeaVersion, SubmissionSlot } from './idea.entity.js';
import { IdeasService } from './ideas.service.js';
import { ModerationService } from './moderation.service.js';
import { SubmissionSlots } from './submission-slots.js';
import { SubmissionsService } from './submissions.service.js';
import { TeamsService } from './teams.service.js';

export const competitionsEntities = [Competition, Idea, IdeaMember, IdeaVersion, SubmissionSlot, IdeaReport];

const services = [CompetitionsService, IdeasService, TeamsService, SubmissionsService, ModerationService, CompetitionsPersonalData, EntriesService];

/** Competitions, ideas, teams and submissions; class relationships are answered by schools. */
@Module({
  imports: [TypeOrmModule.forFeature(competitionsEntities), IdentityModule, NotificationsModule, SchoolsModule],
  providers: [...services, IdeaAccess, SubmissionSlots, { provide: Classrooms, useExisting: ClassRelations }],
  exports: services,
})
export class CompetitionsModule {}

import { type DynamicModule, type ModuleMetadata, Module, type Provider } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { IdentityModule } from '@app/identity';
import { NotificationsModule } from '@app/notifications';
import { Competition } from './competition.entity.js';
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

const services = [CompetitionsService, IdeasService, TeamsService, SubmissionsService, ModerationService, EntriesService];

/**
 * Competitions, ideas, teams and submissions. The application says who answers `Classrooms` (the
 * schools area) and imports what that needs.
 */
@Module({})
export class CompetitionsModule {
  static forRoot(classrooms: Provider, imports: NonNullable<ModuleMetadata['imports']> = []): DynamicModule {
    return {
      module: CompetitionsModule,
      imports: [TypeOrmModule.forFeature(competitionsEntities), IdentityModule, NotificationsModule, ...imports],
      providers: [...services, IdeaAccess, SubmissionSlots, classrooms],
      exports: services,
    };
  }
}

import { type DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, APP_PIPE } from '@nestjs/core';
import { PassportModule } from '@nestjs/passport';
import { TerminusModule } from '@nestjs/terminus';
import { AppConfig, PlatformModule } from '@app/platform';
import { IdentityModule } from '@app/identity';
import { NotificationsModule } from '@app/notifications';
import { CompetitionsModule } from '@app/competitions';
import { PrivacyModule } from '@app/privacy';
import { OpenDataModule } from '@app/open-data';
import { OpenDataController } from './open-data/open-data.controller.js';
import { CompetitionsController } from './competitions/competitions.controller.js';
import { PublishedCompetitionGuard } from './competitions/published-competition.guard.js';
import { IdeaAccessGuard } from './ideas/idea-access.guard.js';
import { IdeasController } from './ideas/ideas.controller.js';
import { IdempotencyInterceptor } from './common/idempotency.interceptor.js';
import { SchoolsModule } from '@app/schools';
import { AdminController } from './admin/admin.controller.js';
import { BadgesModule } from '@app/badges';
import { BadgeAwardAccessGuard } from './badges/badge-award-access.guard.js';
import { BadgeAwardsController } from './badges/badge-awards.controller.js';
import { BadgesController } from './badges/badges.controller.js';
import { MyBadgesController } from './badges/my-badges.controller.js';
import { ObImagesController } from './ob/ob-images.controller.js';
import { ObV2Controller } from './ob/ob-v2.controller.js';
import { ObV3Controller } from './ob/ob-v3.controller.js';
import { JudgingModule } from '@app/judging';
import { JobsController } from './jobs/jobs.controller.js';
import { JudgesController } from './judging/judges.controller.js';
import { ResultsController } from './judging/results.controller.js';
import { RoundsController } from './judging/rounds.controller.js';
import { AuditController } from './audit/audit.controller.js';
import { AuthController } from './auth/auth.controller.js';
import { ClassAccessGuard } from './classes/class-access.guard.js';
import { ClassViewService } from './classes/class-view.service.js';
import { ClassesController } from './classes/classes.controller.js';
import { RosterController } from './classes/roster.controller.js';
import { AccessGuard, BodyTypeGuard, RolesGuard } from './common/guards.js';
import { JwtStrategy } from './common/jwt.strategy.js';
import { HttpDrain } from './common/http-drain.js';
import { LocalStrategy } from './common/local.strategy.js';
import { ProblemDetailsFilter } from './common/problem-details.filter.js';
import { ConsentController } from './consent/consent.controller.js';
import { RateLimitGuard } from './common/rate-limit.guard.js';
import { TextPipe, validationPipe } from './common/validation.js';
import { HealthController, RedisHealthIndicator } from './health/health.controller.js';
import { MeController } from './me/me.controller.js';
import { MeService } from './me/me.service.js';
import { OrganisersController } from './organisers/organisers.controller.js';
import { UsersController } from './organisers/users.controller.js';
import { PagesController } from './pages/pages.controller.js';
import { SchoolsController } from './schools/schools.controller.js';

/** The HTTP edge: controllers translate, lib services decide. */
@Module({})
export class ApiModule {
  static forRoot(config: AppConfig = AppConfig.load()): DynamicModule {
    return {
      module: ApiModule,
      imports: [
        PlatformModule.forRoot(config),
        PassportModule,
        TerminusModule,
        IdentityModule,
        NotificationsModule,
        CompetitionsModule,
        PrivacyModule,
        OpenDataModule,
        SchoolsModule,
        BadgesModule,
        JudgingModule,
      ],
      controllers: [
        HealthController,
        AuthController,
        MeController,
        OrganisersController,
        UsersController,
        OpenDataController,
        AuditController,
        AdminController,
        PagesController,
        CompetitionsController,
        IdeasController,
        SchoolsController,
        ClassesController,
        RosterController,
        ConsentController,
        BadgesController,
        BadgeAwardsController,
        MyBadgesController,
        ObV2Controller,
        ObV3Controller,
        ObImagesController,
        JudgesController,
        RoundsController,
        ResultsController,
        JobsController,
      ],
      providers: [
        JwtStrategy,
        LocalStrategy,
        MeService,
        HttpDrain,
        IdempotencyInterceptor,
        ClassViewService,
        ClassAccessGuard,
        IdeaAccessGuard,
        PublishedCompetitionGuard,
        BadgeAwardAccessGuard,
        RedisHealthIndicator,
        // Order matters: who you are, what you may do, how often, then what you sent.
        { provide: APP_GUARD, useClass: AccessGuard },
        { provide: APP_GUARD, useClass: RolesGuard },
        { provide: APP_GUARD, useClass: RateLimitGuard },
        { provide: APP_GUARD, useClass: BodyTypeGuard },
        { provide: APP_PIPE, useClass: TextPipe },
        { provide: APP_PIPE, useFactory: validationPipe },
        { provide: APP_FILTER, useClass: ProblemDetailsFilter },
      ],
    };
  }
}

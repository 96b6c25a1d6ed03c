import { type DynamicModule, Module } from '@nestjs/common';
import { AppConfig, PlatformModule } from '@app/platform';
import { NotificationsModule } from '@app/notifications';
import { Classrooms, CompetitionsModule } from '@app/competitions';
import { JudgingModule } from '@app/judging';
import { ClassRelations, SchoolsModule } from '@app/schools';
import { JudgingProcessor } from './judging/judging.processor.js';
import { MaintenanceProcessor } from './maintenance/maintenance.processor.js';
import { DeliverNotificationProcessor } from './notifications/deliver-notification.processor.js';
import { OutboxRelayRunner } from './outbox/outbox-relay.runner.js';

/** The job edge: thin processors calling lib services; no HTTP server. */
@Module({})
export class WorkerModule {
  static forRoot(config: AppConfig = AppConfig.load()): DynamicModule {
    const competitions = CompetitionsModule.forRoot({ provide: Classrooms, useExisting: ClassRelations }, [SchoolsModule]);
    return {
      module: WorkerModule,
      imports: [PlatformModule.forRoot(config), NotificationsModule, JudgingModule.forRoot(competitions)],
      providers: [OutboxRelayRunner, DeliverNotificationProcessor, MaintenanceProcessor, JudgingProcessor],
    };
  }
}

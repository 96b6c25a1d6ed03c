import { type DynamicModule, Module } from '@nestjs/common';
import { AppConfig, PlatformModule } from '@app/platform';
import { NotificationsModule } from '@app/notifications';
import { PrivacyModule } from '@app/privacy';
import { BadgesModule } from '@app/badges';
import { CompetitionsModule } from '@app/competitions';
import { JudgingModule } from '@app/judging';
import { AwardBuiltInBadgeProcessor } from './badges/award-built-in-badge.processor.js';
import { JudgingProcessor } from './judging/judging.processor.js';
import { MaintenanceProcessor } from './maintenance/maintenance.processor.js';
import { DeliverNotificationProcessor } from './notifications/deliver-notification.processor.js';
import { OutboxRelayRunner } from './outbox/outbox-relay.runner.js';

/** The job edge: thin processors calling lib services; no HTTP server. */
@Module({})
export class WorkerModule {
  static forRoot(config: AppConfig = AppConfig.load()): DynamicModule {
    return {
      module: WorkerModule,
      imports: [PlatformModule.forRoot(config), NotificationsModule, PrivacyModule, BadgesModule, CompetitionsModule, JudgingModule],
      providers: [OutboxRelayRunner, DeliverNotificationProcessor, MaintenanceProcessor, AwardBuiltInBadgeProcessor, JudgingProcessor],
    };
  }
}

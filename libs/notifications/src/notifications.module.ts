import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { MailerService } from './mailer.service.js';
import { Notification } from './notification.entity.js';
import { NotificationsPersonalData } from './notifications-personal-data.js';
import { NotificationsService } from './notifications.service.js';

export const notificationsEntities = [Notification];

@Module({
  imports: [TypeOrmModule.forFeature(notificationsEntities)],
  providers: [NotificationsService, MailerService, NotificationsPersonalData],
  exports: [NotificationsService, NotificationsPersonalData],
})
export class NotificationsModule {}

import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { MailerService } from './mailer.service.js';
import { Notification } from './notification.entity.js';
import { NotificationsService } from './notifications.service.js';

export const notificationsEntities = [Notification];

@Module({
  imports: [TypeOrmModule.forFeature(notificationsEntities)],
  providers: [NotificationsService, MailerService],
  exports: [NotificationsService],
})
export class NotificationsModule {}

import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import type { PersonalDataHolder } from '@app/platform';
import { Notification } from './notification.entity.js';

/** Messages to or about a person (including those sent to their parent about them). */
@Injectable()
export class NotificationsPersonalData implements PersonalDataHolder {
  readonly section = 'notifications';

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async exportFor(userId: string) {
    const rows = await this.dataSource.getRepository(Notification).find({ where: { userId }, order: { createdAt: 'ASC' } });
    return rows.map((r) => ({ id: r.id, template: r.template, sentTo: r.email, data: r.data, createdAt: r.createdAt, sentAt: r.sentAt, readAt: r.readAt }));
  }

  async forget(manager: EntityManager, userId: string): Promise<void> {
    await manager.query(`UPDATE notification SET email = NULL, data = '{}', secret = NULL, last_error = NULL WHERE user_id = $1`, [userId]);
  }
}

import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import type { PersonalDataHolder } from '../privacy/personal-data.js';

/**
 * The answers kept for 24 h to replay a request sent again with its Idempotency-Key (SPEC §2.3): copies
 * of what the person was sent. Exported by route and key (the answers' content is in the other
 * sections); erased with the account rather than left to expire.
 */
@Injectable()
export class IdempotencyPersonalData implements PersonalDataHolder {
  readonly section = 'repeatableRequests';

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  exportFor(userId: string) {
    return this.dataSource.query(
      `SELECT route, key, response_status AS "responseStatus", created_at AS "createdAt", expires_at AS "expiresAt"
         FROM idempotency_record WHERE user_id = $1 ORDER BY created_at, id`,
      [userId],
    );
  }

  async forget(manager: EntityManager, userId: string): Promise<void> {
    await manager.query(`DELETE FROM idempotency_record WHERE user_id = $1`, [userId]);
  }
}

import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { PersonalDataHolder } from '../privacy/personal-data.js';

/** What the audit log records the person did or had done to them (codes and ids; append-only, kept). */
@Injectable()
export class AuditPersonalData implements PersonalDataHolder {
  readonly section = 'auditTrail';

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  exportFor(userId: string) {
    return this.dataSource.query(
      `SELECT at, action, actor_id AS "actorId", subject_type AS "subjectType", subject_id AS "subjectId", data
         FROM audit_log WHERE actor_id = $1 OR subject_id = $1 ORDER BY at, id`,
      [userId],
    );
  }

  /** The log holds ids and codes, never personal data, and is append-only by design. */
  async forget(): Promise<void> {}
}

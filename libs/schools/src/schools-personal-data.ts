import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import type { PersonalDataHolder } from '@app/platform';

/** A person's schools (as a teacher) and classes (as a teacher or student). */
@Injectable()
export class SchoolsPersonalData implements PersonalDataHolder {
  readonly section = 'schools';

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async exportFor(userId: string) {
    const [memberships, teaching, studying] = await Promise.all([
      this.dataSource.query(
        `SELECT s.id AS "schoolId", s.urn, s.name, m.status, m.created_at AS "since", m.verified_at AS "verifiedAt"
           FROM school_membership m JOIN school s ON s.id = m.school_id WHERE m.user_id = $1 ORDER BY m.created_at`,
        [userId],
      ),
      this.dataSource.query(
        `SELECT c.id AS "classId", c.name, c.year_group AS "yearGroup", t.created_at AS "since"
           FROM class_teacher t JOIN school_class c ON c.id = t.class_id WHERE t.teacher_id = $1 ORDER BY t.created_at`,
        [userId],
      ),
      this.dataSource.query(
        `SELECT c.id AS "classId", c.name, c.year_group AS "yearGroup", s.joined_at AS "since", s.via
           FROM class_student s JOIN school_class c ON c.id = s.class_id WHERE s.student_id = $1 ORDER BY s.joined_at`,
        [userId],
      ),
    ]);
    return { memberships, classesTaught: teaching, classes: studying };
  }

  /** An erased person leaves every class and school; classes themselves stay with their other teachers. */
  async forget(manager: EntityManager, userId: string): Promise<void> {
    await manager.query(`DELETE FROM class_student WHERE student_id = $1`, [userId]);
    await manager.query(`DELETE FROM class_teacher WHERE teacher_id = $1`, [userId]);
    await manager.query(`DELETE FROM school_membership WHERE user_id = $1`, [userId]);
  }
}

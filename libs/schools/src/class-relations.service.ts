import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';

/** How people relate through classes, for the rules of other areas (teams, visibility, conflicts). */
@Injectable()
export class ClassRelations {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Both students of one class, or one teaches a class the other is a student of. */
  async shareAClass(userA: string, userB: string, manager: EntityManager = this.dataSource.manager): Promise<boolean> {
    const [row] = await manager.query(
      `SELECT EXISTS (
         SELECT 1 FROM class_student a JOIN class_student b ON b.class_id = a.class_id
          WHERE a.student_id = $1 AND b.student_id = $2
         UNION ALL
         SELECT 1 FROM class_teacher t JOIN class_student s ON s.class_id = t.class_id
          WHERE (t.teacher_id = $1 AND s.student_id = $2) OR (t.teacher_id = $2 AND s.student_id = $1)
       ) AS shared`,
      [userA, userB],
    );
    return row.shared;
  }

  /** True when the user is a verified teacher of a class one of the students is in. */
  async teachesAnyOf(teacherId: string, studentIds: string[], manager: EntityManager = this.dataSource.manager): Promise<boolean> {
    if (!studentIds.length) return false;
    const [row] = await manager.query(
      `SELECT EXISTS (
         SELECT 1 FROM class_teacher t
           JOIN school_class c ON c.id = t.class_id
           JOIN school_membership m ON m.school_id = c.school_id AND m.user_id = t.teacher_id AND m.status = 'verified'
           JOIN class_student s ON s.class_id = t.class_id
          WHERE t.teacher_id = $1 AND s.student_id = ANY($2::uuid[])
       ) AS teaches`,
      [teacherId, studentIds],
    );
    return row.teaches;
  }
}

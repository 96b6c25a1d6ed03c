import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';

/** Pupils (`s`) of the classes teacher $1 teaches, counted only while the teacher is verified at the class's school. */
const TAUGHT_BY_VERIFIED_TEACHER = `FROM class_teacher t
  JOIN school_class c ON c.id = t.class_id
  JOIN school_membership m ON m.school_id = c.school_id AND m.user_id = t.teacher_id AND m.status = 'verified'
  JOIN class_student s ON s.class_id = t.class_id
 WHERE t.teacher_id = $1`;

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
    const sql = `SELECT EXISTS (SELECT 1 ${TAUGHT_BY_VERIFIED_TEACHER} AND s.student_id = ANY($2::uuid[])) AS teaches`;
    const [row] = await manager.query(sql, [teacherId, studentIds]);
    return row.teaches;
  }

  /** The pupils of every class the user is a verified teacher of (none while they are not verified). */
  async pupilsOf(teacherId: string, manager: EntityManager = this.dataSource.manager): Promise<string[]> {
    const rows: { student_id: string }[] = await manager.query(`SELECT DISTINCT s.student_id ${TAUGHT_BY_VERIFIED_TEACHER}`, [teacherId]);
    return rows.map((r) => r.student_id);
  }

  /**
   * The schools each of `userIds` teaches at, for conflicts of interest (SPEC §2.4). Every membership
   * counts, pending ones too: a judge who says they teach at a school is kept away from its pupils'
   * ideas before anyone has checked the claim (a false conflict costs a judging slot; a missed one,
   * fairness).
   */
  async schoolsOfTeachers(userIds: string[], manager: EntityManager = this.dataSource.manager): Promise<{ userId: string; schoolId: string }[]> {
    if (!userIds.length) return [];
    const rows: { user_id: string; school_id: string }[] = await manager.query(
      `SELECT user_id, school_id FROM school_membership WHERE user_id = ANY($1::uuid[])`,
      [userIds],
    );
    return rows.map((r) => ({ userId: r.user_id, schoolId: r.school_id }));
  }

  /** Registered schools among these URNs (a URN nobody has registered yet matches nothing). */
  async schoolsByUrn(urns: string[], manager: EntityManager = this.dataSource.manager): Promise<{ urn: string; schoolId: string }[]> {
    if (!urns.length) return [];
    const rows: { urn: string; id: string }[] = await manager.query(`SELECT urn, id FROM school WHERE urn = ANY($1::text[])`, [urns]);
    return rows.map((r) => ({ urn: r.urn, schoolId: r.id }));
  }

  /** Pupils of the classes of these schools: who is "from" a school, for conflicts of interest. */
  async studentsOfSchools(schoolIds: string[], manager: EntityManager = this.dataSource.manager): Promise<{ schoolId: string; studentId: string }[]> {
    if (!schoolIds.length) return [];
    const rows: { school_id: string; student_id: string }[] = await manager.query(
      `SELECT DISTINCT c.school_id, s.student_id
         FROM school_class c JOIN class_student s ON s.class_id = c.id
        WHERE c.school_id = ANY($1::uuid[])`,
      [schoolIds],
    );
    return rows.map((r) => ({ schoolId: r.school_id, studentId: r.student_id }));
  }

  /** The schools these pupils are at (through their classes): a winning team's schools, for the payee rules. */
  async schoolsOfStudents(studentIds: string[], manager: EntityManager = this.dataSource.manager): Promise<{ studentId: string; schoolId: string }[]> {
    if (!studentIds.length) return [];
    const rows: { student_id: string; school_id: string }[] = await manager.query(
      `SELECT DISTINCT s.student_id, c.school_id FROM class_student s JOIN school_class c ON c.id = s.class_id WHERE s.student_id = ANY($1::uuid[])`,
      [studentIds],
    );
    return rows.map((r) => ({ studentId: r.student_id, schoolId: r.school_id }));
  }
}

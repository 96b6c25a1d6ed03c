import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { AttemptCounter, AuditService, UUID, afterCursor, toPage, type Page } from '@app/platform';
import { AccountsService, AuthService, ConsentService, displayNames, type AccountView } from '@app/identity';
import { newJoinCode, normaliseJoinCode } from './join-codes.js';
import { ClassStudent, ClassTeacher, SchoolClass, type StudentVia } from './school-class.entity.js';
import {
  SchoolsError,
  classFull,
  classNotFound,
  schoolNotFound,
  studentNotFound,
  teacherNotVerified,
} from './schools.errors.js';
import { SchoolsService } from './schools.service.js';

/** Most students a class holds (SPEC §2.2). */
export const CLASS_CAPACITY = 500;
/** Failed joins (unknown or locked codes) one account may make in JOIN_FAILURE_WINDOW_MS. */
export const JOIN_FAILURES_ALLOWED = 10;
export const JOIN_FAILURE_WINDOW_MS = 3600_000;

export interface ClassSummary {
  id: string;
  schoolId: string;
  name: string;
  yearGroup: string | null;
  joinCode: string;
  locked: boolean;
  studentCount: number;
  createdAt: Date;
}

/** A student as the class's teachers see them; displayName is told apart within the class. */
export interface ClassStudentView {
  userId: string;
  firstName: string;
  lastName: string;
  displayName: string;
  username: string;
  ageBand: AccountView['ageBand'];
  consentStatus: AccountView['consentStatus'];
}

export interface ClassDetail extends Omit<ClassSummary, 'studentCount'> {
  students: ClassStudentView[];
}

/** How a teacher stands towards a class: they teach it, are verified elsewhere, or are verified nowhere. */
export type ClassAccess = 'teaches' | 'verified' | 'unverified';

const isUniqueViolation = (e: unknown, constraint: string) =>
  (e as { code?: string }).code === '23505' && (e as { constraint?: string }).constraint === constraint;

/**
 * Classes of verified teachers (SPEC §2.2): join codes, several teachers per class, students joining,
 * moving and leaving, and what a class's teachers may do for its roster accounts. Every method that
 * acts on a class checks the caller teaches it; a class of another school is "not found".
 */
@Injectable()
export class ClassesService {
  /** Where join codes come from (a test substitutes a sequence to force clashes). */
  joinCodes: () => string = newJoinCode;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly schools: SchoolsService,
    private readonly accounts: AccountsService,
    private readonly auth: AuthService,
    private readonly consent: ConsentService,
    private readonly attempts: AttemptCounter,
    private readonly audit: AuditService,
  ) {}

  /** One query: does the user teach this class (as a verified teacher of its school), or are they verified at all? */
  async access(classId: string, userId: string): Promise<ClassAccess> {
    if (!UUID.test(classId)) return (await this.schools.isVerifiedTeacher(userId)) ? 'verified' : 'unverified';
    const [row] = await this.dataSource.query(
      `SELECT EXISTS (SELECT 1 FROM school_membership WHERE user_id = $2 AND status = 'verified') AS verified,
              EXISTS (SELECT 1 FROM class_teacher t
                        JOIN school_class c ON c.id = t.class_id
                        JOIN school_membership m ON m.school_id = c.school_id AND m.user_id = t.teacher_id AND m.status = 'verified'
                       WHERE t.class_id = $1 AND t.teacher_id = $2) AS teaches`,
      [classId, userId],
    );
    return row.teaches ? 'teaches' : row.verified ? 'verified' : 'unverified';
  }

  /** 403 unless verified at some school. */
  async assertVerifiedTeacher(userId: string): Promise<void> {
    if (!(await this.schools.isVerifiedTeacher(userId))) throw teacherNotVerified();
  }

  /**
   * 403 for a teacher verified nowhere; for one who does not teach the class, 404 (it is not theirs to
   * see) or, where SPEC asks for it (consent attestation), 403 — answered alike whether the class exists.
   */
  async assertTeaches(classId: string, userId: string, otherwise: 'not_found' | 'forbidden' = 'not_found'): Promise<void> {
    const access = await this.access(classId, userId);
    if (access === 'teaches') return;
    if (access === 'unverified') throw teacherNotVerified();
    throw otherwise === 'forbidden'
      ? new SchoolsError('forbidden', 'NOT_CLASS_TEACHER', 'Only a verified teacher of this class can do this.')
      : classNotFound();
  }

  async create(teacherId: string, input: { schoolId: string; name: string; yearGroup?: string | null }): Promise<ClassDetail> {
    await this.assertVerifiedTeacher(teacherId);
    if (!(await this.schools.isVerifiedAt(input.schoolId, teacherId))) throw schoolNotFound();
    const id = await this.dataSource.transaction(async (manager) => {
      const cls = await this.withFreshJoinCode(manager, (joinCode) =>
        manager.getRepository(SchoolClass).save(
          manager.getRepository(SchoolClass).create({
            schoolId: input.schoolId,
            name: input.name.trim(),
            yearGroup: input.yearGroup?.trim() || null,
            joinCode,
            createdById: teacherId,
          }),
        ),
      );
      await manager.getRepository(ClassTeacher).insert({ classId: cls.id, teacherId, addedById: teacherId });
      await this.audit.record({ action: 'class.created', actorId: teacherId, subjectType: 'class', subjectId: cls.id, data: { schoolId: input.schoolId } }, manager);
      return cls.id;
    });
    return this.get(id, teacherId);
  }

  /** GET /classes: the classes the teacher teaches, newest first. */
  async mine(teacherId: string, page: { limit: number; cursor?: string }): Promise<Page<ClassSummary>> {
    await this.assertVerifiedTeacher(teacherId);
    const qb = this.dataSource
      .getRepository(SchoolClass)
      .createQueryBuilder('c')
      .innerJoin(ClassTeacher, 't', 't.classId = c.id AND t.teacherId = :teacherId', { teacherId });
    afterCursor(qb, 'c', 'createdAt', page.cursor);
    const rows = await qb.orderBy('c.createdAt', 'DESC').addOrderBy('c.id', 'DESC').limit(page.limit + 1).getMany();
    const counts = await this.studentCounts(rows.map((r) => r.id));
    return toPage(rows, page.limit, (c) => c.createdAt, (c) => ({ ...this.summaryOf(c), studentCount: counts.get(c.id) ?? 0 }));
  }

  /** GET /classes/:id: the class and its students, names told apart within the class. */
  async get(classId: string, teacherId: string): Promise<ClassDetail> {
    await this.assertTeaches(classId, teacherId);
    const cls = await this.dataSource.getRepository(SchoolClass).findOneByOrFail({ id: classId });
    return { ...this.summaryOf(cls), students: await this.students(classId) };
  }

  async update(classId: string, teacherId: string, patch: { name?: string; yearGroup?: string | null; locked?: boolean }): Promise<ClassDetail> {
    await this.assertTeaches(classId, teacherId);
    const changes: Partial<SchoolClass> = {};
    if (patch.name !== undefined) changes.name = patch.name.trim();
    if (patch.yearGroup !== undefined) changes.yearGroup = patch.yearGroup?.trim() || null;
    if (patch.locked !== undefined) changes.locked = patch.locked;
    if (Object.keys(changes).length) {
      await this.dataSource.transaction(async (manager) => {
        await manager.getRepository(SchoolClass).update({ id: classId }, changes);
        await this.audit.record({ action: 'class.updated', actorId: teacherId, subjectType: 'class', subjectId: classId, data: { fields: Object.keys(changes), ...(patch.locked !== undefined ? { locked: patch.locked } : {}) } }, manager);
      });
    }
    return this.get(classId, teacherId);
  }

  /** POST /classes/:id/teachers: another verified teacher of the same school joins the class. */
  async addTeacher(classId: string, actorId: string, teacherId: string): Promise<void> {
    await this.assertTeaches(classId, actorId);
    const cls = await this.dataSource.getRepository(SchoolClass).findOneByOrFail({ id: classId });
    if (!(await this.schools.isVerifiedAt(cls.schoolId, teacherId)))
      throw new SchoolsError('not_found', 'TEACHER_NOT_FOUND', 'No verified teacher of this school has that id.');
    await this.dataSource.transaction(async (manager) => {
      const added: unknown[] = await manager.query(
        `INSERT INTO class_teacher (class_id, teacher_id, added_by_id) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING RETURNING class_id`,
        [classId, teacherId, actorId],
      );
      if (added.length)
        await this.audit.record({ action: 'class.teacher_added', actorId, subjectType: 'class', subjectId: classId, data: { teacherId } }, manager);
    });
  }

  /** POST /classes/:id/join-code: a new code; the old one stops working at once. */
  async rotateJoinCode(classId: string, teacherId: string): Promise<string> {
    await this.assertTeaches(classId, teacherId);
    return this.dataSource.transaction(async (manager) => {
      const joinCode = await this.withFreshJoinCode(manager, async (code) => {
        await manager.getRepository(SchoolClass).update({ id: classId }, { joinCode: code });
        return code;
      });
      await this.audit.record({ action: 'class.join_code_rotated', actorId: teacherId, subjectType: 'class', subjectId: classId }, manager);
      return joinCode;
    });
  }

  /**
   * POST /classes/join by an entrant. Unknown codes (404) and locked classes (423) count as failures;
   * after JOIN_FAILURES_ALLOWED in an hour the account must wait (429). Joining twice is harmless.
   * The failure is reserved before the code is looked up (so parallel guesses cannot overrun the limit)
   * and given back when the code was right.
   */
  async join(userId: string, typedCode: string): Promise<{ classId: string; className: string }> {
    const failure = await this.attempts.reserve(`class-join-failures:${userId}`, JOIN_FAILURE_WINDOW_MS, JOIN_FAILURES_ALLOWED);
    if (!failure.granted)
      throw new SchoolsError('rate_limited', 'TOO_MANY_JOIN_ATTEMPTS', 'Too many wrong class codes. Try again later.', { retryAfterSeconds: failure.retryAfterSeconds });
    const code = normaliseJoinCode(typedCode);
    const cls = code ? await this.dataSource.getRepository(SchoolClass).findOneBy({ joinCode: code }) : null;
    if (!cls) throw new SchoolsError('not_found', 'JOIN_CODE_NOT_FOUND', 'No class has this code.');
    const member = await this.dataSource.getRepository(ClassStudent).exists({ where: { classId: cls.id, studentId: userId } });
    if (!member && cls.locked) throw new SchoolsError('locked', 'CLASS_LOCKED', 'This class is not taking new members. Ask your teacher.');
    try {
      if (!member)
        await this.dataSource.transaction(async (manager) => {
          await this.assertRoom(manager, cls.id, 1);
          await this.enrol(manager, cls.id, [userId], 'join_code');
          await this.audit.record({ action: 'class.student_joined', actorId: userId, subjectType: 'class', subjectId: cls.id }, manager);
        });
    } finally {
      await failure.release();
    }
    return { classId: cls.id, className: cls.name };
  }

  /** POST /classes/:id/students/:userId/move: to another class of the same school (its cap applies). */
  async moveStudent(classId: string, teacherId: string, studentId: string, toClassId: string): Promise<void> {
    await this.assertTeaches(classId, teacherId);
    await this.dataSource.transaction(async (manager) => {
      const [from, to] = await Promise.all([
        manager.getRepository(SchoolClass).findOneByOrFail({ id: classId }),
        manager.getRepository(SchoolClass).findOneBy({ id: toClassId }),
      ]);
      if (!to || to.schoolId !== from.schoolId)
        throw new SchoolsError('not_found', 'CLASS_NOT_FOUND', 'No class of this school has the id given as toClassId.');
      await this.removeMembership(manager, classId, studentId);
      // After the removal, so a student not in the class is 404 as ever; throwing rolls the removal back.
      if (to.id === from.id) throw SchoolsError.invalidFields([{ field: 'toClassId', message: 'the pupil is already in this class' }]);
      if (!(await manager.getRepository(ClassStudent).exists({ where: { classId: to.id, studentId } }))) {
        await this.assertRoom(manager, to.id, 1);
        await this.enrol(manager, to.id, [studentId], 'move');
      }
      await this.audit.record({ action: 'class.student_moved', actorId: teacherId, subjectType: 'user', subjectId: studentId, data: { fromClassId: classId, toClassId } }, manager);
    });
  }

  /** DELETE /classes/:id/students/:userId. */
  async removeStudent(classId: string, teacherId: string, studentId: string): Promise<void> {
    await this.assertTeaches(classId, teacherId);
    await this.dataSource.transaction(async (manager) => {
      await this.removeMembership(manager, classId, studentId);
      await this.audit.record({ action: 'class.student_removed', actorId: teacherId, subjectType: 'user', subjectId: studentId, data: { classId } }, manager);
    });
  }

  /** A new one-time password for a roster student without email (others → 403). */
  async resetStudentPassword(classId: string, teacherId: string, studentId: string): Promise<string> {
    await this.assertTeachesStudent(classId, teacherId, studentId);
    return this.auth.issueOneTimePassword(studentId, teacherId);
  }

  async unlockStudent(classId: string, teacherId: string, studentId: string): Promise<void> {
    await this.assertTeachesStudent(classId, teacherId, studentId);
    await this.auth.unlockRosterAccount(studentId, teacherId);
  }

  /** The teacher attests that the school holds the parent's consent (verified teachers of the class only). */
  async attestConsent(classId: string, teacherId: string, studentId: string): Promise<void> {
    await this.assertTeachesStudent(classId, teacherId, studentId, 'forbidden');
    await this.consent.attest(studentId, teacherId);
  }

  /** PATCH /classes/:id/students/:userId {dateOfBirth}: audited by identity; answers the student as the class shows them. */
  async correctDateOfBirth(classId: string, teacherId: string, studentId: string, dateOfBirth: string): Promise<ClassStudentView> {
    await this.assertTeachesStudent(classId, teacherId, studentId);
    await this.accounts.correctDateOfBirth(studentId, dateOfBirth, teacherId);
    const student = (await this.students(classId)).find((s) => s.userId === studentId);
    if (!student) throw studentNotFound();
    return student;
  }

  /** Locks the class row and refuses to go past CLASS_CAPACITY (409). Call inside the enrolling transaction. */
  async assertRoom(manager: EntityManager, classId: string, adding: number): Promise<void> {
    await this.lock(manager, classId);
    const [{ count }] = await manager.query(`SELECT count(*)::int AS count FROM class_student WHERE class_id = $1`, [classId]);
    if (count + adding > CLASS_CAPACITY) throw classFull(CLASS_CAPACITY);
  }

  /** Locks the class row until the transaction ends: enrolments into the class take turns. */
  async lock(manager: EntityManager, classId: string): Promise<void> {
    await manager.query(`SELECT id FROM school_class WHERE id = $1 FOR UPDATE`, [classId]);
  }

  async enrol(manager: EntityManager, classId: string, studentIds: string[], via: StudentVia): Promise<void> {
    if (!studentIds.length) return;
    await manager
      .createQueryBuilder()
      .insert()
      .into(ClassStudent)
      .values(studentIds.map((studentId) => ({ classId, studentId, via })))
      .orIgnore()
      .execute();
  }

  /** The students of a class as its teachers see them, in name order. */
  async students(classId: string): Promise<ClassStudentView[]> {
    const people = (await this.accounts.views(await this.studentIds(classId))).sort(
      (a, b) => a.firstName.localeCompare(b.firstName, 'en-GB') || a.lastName.localeCompare(b.lastName, 'en-GB') || a.username.localeCompare(b.username),
    );
    const names = displayNames(people);
    return people.map((p, i) => ({
      userId: p.id,
      firstName: p.firstName,
      lastName: p.lastName,
      displayName: names[i],
      username: p.username,
      ageBand: p.ageBand,
      consentStatus: p.consentStatus,
    }));
  }

  async studentIds(classId: string, manager: EntityManager = this.dataSource.manager): Promise<string[]> {
    const rows = await manager.getRepository(ClassStudent).find({ where: { classId }, select: { studentId: true } });
    return rows.map((r) => r.studentId);
  }

  private async assertTeachesStudent(classId: string, teacherId: string, studentId: string, otherwise: 'not_found' | 'forbidden' = 'not_found'): Promise<void> {
    await this.assertTeaches(classId, teacherId, otherwise);
    if (!(await this.dataSource.getRepository(ClassStudent).exists({ where: { classId, studentId } }))) throw studentNotFound();
  }

  private async removeMembership(manager: EntityManager, classId: string, studentId: string): Promise<void> {
    const res = await manager.getRepository(ClassStudent).delete({ classId, studentId });
    if (!res.affected) throw studentNotFound();
  }

  /** Runs `write` with fresh join codes until one is not taken (a clash of 38-bit codes is rare). */
  private async withFreshJoinCode<T>(manager: EntityManager, write: (code: string) => Promise<T>): Promise<T> {
    for (let attempt = 0; attempt < 8; attempt++) {
      await manager.query('SAVEPOINT join_code');
      try {
        const result = await write(this.joinCodes());
        await manager.query('RELEASE SAVEPOINT join_code');
        return result;
      } catch (e) {
        await manager.query('ROLLBACK TO SAVEPOINT join_code');
        if (!isUniqueViolation(e, 'school_class_join_code_key')) throw e;
      }
    }
    throw new Error('could not find a free join code');
  }

  private async studentCounts(classIds: string[]): Promise<Map<string, number>> {
    if (!classIds.length) return new Map();
    const rows: { class_id: string; count: number }[] = await this.dataSource.query(
      `SELECT class_id, count(*)::int AS count FROM class_student WHERE class_id = ANY($1) GROUP BY class_id`,
      [classIds],
    );
    return new Map(rows.map((r) => [r.class_id, r.count]));
  }

  private summaryOf(c: SchoolClass): Omit<ClassSummary, 'studentCount'> {
    return { id: c.id, schoolId: c.schoolId, name: c.name, yearGroup: c.yearGroup, joinCode: c.joinCode, locked: c.locked, createdAt: c.createdAt };
  }
}

import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, In, type EntityManager } from 'typeorm';
import { AuditService, Clock, afterCursor, toPage, type Page } from '@app/platform';
import { AccountsService, type Role } from '@app/identity';
import { NotificationsService } from '@app/notifications';
import { isUrn, normalisePostcode } from './postcodes.js';
import { School, SchoolMembership, type SchoolStatus } from './school.entity.js';
import { SchoolsError, schoolNotFound } from './schools.errors.js';

export interface Viewer {
  userId: string;
  roles: Role[];
}

export interface SchoolSummary {
  id: string;
  urn: string;
  name: string;
  postcode: string;
  status: SchoolStatus;
  createdAt: Date;
  verifiedAt: Date | null;
}

export interface SchoolTeacher {
  userId: string;
  firstName: string;
  lastName: string;
  displayName: string;
  email: string | null;
  status: SchoolStatus;
  joinedAt: Date;
  verifiedAt: Date | null;
}

export interface SchoolDetail extends SchoolSummary {
  /** What the verifying organiser noted: shown to organisers only. */
  evidence?: string | null;
  teachers: SchoolTeacher[];
}

export interface SchoolRegistration {
  school: SchoolSummary;
  /** The caller's membership: `pending` unless they were already verified there. */
  membershipStatus: SchoolStatus;
  created: boolean;
}

const summary = (s: School): SchoolSummary => ({
  id: s.id,
  urn: s.urn,
  name: s.name,
  postcode: s.postcode,
  status: s.status,
  createdAt: s.createdAt,
  verifiedAt: s.verifiedAt,
});

/**
 * Schools and their teachers (SPEC §2.2): the first teacher to give a URN creates the school, later ones
 * become pending members; organisers verify a school with the teachers they checked, and a verified
 * teacher approves colleagues. Only organisers and verified teachers of a school see its teachers.
 */
@Injectable()
export class SchoolsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly accounts: AccountsService,
    private readonly notifications: NotificationsService,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  /** POST /schools by a teacher: a new pending school, or a pending membership of the one with this URN. */
  async register(teacherId: string, input: { urn: string; name: string; postcode: string }): Promise<SchoolRegistration> {
    const postcode = normalisePostcode(input.postcode);
    const name = input.name.trim();
    const errors = [
      ...(isUrn(input.urn) ? [] : [{ field: 'urn', message: 'urn must be the 6-digit unique reference number' }]),
      ...(postcode ? [] : [{ field: 'postcode', message: 'postcode must be a UK postcode' }]),
      ...(name ? [] : [{ field: 'name', message: 'name must not be empty' }]),
    ];
    if (errors.length) throw SchoolsError.invalidFields(errors);
    return this.dataSource.transaction(async (manager) => {
      const inserted: { id: string }[] = await manager.query(
        `INSERT INTO school (urn, name, postcode) VALUES ($1, $2, $3) ON CONFLICT (urn) DO NOTHING RETURNING id`,
        [input.urn, name, postcode],
      );
      const created = inserted.length > 0;
      const school = await manager.getRepository(School).findOneByOrFail({ urn: input.urn });
      await manager.query(
        `INSERT INTO school_membership (school_id, user_id) VALUES ($1, $2) ON CONFLICT DO NOTHING`,
        [school.id, teacherId],
      );
      const membership = await manager.getRepository(SchoolMembership).findOneByOrFail({ schoolId: school.id, userId: teacherId });
      await this.audit.record(
        { action: created ? 'school.registered' : 'school.membership_requested', actorId: teacherId, subjectType: 'school', subjectId: school.id },
        manager,
      );
      return { school: summary(school), membershipStatus: membership.status, created };
    });
  }

  /** GET /schools?status= for organisers: newest first. */
  async list(filter: { status?: SchoolStatus; limit: number; cursor?: string }): Promise<Page<SchoolSummary>> {
    const qb = this.dataSource.getRepository(School).createQueryBuilder('s');
    if (filter.status) qb.andWhere('s.status = :status', { status: filter.status });
    afterCursor(qb, 's', 'createdAt', filter.cursor);
    const rows = await qb.orderBy('s.createdAt', 'DESC').addOrderBy('s.id', 'DESC').limit(filter.limit + 1).getMany();
    return toPage(rows, filter.limit, (s) => s.createdAt, summary);
  }

  /** GET /schools/:id: organisers and the school's verified teachers; anyone else is told it is not there. */
  async detail(schoolId: string, viewer: Viewer): Promise<SchoolDetail> {
    const school = await this.dataSource.getRepository(School).findOneBy({ id: schoolId });
    const organiser = viewer.roles.includes('organiser');
    if (!school || (!organiser && !(await this.isVerifiedAt(school.id, viewer.userId)))) throw schoolNotFound();
    return this.withTeachers(school, organiser);
  }

  /**
   * POST /schools/:id/verify: verifies the school and the listed teachers (by default the first to join),
   * emailing each teacher verified now.
   */
  async verify(schoolId: string, organiserId: string, input: { teacherIds?: string[]; evidence?: string | null }): Promise<SchoolDetail> {
    await this.dataSource.transaction(async (manager) => {
      const school = await manager.getRepository(School).findOne({ where: { id: schoolId }, lock: { mode: 'pessimistic_write' } });
      if (!school) throw schoolNotFound();
      const members = await manager.getRepository(SchoolMembership).find({ where: { schoolId }, order: { createdAt: 'ASC' } });
      const wanted = input.teacherIds?.length ? [...new Set(input.teacherIds)] : members.slice(0, 1).map((m) => m.userId);
      const strangers = wanted.filter((id) => !members.some((m) => m.userId === id));
      if (strangers.length)
        throw SchoolsError.invalidFields([{ field: 'teacherIds', message: `not teachers of this school: ${strangers.join(', ')}` }]);
      const now = this.clock.now();
      if (school.status !== 'verified') {
        await manager.getRepository(School).update(
          { id: schoolId },
          { status: 'verified', verifiedAt: now, verifiedById: organiserId, evidence: input.evidence?.trim() || null },
        );
      } else if (input.evidence?.trim()) {
        await manager.getRepository(School).update({ id: schoolId }, { evidence: input.evidence.trim() });
      }
      await this.audit.record(
        { action: 'school.verified', actorId: organiserId, subjectType: 'school', subjectId: schoolId, data: { teacherIds: wanted } },
        manager,
      );
      const pending = members.filter((m) => wanted.includes(m.userId) && m.status !== 'verified').map((m) => m.userId);
      await this.verifyMembers(manager, { ...school, status: 'verified' }, pending, organiserId, 'school-verified');
    });
    return this.detail(schoolId, { userId: organiserId, roles: ['organiser'] });
  }

  /** POST /schools/:id/teachers/:userId/approve by a verified teacher of the school or an organiser. */
  async approve(schoolId: string, teacherId: string, actor: Viewer): Promise<void> {
    const organiser = actor.roles.includes('organiser');
    if (!organiser && !(await this.isVerifiedAt(schoolId, actor.userId))) throw schoolNotFound();
    await this.dataSource.transaction(async (manager) => {
      const school = await manager.getRepository(School).findOneBy({ id: schoolId });
      if (!school) throw schoolNotFound();
      if (school.status !== 'verified')
        throw new SchoolsError('conflict', 'SCHOOL_NOT_VERIFIED', 'Verify the school first (POST /schools/:id/verify).');
      const membership = await manager.getRepository(SchoolMembership).findOne({
        where: { schoolId, userId: teacherId },
        lock: { mode: 'pessimistic_write' },
      });
      if (!membership) throw new SchoolsError('not_found', 'TEACHER_NOT_FOUND', 'No such teacher at this school.');
      if (membership.status === 'verified') return;
      await this.verifyMembers(manager, school, [teacherId], actor.userId, 'teacher-approved');
    });
  }

  /** Whether the user is a verified teacher of any school. */
  async isVerifiedTeacher(userId: string): Promise<boolean> {
    return this.dataSource.getRepository(SchoolMembership).exists({ where: { userId, status: 'verified' } });
  }

  /** Whether the user is a verified teacher of this school. */
  async isVerifiedAt(schoolId: string, userId: string): Promise<boolean> {
    return this.dataSource.getRepository(SchoolMembership).exists({ where: { schoolId, userId, status: 'verified' } });
  }

  private async verifyMembers(
    manager: EntityManager,
    school: School,
    userIds: string[],
    actorId: string,
    template: 'school-verified' | 'teacher-approved',
  ): Promise<void> {
    if (!userIds.length) return;
    await manager
      .getRepository(SchoolMembership)
      .update({ schoolId: school.id, userId: In(userIds) }, { status: 'verified', verifiedAt: this.clock.now(), verifiedById: actorId });
    for (const teacher of await this.accounts.views(userIds, manager)) {
      await this.audit.record(
        { action: 'school.teacher_verified', actorId, subjectType: 'user', subjectId: teacher.id, data: { schoolId: school.id } },
        manager,
      );
      await this.notifications.notify(manager, {
        template,
        userId: teacher.id,
        email: teacher.emailVerified ? teacher.email : null,
        inApp: true,
        data: { firstName: teacher.firstName, schoolName: school.name },
      });
    }
  }

  private async withTeachers(school: School, organiser: boolean): Promise<SchoolDetail> {
    const members = await this.dataSource.getRepository(SchoolMembership).find({ where: { schoolId: school.id }, order: { createdAt: 'ASC' } });
    const people = new Map((await this.accounts.views(members.map((m) => m.userId))).map((v) => [v.id, v]));
    const teachers = members.flatMap((m) => {
      const p = people.get(m.userId);
      if (!p) return [];
      return [{ userId: m.userId, firstName: p.firstName, lastName: p.lastName, displayName: p.displayName, email: p.email, status: m.status, joinedAt: m.createdAt, verifiedAt: m.verifiedAt }];
    });
    return { ...summary(school), ...(organiser ? { evidence: school.evidence } : {}), teachers };
  }
}

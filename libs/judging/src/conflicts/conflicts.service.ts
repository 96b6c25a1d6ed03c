import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { AuditService } from '@app/platform';
import { ClassRelations } from '@app/schools';
import { DeclaredConflicts } from './conflict.entity.js';

export interface DeclaredConflictsView {
  urns: string[];
  organisations: string[];
}

/**
 * Who may not judge whom, for a pool of judges at dense indices (SPEC §2.4): a judge is conflicted
 * with an entry when one of its members is a pupil at a school the judge teaches at or declared (by
 * URN), or when the judge is a member of it. Built once per round from a few small look-ups on the
 * judges' side (judges → schools → pupils of those schools), then applied to each entry's members with
 * hash look-ups as entries stream past — no join over a million ideas, no entity per idea.
 */
export class PoolConflicts {
  constructor(
    /** Pupil id → indices of the judges conflicted with any idea they are in. */
    private readonly byPupil: Map<string, number[]>,
    /** Judge user id → index, for judges who are themselves members of an idea. */
    private readonly judgeIndex: Map<string, number>,
  ) {}

  /** Calls `found` with each judge index conflicted with a team (a judge may be reported twice). */
  forTeam(memberIds: readonly string[], found: (judgeIdx: number) => void): void {
    for (const member of memberIds) {
      const judges = this.byPupil.get(member);
      if (judges) for (const j of judges) found(j);
      const self = this.judgeIndex.get(member);
      if (self !== undefined) found(self);
    }
  }

  /** Number of pupils whose ideas some judge of the pool may not see (diagnostics). */
  get pupils(): number {
    return this.byPupil.size;
  }
}

@Injectable()
export class ConflictsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly classes: ClassRelations,
    private readonly audit: AuditService,
  ) {}

  async declared(judgeId: string): Promise<DeclaredConflictsView> {
    const row = await this.dataSource.getRepository(DeclaredConflicts).findOneBy({ judgeId });
    return { urns: row?.urns ?? [], organisations: row?.organisations ?? [] };
  }

  /** PUT /judge/conflicts: replaces the judge's declaration (audited); applies to rounds assigned from now on. */
  async declare(judgeId: string, input: DeclaredConflictsView): Promise<DeclaredConflictsView> {
    const urns = [...new Set(input.urns.map((u) => u.trim()))].sort();
    const organisations = [...new Set(input.organisations.map((o) => o.trim()).filter(Boolean))];
    await this.dataSource.transaction(async (m) => {
      await m.getRepository(DeclaredConflicts).upsert({ judgeId, urns, organisations }, ['judgeId']);
      await this.audit.record(
        { action: 'judge.conflicts_declared', actorId: judgeId, subjectType: 'user', subjectId: judgeId, data: { urns: urns.length, organisations: organisations.length } },
        m,
      );
    });
    return { urns, organisations };
  }

  /** The conflicts of a pool of judges, `judgeIds[idx]` being the judge at index idx (read with `manager`, e.g. the caller's transaction). */
  async forPool(judgeIds: readonly string[], manager: EntityManager = this.dataSource.manager): Promise<PoolConflicts> {
    const judgeIndex = new Map(judgeIds.map((id, idx) => [id, idx]));
    const schoolJudges = new Map<string, number[]>();
    const addSchool = (schoolId: string, judgeIdx: number) => {
      const list = schoolJudges.get(schoolId);
      if (!list) schoolJudges.set(schoolId, [judgeIdx]);
      else if (!list.includes(judgeIdx)) list.push(judgeIdx);
    };
    for (const { userId, schoolId } of await this.classes.schoolsOfTeachers([...judgeIds], manager)) addSchool(schoolId, judgeIndex.get(userId)!);

    const declared: { judge_id: string; urns: string[] }[] = await manager.query(
      `SELECT judge_id, urns FROM judge_declared_conflicts WHERE judge_id = ANY($1::uuid[]) AND cardinality(urns) > 0`,
      [judgeIds],
    );
    if (declared.length) {
      const schoolOfUrn = new Map((await this.classes.schoolsByUrn([...new Set(declared.flatMap((d) => d.urns))], manager)).map((s) => [s.urn, s.schoolId]));
      for (const d of declared) {
        for (const urn of d.urns) {
          const schoolId = schoolOfUrn.get(urn);
          if (schoolId) addSchool(schoolId, judgeIndex.get(d.judge_id)!);
        }
      }
    }

    const byPupil = new Map<string, number[]>();
    for (const { schoolId, studentId } of await this.classes.studentsOfSchools([...schoolJudges.keys()], manager)) {
      const judges = schoolJudges.get(schoolId)!;
      const list = byPupil.get(studentId);
      if (!list) byPupil.set(studentId, [...judges]);
      else for (const j of judges) if (!list.includes(j)) list.push(j);
    }
    return new PoolConflicts(byPupil, judgeIndex);
  }
}

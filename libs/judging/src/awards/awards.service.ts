import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { AuditService, afterCursor, toPage, type Page } from '@app/platform';
import { EntriesService } from '@app/competitions';
import { PeopleDirectory } from '@app/identity';
import { ClassRelations } from '@app/schools';
import { JudgingError, awardNotFound } from '../judging.errors.js';
import { nextAwardState, type AwardPatch } from './award-rules.js';
import { FundingAward } from './funding-award.entity.js';

/** Funding awards (SPEC §2.4, §3): listed and updated by organisers, with the payee rules. */
@Injectable()
export class AwardsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly entries: EntriesService,
    private readonly people: PeopleDirectory,
    private readonly classes: ClassRelations,
    private readonly audit: AuditService,
  ) {}

  async list(filter: { competitionId?: string; limit: number; cursor?: string }): Promise<Page<FundingAward>> {
    const qb = this.dataSource.getRepository(FundingAward).createQueryBuilder('a');
    if (filter.competitionId) qb.andWhere('a.competitionId = :competitionId', { competitionId: filter.competitionId });
    afterCursor(qb, 'a', 'createdAt', filter.cursor);
    const rows = await qb.orderBy('a.createdAt', 'DESC').addOrderBy('a.id', 'DESC').limit(filter.limit + 1).getMany();
    return toPage(rows, filter.limit, (r) => r.createdAt, (r) => r);
  }

  /** Every funding award ever published (open data). */
  async published(): Promise<FundingAward[]> {
    return this.dataSource.getRepository(FundingAward).find({ order: { awardedAt: 'ASC', id: 'ASC' } });
  }

  async update(actorId: string, awardId: string, patch: AwardPatch): Promise<FundingAward> {
    return this.dataSource.transaction(async (m) => {
      const award = await m.getRepository(FundingAward).findOne({ where: { id: awardId }, lock: { mode: 'pessimistic_write' } });
      if (!award) throw awardNotFound();
      const team = await this.team(m, award);
      const { state, errors } = nextAwardState(award, patch, team);
      if (errors.length) throw new JudgingError('invalid', 'AWARD_RULES', 'This change breaks the award rules.', { errors });
      const changed = (Object.keys(state) as (keyof typeof state)[]).filter((k) => JSON.stringify(state[k]) !== JSON.stringify(award[k]));
      if (changed.length) {
        await m.getRepository(FundingAward).update({ id: awardId }, state);
        await this.audit.record(
          { action: 'award.updated', actorId, subjectType: 'funding_award', subjectId: awardId, data: { fields: changed, status: state.status, paymentStatus: state.paymentStatus, payeeKind: state.payee?.kind ?? null } },
          m,
        );
      }
      return m.getRepository(FundingAward).findOneByOrFail({ id: awardId });
    });
  }

  /** The winning team as judged (the snapshot's members), each as an adult or not today, and their schools. */
  private async team(m: EntityManager, award: FundingAward) {
    const [entry]: { version_id: string }[] = await m.query(
      `SELECT e.version_id FROM round_entry e JOIN judging_round r ON r.id = e.round_id
        WHERE r.competition_id = $1 AND r.kind = 'final' AND e.idea_id = $2`,
      [award.competitionId, award.ideaId],
    );
    const memberIds = entry ? ((await this.entries.snapshots([entry.version_id], m)).get(entry.version_id)?.memberIds ?? []) : [];
    const facts = await this.people.facts(memberIds, m);
    return {
      members: memberIds.map((userId) => ({ userId, adult: facts.get(userId)?.ageBand === '18+' && !facts.get(userId)?.erased })),
      schoolIds: [...new Set((await this.classes.schoolsOfStudents(memberIds, m)).map((s) => s.schoolId))],
    };
  }
}

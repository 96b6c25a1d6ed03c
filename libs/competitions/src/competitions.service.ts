import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, IsNull, type EntityManager } from 'typeorm';
import { AuditService, Clock, afterCursor, toPage, type FieldError, type Page } from '@app/platform';
import { Competition } from './competition.entity.js';
import { competitionStatus, deadlineOf, type CompetitionStatus } from './competition-status.js';
import { CompetitionsError, competitionNotFound } from './competitions.errors.js';

export interface CompetitionInput {
  title: string;
  slug: string;
  description?: string;
  minAge: number;
  maxAge: number;
  opensAt: Date;
  closesAt: Date;
  maxTeamSize?: number;
  prizeCount?: number;
  prizeAmountPence?: number;
  categories: string[];
}

export type CompetitionView = Competition & { status: CompetitionStatus; deadline: Date };

const EDITABLE_AFTER_OPENING = new Set(['description', 'closesAt']);

@Injectable()
export class CompetitionsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  view(c: Competition): CompetitionView {
    return Object.assign(c, { status: competitionStatus(c, this.clock.now()), deadline: deadlineOf(c) });
  }

  async create(actorId: string, input: CompetitionInput): Promise<CompetitionView> {
    this.assertCoherent(input);
    const repo = this.dataSource.getRepository(Competition);
    if (await repo.exists({ where: { slug: input.slug } })) throw slugTaken();
    return this.dataSource.transaction(async (m) => {
      const saved = await m.getRepository(Competition).save(m.getRepository(Competition).create({ ...input, createdBy: actorId }));
      await this.audit.record({ action: 'competition.created', actorId, subjectType: 'competition', subjectId: saved.id }, m);
      return this.view(saved);
    });
  }

  /** Before opening anything may change; after, only the description and a later closesAt. */
  async update(actorId: string, id: string, patch: Partial<CompetitionInput>): Promise<CompetitionView> {
    return this.dataSource.transaction(async (m) => {
      const c = await this.lock(m, id);
      const status = competitionStatus(c, this.clock.now());
      const changed = Object.entries(patch).filter(([k, v]) => v !== undefined && !sameValue((c as unknown as Record<string, unknown>)[k], v));
      if (status !== 'draft' && status !== 'upcoming') {
        const refused: FieldError[] = changed
          .filter(([k]) => !EDITABLE_AFTER_OPENING.has(k))
          .map(([k]) => ({ field: k, message: `${k} cannot change once the competition has opened` }));
        if (patch.closesAt && patch.closesAt <= c.closesAt)
          refused.push({ field: 'closesAt', message: 'closesAt can only move later once the competition has opened' });
        if (patch.closesAt && status !== 'open')
          refused.push({ field: 'closesAt', message: 'closesAt cannot change after the competition has closed' });
        if (refused.length) throw new CompetitionsError('conflict', 'COMPETITION_ALREADY_OPEN', 'The competition has opened.', { errors: refused });
        if (patch.closesAt && !c.eligibilityClosesAt) c.eligibilityClosesAt = c.closesAt;
      }
      const next = { ...c, ...Object.fromEntries(changed) } as Competition;
      this.assertCoherent(next);
      if (patch.slug && patch.slug !== c.slug && (await m.getRepository(Competition).exists({ where: { slug: patch.slug } }))) throw slugTaken();
      const saved = await m.getRepository(Competition).save(next);
      await this.audit.record({ action: 'competition.updated', actorId, subjectType: 'competition', subjectId: id, data: { fields: changed.map(([k]) => k) } }, m);
      return this.view(saved);
    });
  }

  async publish(actorId: string, id: string): Promise<CompetitionView> {
    return this.dataSource.transaction(async (m) => {
      const c = await this.lock(m, id);
      if (!c.publishedAt) {
        c.publishedAt = this.clock.now();
        await m.getRepository(Competition).save(c);
        await this.audit.record({ action: 'competition.published', actorId, subjectType: 'competition', subjectId: id }, m);
      }
      return this.view(c);
    });
  }

  async closeEarly(actorId: string, id: string): Promise<CompetitionView> {
    return this.dataSource.transaction(async (m) => {
      const c = await this.lock(m, id);
      if (competitionStatus(c, this.clock.now()) !== 'open')
        throw new CompetitionsError('conflict', 'COMPETITION_NOT_OPEN', 'Only an open competition can be closed.');
      c.closedAt = this.clock.now();
      await m.getRepository(Competition).save(c);
      await this.audit.record({ action: 'competition.closed_early', actorId, subjectType: 'competition', subjectId: id }, m);
      return this.view(c);
    });
  }

  /** A competition as `viewer` may see it: drafts only to organisers. */
  async get(id: string, viewer?: { roles: string[] }, manager: EntityManager = this.dataSource.manager): Promise<CompetitionView> {
    const c = await manager.getRepository(Competition).findOneBy({ id });
    if (!c || (!c.publishedAt && !viewer?.roles.includes('organiser'))) throw competitionNotFound();
    return this.view(c);
  }

  async list(viewer: { roles: string[] } | undefined, limit: number, cursor?: string): Promise<Page<CompetitionView>> {
    const qb = this.dataSource.getRepository(Competition).createQueryBuilder('c');
    if (!viewer?.roles.includes('organiser')) qb.where('c.publishedAt IS NOT NULL');
    afterCursor(qb, 'c', 'createdAt', cursor);
    const rows = await qb.orderBy('c.createdAt', 'DESC').addOrderBy('c.id', 'DESC').limit(limit + 1).getMany();
    return toPage(rows, limit, (r) => r.createdAt, (r) => this.view(r));
  }

  /** Marks the start of judging (first round) or of published results (used by judging). */
  async mark(manager: EntityManager, id: string, field: 'judgingStartedAt' | 'resultsPublishedAt'): Promise<void> {
    await manager.getRepository(Competition).update({ id, [field]: IsNull() }, { [field]: this.clock.now() });
  }

  private async lock(m: EntityManager, id: string): Promise<Competition> {
    const c = await m.getRepository(Competition).createQueryBuilder('c').setLock('pessimistic_write').where('c.id = :id', { id }).getOne();
    if (!c) throw competitionNotFound();
    return c;
  }

  private assertCoherent(c: Pick<CompetitionInput, 'minAge' | 'maxAge' | 'opensAt' | 'closesAt' | 'categories'>): void {
    const errors: FieldError[] = [];
    if (c.minAge > c.maxAge) errors.push({ field: 'maxAge', message: 'maxAge must not be below minAge' });
    if (c.opensAt >= c.closesAt) errors.push({ field: 'closesAt', message: 'closesAt must be after opensAt' });
    if (new Set(c.categories.map((x) => x.toLowerCase())).size !== c.categories.length)
      errors.push({ field: 'categories', message: 'categories must be distinct' });
    if (errors.length) throw new CompetitionsError('invalid', 'VALIDATION_FAILED', 'The competition is not coherent.', { errors });
  }
}

const slugTaken = () =>
  new CompetitionsError('conflict', 'SLUG_TAKEN', 'Another competition uses this slug.', { errors: [{ field: 'slug', message: 'slug is taken' }] });

function sameValue(a: unknown, b: unknown): boolean {
  if (a instanceof Date && b instanceof Date) return a.getTime() === b.getTime();
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => x === b[i]);
  return a === b;
}

import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AuditService, Clock, afterCursor, toPage, type Page } from '@app/platform';
import { Classrooms } from './classrooms.js';
import { Competition } from './competition.entity.js';
import { competitionStatus } from './competition-status.js';
import { CompetitionsError, competitionNotFound } from './competitions.errors.js';
import { IdeaAccess, type Actor, type IdeaView } from './idea-access.js';
import { Idea, IdeaMember, type IdeaContent } from './idea.entity.js';

export type IdeaPatch = Partial<IdeaContent>;

/** What an idea route asks of the caller: to see the idea, to be an accepted member, or to be its owner. */
export type IdeaRole = 'viewer' | 'member' | 'owner';

/** Drafts: create, read, edit; and the counts the class view shows. */
@Injectable()
export class IdeasService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly access: IdeaAccess,
    private readonly classrooms: Classrooms,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  /** A draft needs only a title; the competition must be published and still taking entries. */
  async create(actor: Actor, competitionId: string, content: IdeaPatch & { title: string }): Promise<IdeaView> {
    return this.dataSource.transaction(async (m) => {
      const competition = await m.getRepository(Competition).findOneBy({ id: competitionId });
      if (!competition || !competition.publishedAt) throw competitionNotFound();
      const status = competitionStatus(competition, this.clock.now());
      if (status !== 'upcoming' && status !== 'open')
        throw new CompetitionsError('conflict', 'COMPETITION_NOT_TAKING_ENTRIES', 'This competition is not taking entries.');
      assertCategory(competition, content.category);
      const idea = await m.getRepository(Idea).save(
        m.getRepository(Idea).create({ ...defined(content), competitionId, ownerId: actor.userId }),
      );
      const owner = await m.getRepository(IdeaMember).save(
        m.getRepository(IdeaMember).create({ ideaId: idea.id, userId: actor.userId, role: 'owner', accepted: true, acceptedAt: this.clock.now() }),
      );
      await this.audit.record({ action: 'idea.created', actorId: actor.userId, subjectType: 'idea', subjectId: idea.id }, m);
      return this.access.view(idea, [owner], m);
    });
  }

  async get(actor: Actor, ideaId: string): Promise<IdeaView> {
    const { idea, members } = await this.access.visible(actor, ideaId);
    return this.access.view(idea, members);
  }

  /**
   * 404 unless `actor` may see the idea, 403 when `role` asks more of them; nothing is locked. For the HTTP
   * edge, which decides this before reading the body (SPEC §3); the use cases check again in their transaction.
   */
  async authorize(actor: Actor, ideaId: string, role: IdeaRole): Promise<void> {
    const m = this.dataSource.manager;
    if (role === 'viewer') await this.access.visible(actor, ideaId, m);
    else if (role === 'member') await this.access.asMember(actor, ideaId, m, false);
    else await this.access.asOwner(actor, ideaId, m, false);
  }

  async update(actor: Actor, ideaId: string, patch: IdeaPatch): Promise<IdeaView> {
    return this.dataSource.transaction(async (m) => {
      const { idea, members } = await this.access.asMember(actor, ideaId, m);
      const competition = await this.access.competition(m, idea.competitionId);
      this.access.assertBeforeDeadline(competition);
      if (patch.category !== undefined) assertCategory(competition, patch.category);
      Object.assign(idea, defined(patch));
      const saved = await m.getRepository(Idea).save(idea);
      return this.access.view(saved, members, m);
    });
  }

  /**
   * The ideas `actor` may see (as `visible` decides), newest first: those they are an accepted member of;
   * for a verified teacher, those with an accepted member in one of their classes too (read-only); for an
   * organiser, every idea. Optionally of one competition.
   */
  async mine(actor: Actor, limit: number, cursor?: string, competitionId?: string): Promise<Page<IdeaView>> {
    const qb = this.dataSource.getRepository(Idea).createQueryBuilder('i');
    if (!actor.roles.includes('organiser')) {
      const people = [actor.userId, ...(actor.roles.includes('teacher') ? await this.classrooms.pupilsOf(actor.userId) : [])];
      qb.where('EXISTS (SELECT 1 FROM idea_member m WHERE m.idea_id = i.id AND m.accepted AND m.user_id = ANY(:people::uuid[]))', { people });
    }
    if (competitionId) qb.andWhere('i.competitionId = :competitionId', { competitionId });
    afterCursor(qb, 'i', 'createdAt', cursor);
    const rows = await qb.orderBy('i.createdAt', 'DESC').addOrderBy('i.id', 'DESC').limit(limit + 1).getMany();
    const page = toPage(rows, limit, (r) => r.createdAt, (r) => r);
    return { items: await this.access.viewMany(page.items), nextCursor: page.nextCursor };
  }

  /** Per person: ideas they are an accepted member of, by draft and submitted (class view). */
  async countsByMember(userIds: string[]): Promise<Map<string, { draft: number; submitted: number }>> {
    const counts = new Map(userIds.map((id) => [id, { draft: 0, submitted: 0 }]));
    if (!userIds.length) return counts;
    const rows: { user_id: string; draft: number; submitted: number }[] = await this.dataSource.query(
      `SELECT m.user_id,
              count(*) FILTER (WHERE i.status = 'draft')::int AS draft,
              count(*) FILTER (WHERE i.status = 'submitted')::int AS submitted
         FROM idea_member m JOIN idea i ON i.id = m.idea_id
        WHERE m.accepted AND m.user_id = ANY($1::uuid[])
        GROUP BY m.user_id`,
      [userIds],
    );
    for (const r of rows) counts.set(r.user_id, { draft: r.draft, submitted: r.submitted });
    return counts;
  }
}

function assertCategory(competition: Competition, category: string | null | undefined): void {
  if (category != null && !competition.categories.includes(category))
    throw CompetitionsError.invalid('VALIDATION_FAILED', [
      { field: 'category', message: `category must be one of: ${competition.categories.join(', ')}` },
    ]);
}

function defined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

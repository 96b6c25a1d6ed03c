import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager, In } from 'typeorm';
import { Clock, sha256Hex } from '@app/platform';
import { PeopleDirectory, namesOf, type PersonFacts } from '@app/identity';
import { Classrooms } from './classrooms.js';
import { Competition } from './competition.entity.js';
import { competitionStatus, deadlineOf } from './competition-status.js';
import { CompetitionsError, deadlinePassed, ideaNotFound } from './competitions.errors.js';
import { Idea, IdeaMember, type IdeaContent, type IdeaOutcome, type IdeaStatus, type MemberRole } from './idea.entity.js';

export interface Actor {
  userId: string;
  roles: string[];
}

export interface IdeaView extends IdeaContent {
  id: string;
  competitionId: string;
  status: IdeaStatus;
  hidden: boolean;
  outcome: IdeaOutcome | null;
  version: number;
  submittedAt: Date | null;
  hasUnsubmittedChanges: boolean;
  members: { userId: string; displayName: string; role: MemberRole; accepted: boolean }[];
}

export type Access = 'member' | 'organiser' | 'teacher';

export const CONTENT_FIELDS = ['title', 'summary', 'problem', 'solution', 'audience', 'category', 'links'] as const;

/** What an idea holds now, in a canonical form: content plus the accepted team. */
export function contentHash(idea: IdeaContent, memberIds: string[]): string {
  const content = Object.fromEntries(CONTENT_FIELDS.map((f) => [f, idea[f]]));
  return sha256Hex(JSON.stringify({ content, members: [...memberIds].sort() }));
}

/** Loading ideas with their team, deciding who may see them, and shaping the view. */
@Injectable()
export class IdeaAccess {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly people: PeopleDirectory,
    private readonly classrooms: Classrooms,
    private readonly clock: Clock,
  ) {}

  async members(ideaId: string, manager: EntityManager = this.dataSource.manager): Promise<IdeaMember[]> {
    return manager.getRepository(IdeaMember).find({ where: { ideaId }, order: { invitedAt: 'ASC', userId: 'ASC' } });
  }

  /**
   * The idea if `actor` may see it, with how: its accepted members, organisers, and verified teachers
   * of a member's class (read-only). Anyone else gets 404, as if it did not exist.
   */
  async visible(actor: Actor, ideaId: string, manager: EntityManager = this.dataSource.manager, lock = false) {
    const qb = manager.getRepository(Idea).createQueryBuilder('i').where('i.id = :ideaId', { ideaId });
    if (lock) qb.setLock('pessimistic_write');
    const idea = await qb.getOne();
    if (!idea) throw ideaNotFound();
    const members = await this.members(ideaId, manager);
    const me = members.find((m) => m.userId === actor.userId && m.accepted);
    let access: Access | undefined = me ? 'member' : undefined;
    if (!access && actor.roles.includes('organiser')) access = 'organiser';
    if (!access && actor.roles.includes('teacher')) {
      const students = members.filter((m) => m.accepted).map((m) => m.userId);
      if (await this.classrooms.teachesAnyOf(actor.userId, students, manager)) access = 'teacher';
    }
    if (!access) throw ideaNotFound();
    return { idea, members, access, me };
  }

  /** Like `visible`, but only for accepted members (who may change things); others may only read. */
  async asMember(actor: Actor, ideaId: string, manager: EntityManager, lock = true) {
    const found = await this.visible(actor, ideaId, manager, lock);
    if (found.access !== 'member')
      throw new CompetitionsError('forbidden', 'READ_ONLY', 'Only members of the team can change this idea.');
    return found as typeof found & { me: IdeaMember };
  }

  /** Like `asMember`, but only for the owner. */
  async asOwner(actor: Actor, ideaId: string, manager: EntityManager, lock = true) {
    const found = await this.asMember(actor, ideaId, manager, lock);
    if (found.me.role !== 'owner') throw new CompetitionsError('forbidden', 'OWNER_ONLY', 'Only the owner of the idea can do this.');
    return found;
  }

  async competition(manager: EntityManager, competitionId: string): Promise<Competition> {
    return manager.getRepository(Competition).findOneByOrFail({ id: competitionId });
  }

  /** Nothing about an idea changes once its competition's deadline has passed (SPEC §2.3). */
  assertBeforeDeadline(competition: Competition): void {
    if (this.clock.now() >= deadlineOf(competition) || ['judging', 'results'].includes(competitionStatus(competition, this.clock.now())))
      throw deadlinePassed();
  }

  /** Pass the transaction's manager when inside one (a second pool connection could deadlock). */
  async view(idea: Idea, members?: IdeaMember[], manager: EntityManager = this.dataSource.manager): Promise<IdeaView> {
    const team = members ?? (await this.members(idea.id, manager));
    return this.shape(idea, team, await this.people.facts(team.map((m) => m.userId), manager));
  }

  /** Views of many ideas with two queries in all (members, then people), not two per idea. */
  async viewMany(ideas: Idea[]): Promise<IdeaView[]> {
    if (!ideas.length) return [];
    const all = await this.dataSource
      .getRepository(IdeaMember)
      .find({ where: { ideaId: In(ideas.map((i) => i.id)) }, order: { invitedAt: 'ASC', userId: 'ASC' } });
    const facts = await this.people.facts(all.map((m) => m.userId));
    return ideas.map((idea) => this.shape(idea, all.filter((m) => m.ideaId === idea.id), facts));
  }

  private shape(idea: Idea, team: IdeaMember[], facts: Map<string, PersonFacts>): IdeaView {
    const names = namesOf(team.map((m) => m.userId), facts);
    const accepted = team.filter((m) => m.accepted).map((m) => m.userId);
    return {
      id: idea.id,
      competitionId: idea.competitionId,
      title: idea.title,
      summary: idea.summary,
      problem: idea.problem,
      solution: idea.solution,
      audience: idea.audience,
      category: idea.category,
      links: idea.links,
      status: idea.status,
      hidden: idea.hidden,
      outcome: idea.outcome,
      version: idea.version,
      submittedAt: idea.submittedAt,
      hasUnsubmittedChanges: idea.version > 0 && idea.submittedHash !== contentHash(idea, accepted),
      members: team.map((m, i) => ({ userId: m.userId, displayName: names[i], role: m.role, accepted: m.accepted })),
    };
  }
}

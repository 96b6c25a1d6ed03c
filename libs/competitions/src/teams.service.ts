import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { AuditService, Clock, afterCursorSql, decodeCursor, toPage, type Page } from '@app/platform';
import { PeopleDirectory, type PersonFacts } from '@app/identity';
import { NotificationsService } from '@app/notifications';
import { Classrooms } from './classrooms.js';
import { Competition } from './competition.entity.js';
import { CompetitionsError, ideaNotFound } from './competitions.errors.js';
import { IdeaAccess, type Actor, type IdeaView } from './idea-access.js';
import { Idea, IdeaMember, IdeaVersion } from './idea.entity.js';
import { SubmissionSlots } from './submission-slots.js';

export interface Invitation {
  ideaId: string;
  ideaTitle: string;
  competitionId: string;
  competitionTitle: string;
  invitedBy: string;
  invitedAt: Date;
}

const consentMissing = (who: PersonFacts) => who.ageBand === 'U13' && who.consentStatus !== 'granted';

/** Team invitations, acceptance, leaving and removal (SPEC §2.1 mixed ages, §2.3 teams). */
@Injectable()
export class TeamsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly access: IdeaAccess,
    private readonly people: PeopleDirectory,
    private readonly classrooms: Classrooms,
    private readonly slots: SubmissionSlots,
    private readonly notifications: NotificationsService,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  async invite(actor: Actor, ideaId: string, by: { username?: string; email?: string }): Promise<IdeaView> {
    return this.dataSource.transaction(async (m) => {
      const { idea, members } = await this.access.asOwner(actor, ideaId, m);
      const competition = await this.access.competition(m, idea.competitionId);
      this.access.assertBeforeDeadline(competition);
      await this.assertTeamConsented(m, members);
      const inviteeId = await this.people.findId(by, m);
      const invitee = inviteeId ? await this.people.fact(inviteeId, m) : undefined;
      if (!invitee || !invitee.roles.includes('entrant'))
        throw new CompetitionsError('not_found', 'ENTRANT_NOT_FOUND', 'No entrant has that username or email address.');
      if (members.some((x) => x.userId === invitee.id))
        throw new CompetitionsError('conflict', 'ALREADY_IN_TEAM', 'This person is already in the team or invited.');
      this.assertRoom(competition, members.length + 1);
      await this.assertAgesMix(m, invitee, members.map((x) => x.userId));
      await m.getRepository(IdeaMember).insert({ ideaId, userId: invitee.id, role: 'member', accepted: false, invitedBy: actor.userId });
      const [inviterName] = await this.people.displayNames([actor.userId], m);
      await this.notifications.notify(m, {
        template: 'team-invitation',
        userId: invitee.id,
        email: invitee.mailbox,
        inApp: true,
        data: { firstName: invitee.firstName, inviter: inviterName, ideaTitle: idea.title, competitionTitle: competition.title },
      });
      await this.audit.record({ action: 'team.invited', actorId: actor.userId, subjectType: 'idea', subjectId: ideaId, data: { userId: invitee.id } }, m);
      return this.access.view(idea, await this.access.members(ideaId, m), m);
    });
  }

  async accept(actor: Actor, ideaId: string): Promise<IdeaView> {
    return this.dataSource.transaction(async (m) => {
      const { idea, members, invitation } = await this.pendingInvitation(m, actor, ideaId);
      const competition = await this.access.competition(m, idea.competitionId);
      this.access.assertBeforeDeadline(competition);
      const me = (await this.people.fact(actor.userId, m))!;
      if (consentMissing(me))
        throw new CompetitionsError('forbidden', 'CONSENT_REQUIRED', 'A parent or guardian must give consent before you can join a team.');
      await this.assertTeamConsented(m, members);
      this.assertRoom(competition, members.length);
      await this.assertAgesMix(m, me, members.filter((x) => x.userId !== actor.userId).map((x) => x.userId));
      if (idea.status === 'submitted') await this.slots.claim(m, idea, [actor.userId]);
      invitation.accepted = true;
      invitation.acceptedAt = this.clock.now();
      await m.getRepository(IdeaMember).save(invitation);
      await this.audit.record({ action: 'team.joined', actorId: actor.userId, subjectType: 'idea', subjectId: ideaId }, m);
      return this.access.view(idea, await this.access.members(ideaId, m), m);
    });
  }

  async decline(actor: Actor, ideaId: string): Promise<void> {
    await this.dataSource.transaction(async (m) => {
      const { invitation } = await this.pendingInvitation(m, actor, ideaId);
      await m.getRepository(IdeaMember).delete({ ideaId, userId: invitation.userId });
      await this.audit.record({ action: 'team.declined', actorId: actor.userId, subjectType: 'idea', subjectId: ideaId }, m);
    });
  }

  /** The owner removes a member or withdraws an invitation; a member may leave. */
  async remove(actor: Actor, ideaId: string, userId: string): Promise<void> {
    await this.dataSource.transaction(async (m) => {
      const { idea, members, me } = await this.access.asMember(actor, ideaId, m);
      if (userId !== actor.userId && me.role !== 'owner')
        throw new CompetitionsError('forbidden', 'OWNER_ONLY', 'Only the owner can remove someone else from the team.');
      const target = members.find((x) => x.userId === userId);
      if (!target) throw new CompetitionsError('not_found', 'MEMBER_NOT_FOUND', 'This person is not in the team.');
      if (target.role === 'owner') throw new CompetitionsError('conflict', 'OWNER_CANNOT_LEAVE', 'The owner cannot leave their own idea.');
      this.access.assertBeforeDeadline(await this.access.competition(m, idea.competitionId));
      // The submitted snapshot's team is what is judged, credited and paid: its members stay in it (and out of
      // any other entry) until the idea is withdrawn; it can then be resubmitted without them.
      if (target.accepted && idea.status === 'submitted' && (await this.inSubmittedTeam(m, idea, userId)))
        throw new CompetitionsError('conflict', 'WITHDRAW_FIRST', 'This person is in the team of the submitted idea: withdraw the idea first, then resubmit it without them.');
      await m.getRepository(IdeaMember).delete({ ideaId, userId });
      await this.slots.release(m, idea, [userId]);
      await this.audit.record({ action: userId === actor.userId ? 'team.left' : 'team.removed', actorId: actor.userId, subjectType: 'idea', subjectId: ideaId, data: { userId } }, m);
    });
  }

  /** The caller's pending invitations, newest first, keyset-paged on (invitedAt, ideaId): one invitation per idea. */
  async invitations(actor: Actor, limit: number, cursor?: string): Promise<Page<Invitation>> {
    const after = decodeCursor(cursor);
    const rows: { id: string; idea_title: string; competition_id: string; competition_title: string; invited_by: string; invited_at: Date }[] =
      await this.dataSource.query(
        `SELECT i.id, i.title AS idea_title, c.id AS competition_id, c.title AS competition_title, m.invited_by, m.invited_at
           FROM idea_member m JOIN idea i ON i.id = m.idea_id JOIN competition c ON c.id = i.competition_id
          WHERE m.user_id = $1 AND NOT m.accepted
            AND ${afterCursorSql('idea_member', 'm', 'invited_at', '$3', '$2', { idColumn: 'idea_id', boundary: 'b.user_id = $1' })}
          ORDER BY m.invited_at DESC, m.idea_id DESC LIMIT $4`,
        [actor.userId, after?.id ?? null, after?.at ?? null, limit + 1],
      );
    const page = toPage(rows, limit, (r) => r.invited_at, (r) => r);
    const names = await this.people.displayNames(page.items.map((r) => r.invited_by));
    return {
      items: page.items.map((r, i) => ({
        ideaId: r.id,
        ideaTitle: r.idea_title,
        competitionId: r.competition_id,
        competitionTitle: r.competition_title,
        invitedBy: names[i],
        invitedAt: r.invited_at,
      })),
      nextCursor: page.nextCursor,
    };
  }

  private async pendingInvitation(m: EntityManager, actor: Actor, ideaId: string) {
    const idea = await m.getRepository(Idea).createQueryBuilder('i').setLock('pessimistic_write').where('i.id = :ideaId', { ideaId }).getOne();
    const members = idea ? await this.access.members(ideaId, m) : [];
    const invitation = members.find((x) => x.userId === actor.userId && !x.accepted);
    if (!idea || !invitation) throw ideaNotFound();
    return { idea, members, invitation };
  }

  private async inSubmittedTeam(m: EntityManager, idea: Idea, userId: string): Promise<boolean> {
    const latest = await m.getRepository(IdeaVersion).findOneBy({ ideaId: idea.id, version: idea.version });
    return !!latest?.memberIds.includes(userId);
  }

  /** Owner + accepted + pending never exceed maxTeamSize. */
  private assertRoom(competition: Competition, teamSize: number): void {
    if (teamSize > competition.maxTeamSize)
      throw new CompetitionsError('conflict', 'TEAM_FULL', `A team has at most ${competition.maxTeamSize} people, invitations included.`);
  }

  /** An under-13 without consent cannot be in a team (SPEC §2.1): nobody is invited into one, nobody joins it. */
  private async assertTeamConsented(m: EntityManager, members: IdeaMember[]): Promise<void> {
    const team = await this.people.facts(members.filter((x) => x.accepted).map((x) => x.userId), m);
    if ([...team.values()].some(consentMissing))
      throw new CompetitionsError('forbidden', 'CONSENT_REQUIRED', 'A parent or guardian must give consent before this team can take new members.');
  }

  /** An adult and an under-18 may share a team only if they share a class (SPEC §2.1). */
  private async assertAgesMix(m: EntityManager, person: PersonFacts, others: string[]): Promise<void> {
    const facts = await this.people.facts(others, m);
    for (const other of facts.values()) {
      const mixed = (person.ageBand === '18+') !== (other.ageBand === '18+');
      if (mixed && !(await this.classrooms.shareAClass(person.id, other.id, m)))
        throw new CompetitionsError('forbidden', 'MIXED_AGE_TEAM', 'Adults and under-18s can only team up with classmates.');
    }
  }
}

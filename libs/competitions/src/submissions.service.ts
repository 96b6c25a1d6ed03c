import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AuditService, Clock, OutboxService, londonDate, type FieldError } from '@app/platform';
import { PeopleDirectory, ageOn } from '@app/identity';
import { NotificationsService } from '@app/notifications';
import { competitionStatus, eligibilityDate } from './competition-status.js';
import { CompetitionsError } from './competitions.errors.js';
import { IdeaAccess, contentHash, type Actor, type IdeaView } from './idea-access.js';
import { Idea, IdeaVersion } from './idea.entity.js';
import { SubmissionSlots } from './submission-slots.js';

const REQUIRED = ['title', 'summary', 'problem', 'solution', 'audience', 'category'] as const;

/** Submitting (an immutable snapshot each time) and withdrawing, before the deadline (SPEC §2.3). */
@Injectable()
export class SubmissionsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly access: IdeaAccess,
    private readonly people: PeopleDirectory,
    private readonly slots: SubmissionSlots,
    private readonly notifications: NotificationsService,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly outbox: OutboxService,
  ) {}

  async submit(actor: Actor, ideaId: string): Promise<IdeaView> {
    return this.dataSource.transaction(async (m) => {
      const { idea, members } = await this.access.asMember(actor, ideaId, m);
      const competition = await this.access.competition(m, idea.competitionId);
      const now = this.clock.now();
      if (competitionStatus(competition, now) !== 'open')
        throw new CompetitionsError('conflict', 'COMPETITION_NOT_OPEN', 'Ideas can only be submitted while the competition is open.');
      if (idea.hidden) throw new CompetitionsError('conflict', 'IDEA_HIDDEN', 'This idea has been hidden by the organisers.');

      const missing: FieldError[] = REQUIRED.filter((f) => !idea[f]?.toString().trim()).map((f) => ({ field: f, message: `${f} is required to submit` }));
      if (missing.length) throw new CompetitionsError('invalid', 'IDEA_INCOMPLETE', 'Some parts of the idea are missing.', { errors: missing });

      const team = members.filter((x) => x.accepted).map((x) => x.userId);
      const facts = await this.people.facts(team, m);
      const names = await this.people.displayNames(team, m);
      const on = londonDate(eligibilityDate(competition));
      const unmet: FieldError[] = [];
      let consentNeeded = false;
      team.forEach((userId, i) => {
        const who = facts.get(userId)!;
        const field = `members[${i}]`;
        const age = who.dateOfBirth ? ageOn(who.dateOfBirth, on) : undefined;
        if (age === undefined || age < competition.minAge || age > competition.maxAge)
          unmet.push({ field, message: `${names[i]} must be ${competition.minAge}–${competition.maxAge} on ${on}` });
        if (!who.emailVerified) unmet.push({ field, message: `${names[i]} must verify their email address` });
        if (who.ageBand === 'U13' && who.consentStatus !== 'granted') {
          consentNeeded = true;
          unmet.push({ field, message: `${names[i]} needs a parent or guardian's consent` });
        }
      });
      if (unmet.length)
        throw new CompetitionsError('forbidden', consentNeeded ? 'CONSENT_REQUIRED' : 'REQUIREMENTS_NOT_MET', 'Not every requirement to submit is met.', {
          errors: unmet,
        });

      await this.slots.claim(m, idea, team);
      const version = idea.version + 1;
      const hash = contentHash(idea, team);
      await m.getRepository(IdeaVersion).insert({
        ideaId,
        version,
        content: { title: idea.title, summary: idea.summary, problem: idea.problem, solution: idea.solution, audience: idea.audience, category: idea.category, links: idea.links },
        contentHash: hash,
        memberIds: team,
        submittedBy: actor.userId,
        submittedAt: now,
      });
      Object.assign(idea, { status: 'submitted', version, submittedAt: now, submittedHash: hash });
      await m.getRepository(Idea).save(idea);
      for (const userId of team) {
        const who = facts.get(userId)!;
        await this.notifications.notify(m, {
          template: 'idea-submitted',
          userId,
          email: who.mailbox,
          inApp: true,
          data: { firstName: who.firstName, ideaTitle: idea.title, competitionTitle: competition.title, version },
        });
      }
      // Built-in badges (SPEC §2.5), awarded by the badges area exactly once per person: every submit
      // names the whole team, so members who joined since an earlier submit earn theirs too.
      const source = { competitionId: competition.id, ideaId };
      await this.outbox.add(m, 'awardBuiltInBadge', { badge: 'idea-maker', userIds: team, source });
      if (team.length >= 2) await this.outbox.add(m, 'awardBuiltInBadge', { badge: 'team-player', userIds: team, source });
      await this.audit.record({ action: 'idea.submitted', actorId: actor.userId, subjectType: 'idea', subjectId: ideaId, data: { version, contentHash: hash } }, m);
      return this.access.view(idea, members, m);
    });
  }

  async withdraw(actor: Actor, ideaId: string): Promise<IdeaView> {
    return this.dataSource.transaction(async (m) => {
      const { idea, members } = await this.access.asMember(actor, ideaId, m);
      this.access.assertBeforeDeadline(await this.access.competition(m, idea.competitionId));
      if (idea.status !== 'submitted') throw new CompetitionsError('conflict', 'NOT_SUBMITTED', 'Only a submitted idea can be withdrawn.');
      idea.status = 'withdrawn';
      await m.getRepository(Idea).save(idea);
      await this.slots.release(m, idea);
      await this.audit.record({ action: 'idea.withdrawn', actorId: actor.userId, subjectType: 'idea', subjectId: ideaId }, m);
      return this.access.view(idea, members, m);
    });
  }
}

import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AuditService, afterCursor, toPage, type Page } from '@app/platform';
import { PeopleDirectory } from '@app/identity';
import { NotificationsService } from '@app/notifications';
import { CompetitionsError } from './competitions.errors.js';
import { IdeaAccess, type Actor, type IdeaView } from './idea-access.js';
import { Idea, IdeaReport } from './idea.entity.js';

export interface ReportView {
  id: string;
  ideaId: string;
  ideaTitle: string;
  ideaHidden: boolean;
  reporterId: string;
  reason: string;
  createdAt: Date;
}

/** Reports by anyone who can see an idea; hiding and unhiding by organisers (audited, team told). */
@Injectable()
export class ModerationService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly access: IdeaAccess,
    private readonly people: PeopleDirectory,
    private readonly notifications: NotificationsService,
    private readonly audit: AuditService,
  ) {}

  async report(actor: Actor, ideaId: string, reason: string): Promise<{ id: string }> {
    await this.access.visible(actor, ideaId);
    const row = await this.dataSource.getRepository(IdeaReport).save(
      this.dataSource.getRepository(IdeaReport).create({ ideaId, reporterId: actor.userId, reason }),
    );
    await this.audit.record({ action: 'idea.reported', actorId: actor.userId, subjectType: 'idea', subjectId: ideaId });
    return { id: row.id };
  }

  async reports(limit: number, cursor?: string): Promise<Page<ReportView>> {
    const qb = this.dataSource.getRepository(IdeaReport).createQueryBuilder('r').innerJoinAndMapOne('r.idea', Idea, 'i', 'i.id = r.idea_id');
    afterCursor(qb, 'r', 'createdAt', cursor);
    const rows = await qb.orderBy('r.createdAt', 'DESC').addOrderBy('r.id', 'DESC').limit(limit + 1).getMany();
    return toPage(rows, limit, (r) => r.createdAt, (r) => ({
      id: r.id,
      ideaId: r.ideaId,
      ideaTitle: r.idea!.title,
      ideaHidden: r.idea!.hidden,
      reporterId: r.reporterId,
      reason: r.reason,
      createdAt: r.createdAt,
    }));
  }

  /** Hidden ideas leave judging and public lists; the team is told (without who reported it). */
  async setHidden(actor: Actor, ideaId: string, hidden: boolean, reason: string): Promise<IdeaView> {
    return this.dataSource.transaction(async (m) => {
      const { idea, members } = await this.access.visible(actor, ideaId, m, true);
      if (idea.hidden === hidden)
        throw new CompetitionsError('conflict', hidden ? 'ALREADY_HIDDEN' : 'NOT_HIDDEN', hidden ? 'The idea is already hidden.' : 'The idea is not hidden.');
      Object.assign(idea, { hidden, hiddenReason: hidden ? reason : null });
      await m.getRepository(Idea).save(idea);
      if (hidden) await m.query(`UPDATE idea_report SET resolved_at = now() WHERE idea_id = $1 AND resolved_at IS NULL`, [ideaId]);
      const team = members.filter((x) => x.accepted).map((x) => x.userId);
      const facts = await this.people.facts(team, m);
      for (const userId of team) {
        const who = facts.get(userId)!;
        await this.notifications.notify(m, {
          template: hidden ? 'idea-hidden' : 'idea-unhidden',
          userId,
          email: who.mailbox,
          inApp: true,
          data: { firstName: who.firstName, ideaTitle: idea.title, reason },
        });
      }
      await this.audit.record({ action: hidden ? 'idea.hidden' : 'idea.unhidden', actorId: actor.userId, subjectType: 'idea', subjectId: ideaId, data: { reason } }, m);
      return this.access.view(idea, members, m);
    });
  }
}

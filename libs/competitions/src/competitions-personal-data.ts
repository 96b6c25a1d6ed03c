import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import type { PersonalDataHolder } from '@app/platform';

/** The ideas a person is in (with every submitted version), invitations and reports they made. */
@Injectable()
export class CompetitionsPersonalData implements PersonalDataHolder {
  readonly section = 'ideas';

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async exportFor(userId: string) {
    const ideas: Record<string, unknown>[] = await this.dataSource.query(
      `SELECT i.id, i.competition_id AS "competitionId", c.title AS "competition", m.role, m.accepted, m.invited_at AS "invitedAt",
              i.title, i.summary, i.problem, i.solution, i.audience, i.category, i.links, i.status, i.outcome, i.version, i.submitted_at AS "submittedAt",
              coalesce((SELECT json_agg(json_build_object('version', v.version, 'content', v.content, 'submittedAt', v.submitted_at) ORDER BY v.version)
                          FROM idea_version v WHERE v.idea_id = i.id), '[]') AS versions
         FROM idea_member m JOIN idea i ON i.id = m.idea_id JOIN competition c ON c.id = i.competition_id
        WHERE m.user_id = $1 ORDER BY i.created_at`,
      [userId],
    );
    const reports = await this.dataSource.query(
      `SELECT idea_id AS "ideaId", reason, created_at AS "createdAt" FROM idea_report WHERE reporter_id = $1 ORDER BY created_at`,
      [userId],
    );
    return { ideas, reportsMade: reports };
  }

  /**
   * Pending invitations go, and drafts nobody else is in; every submitted idea stays (its team and
   * counts are the competition's record), the person shown as "Former entrant".
   */
  async forget(manager: EntityManager, userId: string): Promise<void> {
    await manager.query(`DELETE FROM idea_member WHERE user_id = $1 AND NOT accepted`, [userId]);
    await manager.query(
      `DELETE FROM idea i WHERE i.status = 'draft' AND i.version = 0
          AND EXISTS (SELECT 1 FROM idea_member m WHERE m.idea_id = i.id AND m.user_id = $1)
          AND NOT EXISTS (SELECT 1 FROM idea_member m WHERE m.idea_id = i.id AND m.user_id <> $1)`,
      [userId],
    );
    await manager.query(`UPDATE idea_report SET reason = '[removed]' WHERE reporter_id = $1`, [userId]);
  }
}

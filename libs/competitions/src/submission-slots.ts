import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { CompetitionsError } from './competitions.errors.js';
import type { Idea } from './idea.entity.js';

/** "A member of at most one submitted idea per competition", held by a primary key. */
@Injectable()
export class SubmissionSlots {
  async claim(m: EntityManager, idea: Idea, userIds: string[]): Promise<void> {
    if (!userIds.length) return;
    await m.query(
      `INSERT INTO submission_slot (competition_id, user_id, idea_id)
       SELECT $1, u, $2 FROM unnest($3::uuid[]) AS u
       ON CONFLICT (competition_id, user_id) DO NOTHING`,
      [idea.competitionId, idea.id, userIds],
    );
    const taken: { user_id: string }[] = await m.query(
      `SELECT user_id FROM submission_slot WHERE competition_id = $1 AND user_id = ANY($2::uuid[]) AND idea_id <> $3`,
      [idea.competitionId, userIds, idea.id],
    );
    if (taken.length)
      throw new CompetitionsError('conflict', 'ALREADY_IN_SUBMITTED_IDEA', 'A team member is already in another submitted idea of this competition.', {
        errors: taken.map((t) => ({ field: 'members', message: `member ${t.user_id} is in another submitted idea` })),
      });
  }

  async release(m: EntityManager, idea: Idea, userIds?: string[]): Promise<void> {
    await m.query(
      `DELETE FROM submission_slot WHERE idea_id = $1 AND ($2::uuid[] IS NULL OR user_id = ANY($2::uuid[]))`,
      [idea.id, userIds ?? null],
    );
  }
}

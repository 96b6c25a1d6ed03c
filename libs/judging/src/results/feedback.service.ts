import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AuditService, Clock, afterCursorSql, decodeCursor, encodeCursor, type Page } from '@app/platform';
import { IdeasService, type Actor } from '@app/competitions';
import { JudgingError, assignmentNotFound } from '../judging.errors.js';
import type { RubricCriterion } from '../tally/rubric.js';
import { PublicationService } from './publication.service.js';

export interface ReleasedFeedback {
  items: { roundKind: string; scores: Record<string, number>; feedback: string }[];
  released: boolean;
}

export interface FeedbackForReview {
  assignmentId: string;
  ideaId: string;
  alias: string;
  judgeId: string;
  scores: Record<string, number>;
  feedback: string;
  withheld: boolean;
  scoredAt: Date;
}

const scoresOf = (criteria: RubricCriterion[], values: number[]) => Object.fromEntries(criteria.map((c, i) => [c.key, values[i]]));

/**
 * Judges' feedback on its way to entrants (SPEC §2.1): organisers read it and may withhold a piece
 * before release (audited); after publication, members of an idea and their class teachers read
 * what was released — scores and words, never who wrote them.
 */
@Injectable()
export class FeedbackService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly ideas: IdeasService,
    private readonly publication: PublicationService,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  /** GET /ideas/:id/feedback (visibility as the idea's: members, their class teachers, organisers). */
  async forIdea(actor: Actor, ideaId: string): Promise<ReleasedFeedback> {
    const idea = await this.ideas.get(actor, ideaId);
    if (!(await this.publication.released(idea.competitionId))) return { items: [], released: false };
    const rows: { kind: string; criteria: RubricCriterion[]; scores: number[]; feedback: string }[] = await this.dataSource.query(
      `SELECT r.kind, r.criteria, a.scores, a.feedback
         FROM round_entry e
         JOIN judging_round r ON r.id = e.round_id AND r.competition_id = $2
         JOIN judge_assignment a ON a.round_id = e.round_id AND a.entry_idx = e.idx
        WHERE e.idea_id = $1 AND a.status = 'scored' AND a.feedback_withheld_at IS NULL
        ORDER BY r.number, a.id`,
      [ideaId, idea.competitionId],
    );
    return { released: true, items: rows.map((r) => ({ roundKind: r.kind, scores: scoresOf(r.criteria, r.scores), feedback: r.feedback })) };
  }

  /** GET /rounds/:id/feedback (organisers): every piece of feedback of a round, for review before release. */
  async forRound(roundId: string, limit: number, cursor?: string): Promise<Page<FeedbackForReview>> {
    const after = decodeCursor(cursor);
    const rows: {
      id: string;
      idea_id: string;
      alias: string;
      judge_id: string;
      criteria: RubricCriterion[];
      scores: number[];
      feedback: string;
      feedback_withheld_at: Date | null;
      scored_at: Date;
    }[] = await this.dataSource.query(
      `SELECT a.id, e.idea_id, e.alias, a.judge_id, r.criteria, a.scores, a.feedback, a.feedback_withheld_at, a.scored_at
         FROM judge_assignment a
         JOIN judging_round r ON r.id = a.round_id
         JOIN round_entry e ON e.round_id = a.round_id AND e.idx = a.entry_idx
        WHERE a.round_id = $1 AND a.status = 'scored'
          AND ${afterCursorSql('judge_assignment', 'a', 'scored_at', '$2', '$3')}
        ORDER BY a.scored_at DESC, a.id DESC LIMIT $4`,
      [roundId, after?.at ?? null, after?.id ?? null, limit + 1],
    );
    const more = rows.length > limit;
    const page = more ? rows.slice(0, limit) : rows;
    const last = page[page.length - 1];
    return {
      items: page.map((r) => ({
        assignmentId: r.id,
        ideaId: r.idea_id,
        alias: r.alias,
        judgeId: r.judge_id,
        scores: scoresOf(r.criteria, r.scores),
        feedback: r.feedback,
        withheld: r.feedback_withheld_at !== null,
        scoredAt: r.scored_at,
      })),
      nextCursor: more && last ? encodeCursor({ at: new Date(last.scored_at).toISOString(), id: last.id }) : null,
    };
  }

  /** Withholds (or, with `withheld: false`, restores) one piece of feedback before release. Audited with the reason. */
  async setWithheld(actorId: string, assignmentId: string, withheld: boolean, reason: string): Promise<void> {
    await this.dataSource.transaction(async (m) => {
      const [row]: { competition_id: string; status: string }[] = await m.query(
        `SELECT r.competition_id, a.status FROM judge_assignment a JOIN judging_round r ON r.id = a.round_id WHERE a.id = $1 FOR UPDATE OF a`,
        [assignmentId],
      );
      if (!row) throw assignmentNotFound();
      if (row.status !== 'scored') throw new JudgingError('conflict', 'NO_FEEDBACK', 'This assignment has no feedback.');
      if (await this.publication.released(row.competition_id, m))
        throw new JudgingError('conflict', 'FEEDBACK_RELEASED', 'Feedback has been released with the results: it can no longer be withheld.');
      await m.query(`UPDATE judge_assignment SET feedback_withheld_at = $2 WHERE id = $1`, [assignmentId, withheld ? this.clock.now() : null]);
      await this.audit.record(
        { action: withheld ? 'feedback.withheld' : 'feedback.restored', actorId, subjectType: 'assignment', subjectId: assignmentId, data: { reason: reason.trim() } },
        m,
      );
    });
  }
}

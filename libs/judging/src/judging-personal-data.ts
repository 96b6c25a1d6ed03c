import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import type { PersonalDataHolder } from '@app/platform';

/**
 * A judge's invitation, declared conflicts and the scores and feedback they gave; a payee named on a
 * funding award. Erasure keeps every score (the results stand) and the feedback already released to
 * entrants, which never named the judge.
 */
@Injectable()
export class JudgingPersonalData implements PersonalDataHolder {
  readonly section = 'judging';

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async exportFor(userId: string) {
    const [invitations, conflicts, ideaConflicts, scores, payeeOf] = await Promise.all([
      this.dataSource.query(
        `SELECT email, first_name AS "firstName", last_name AS "lastName", accepted_at AS "acceptedAt" FROM judge_invitation WHERE user_id = $1`,
        [userId],
      ),
      this.dataSource.query(`SELECT urns, organisations FROM judge_declared_conflicts WHERE judge_id = $1`, [userId]),
      this.dataSource.query(`SELECT idea_id AS "ideaId", reason FROM judge_idea_conflict WHERE judge_id = $1`, [userId]),
      this.dataSource.query(
        `SELECT a.round_id AS "roundId", e.alias, a.status, a.scores, a.feedback, a.scored_at AS "scoredAt", a.conflict_reason AS "conflictReason"
           FROM judge_assignment a JOIN round_entry e ON e.round_id = a.round_id AND e.idx = a.entry_idx
          WHERE a.judge_id = $1 ORDER BY a.round_id, e.alias`,
        [userId],
      ),
      this.dataSource.query(`SELECT id AS "awardId", payee FROM funding_award WHERE payee->>'userId' = $1`, [userId]),
    ]);
    return { invitations, declaredConflicts: conflicts[0] ?? null, ideaConflicts, scoresGiven: scores, payeeOf };
  }

  async forget(manager: EntityManager, userId: string): Promise<void> {
    await manager.query(`UPDATE judge_invitation SET email = 'erased', first_name = 'Former', last_name = 'judge' WHERE user_id = $1`, [userId]);
    await manager.query(`DELETE FROM judge_declared_conflicts WHERE judge_id = $1`, [userId]);
    await manager.query(`UPDATE judge_idea_conflict SET reason = '[removed]' WHERE judge_id = $1`, [userId]);
    await manager.query(`UPDATE judge_assignment SET conflict_reason = '[removed]' WHERE judge_id = $1 AND conflict_reason IS NOT NULL`, [userId]);
  }
}

import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { AuditService, Clock, afterCursorSql, decodeCursor, encodeCursor, type Page } from '@app/platform';
import { EntriesService } from '@app/competitions';
import { NotificationsService } from '@app/notifications';
import { PeopleDirectory } from '@app/identity';
import { pickReplacement } from '../assignment/replacement.js';
import { ConflictsService } from '../conflicts/conflicts.service.js';
import { JudgingError, assignmentNotFound, roundNotScoring } from '../judging.errors.js';
import type { RoundStats, RoundStatus } from '../rounds/round.entity.js';
import { scaleTotal, type RubricCriterion } from '../tally/rubric.js';
import type { AssignmentStatus } from './assignment.entity.js';
import { checkScore } from './score-rules.js';

/**
 * A judge's assignment as the judge sees it (SPEC §3): blind — the alias, the snapshot at the
 * deadline, the category and the lead entrant's age band; never a name, username, email, school,
 * region, the idea's id, or anyone else's score.
 */
export interface JudgeAssignmentView {
  id: string;
  roundId: string;
  roundStatus: RoundStatus;
  alias: string;
  status: AssignmentStatus;
  idea: { title: string; summary: string; problem: string; solution: string; audience: string; category: string | null; links: string[]; leadAgeBand: string };
  criteria: RubricCriterion[];
  score: { scores: Record<string, number>; feedback: string } | null;
}

interface AssignmentRow {
  id: string;
  round_id: string;
  entry_idx: number;
  judge_idx: number;
  judge_id: string;
  status: AssignmentStatus;
  scores: number[] | null;
  feedback: string | null;
  created_at: Date;
  alias: string;
  version_id: string;
  idea_id: string;
  lead_age_band: string;
  criteria: RubricCriterion[];
  round_status: RoundStatus;
  competition_id: string;
  seed: string | null;
  round_name: string;
}

const SELECT_ASSIGNMENT = `
  SELECT a.id, a.round_id, a.entry_idx, a.judge_idx, a.judge_id, a.status, a.scores, a.feedback, a.created_at,
         e.alias, e.version_id, e.idea_id, e.lead_age_band,
         r.criteria, r.status AS round_status, r.competition_id, r.seed, r.name AS round_name
    FROM judge_assignment a
    JOIN round_entry e ON e.round_id = a.round_id AND e.idx = a.entry_idx
    JOIN judging_round r ON r.id = a.round_id`;

/** Blind scoring by judges (SPEC §2.4): the queue, one assignment, saving a score, declaring a conflict. */
@Injectable()
export class ScoringService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly entries: EntriesService,
    private readonly conflicts: ConflictsService,
    private readonly people: PeopleDirectory,
    private readonly notifications: NotificationsService,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  /** My assignments, newest first (optionally of one round, or of one status); hidden ideas have left judging. */
  async queue(judgeId: string, filter: { roundId?: string; status?: AssignmentStatus; limit: number; cursor?: string }): Promise<Page<JudgeAssignmentView>> {
    const after = decodeCursor(filter.cursor);
    const competitions: { competition_id: string }[] = await this.dataSource.query(
      `SELECT DISTINCT r.competition_id FROM round_judge j JOIN judging_round r ON r.id = j.round_id WHERE j.judge_id = $1`,
      [judgeId],
    );
    const hidden = await this.entries.hidden(competitions.map((c) => c.competition_id));
    const rows: AssignmentRow[] = await this.dataSource.query(
      `${SELECT_ASSIGNMENT}
        WHERE a.judge_id = $1 AND ($2::uuid IS NULL OR a.round_id = $2) AND ($3::text IS NULL OR a.status = $3)
          AND ${afterCursorSql('judge_assignment', 'a', 'created_at', '$4', '$5')}
          AND NOT (e.idea_id = ANY($7::uuid[]))
        ORDER BY a.created_at DESC, a.id DESC
        LIMIT $6`,
      [judgeId, filter.roundId ?? null, filter.status ?? null, after?.at ?? null, after?.id ?? null, filter.limit + 1, hidden],
    );
    const more = rows.length > filter.limit;
    const page = more ? rows.slice(0, filter.limit) : rows;
    const last = page[page.length - 1];
    return {
      items: await this.views(page),
      nextCursor: more && last ? encodeCursor({ at: new Date(last.created_at).toISOString(), id: last.id }) : null,
    };
  }

  /** 404 unless the assignment is the judge's (see `mine`), for a guard deciding before the body is read. */
  async assertOwn(judgeId: string, assignmentId: string): Promise<void> {
    await this.mine(this.dataSource.manager, judgeId, assignmentId);
  }

  async get(judgeId: string, assignmentId: string): Promise<JudgeAssignmentView> {
    const row = await this.mine(this.dataSource.manager, judgeId, assignmentId);
    return (await this.views([row]))[0];
  }

  /**
   * PUT /judge/assignments/:id/score: editable until the round closes. Another judge's assignment →
   * 404; outside `scoring` → 409; then the score's content (400 listing every problem).
   */
  async score(judgeId: string, assignmentId: string, input: { scores: Record<string, unknown>; feedback: string }): Promise<JudgeAssignmentView> {
    return this.dataSource.transaction(async (m) => {
      const row = await this.mine(m, judgeId, assignmentId, true);
      if (row.round_status !== 'scoring') throw roundNotScoring();
      if (row.status === 'conflicted') throw new JudgingError('conflict', 'ASSIGNMENT_CONFLICTED', 'You declared a conflict on this assignment.');
      const { values, errors } = checkScore(input.scores, input.feedback, row.criteria);
      if (errors.length) throw JudgingError.invalidFields(errors);
      const total = scaleTotal(Object.fromEntries(row.criteria.map((c, i) => [c.key, values[i]])), row.criteria);
      const feedback = input.feedback.trim();
      await m.query(
        `UPDATE judge_assignment SET status = 'scored', scores = $2::smallint[], total = $3, feedback = $4, scored_at = $5 WHERE id = $1`,
        [assignmentId, values, total, feedback, this.clock.now()],
      );
      await this.audit.record({ action: 'score.saved', actorId: judgeId, subjectType: 'assignment', subjectId: assignmentId, data: { roundId: row.round_id } }, m);
      return (await this.views([{ ...row, status: 'scored', scores: values, feedback }], m))[0];
    });
  }

  /**
   * POST /judge/assignments/:id/conflict: the judge steps aside (their score, if any, no longer
   * counts); the conflict binds every later round of the competition, and the entry goes to the
   * least-loaded eligible judge of the pool (ties broken by a seed of the round and the assignment,
   * so the same declaration always picks the same judge). With nobody eligible the entry keeps
   * fewer judges and is listed in the round's unassignable ideas.
   */
  async declareConflict(judgeId: string, assignmentId: string, reason: string): Promise<void> {
    await this.dataSource.transaction(async (m) => {
      const row = await this.mine(m, judgeId, assignmentId);
      // Reassignments of a round are serialised: loads must not move under a pick.
      await m.query(`SELECT id FROM judging_round WHERE id = $1 FOR UPDATE`, [row.round_id]);
      const current = await this.mine(m, judgeId, assignmentId, true);
      if (current.round_status !== 'scoring') throw roundNotScoring();
      if (current.status === 'conflicted') throw new JudgingError('conflict', 'ALREADY_CONFLICTED', 'You have already declared a conflict on this assignment.');
      const now = this.clock.now();
      await m.query(
        `UPDATE judge_assignment SET status = 'conflicted', conflict_reason = $2, conflicted_at = $3, scores = NULL, total = NULL, feedback = NULL, scored_at = NULL WHERE id = $1`,
        [assignmentId, reason.trim(), now],
      );
      await m.query(
        `INSERT INTO judge_idea_conflict (competition_id, idea_id, judge_id, round_id, reason) VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING`,
        [current.competition_id, current.idea_id, judgeId, current.round_id, reason.trim()],
      );
      await m.query(`UPDATE round_judge SET load = load - 1 WHERE round_id = $1 AND idx = $2`, [current.round_id, current.judge_idx]);
      const replacement = await this.reassign(m, current);
      await this.audit.record(
        {
          action: 'assignment.conflict_declared',
          actorId: judgeId,
          subjectType: 'assignment',
          subjectId: assignmentId,
          data: { roundId: current.round_id, reassignedTo: replacement?.assignmentId ?? null },
        },
        m,
      );
    });
  }

  private async reassign(m: EntityManager, row: AssignmentRow): Promise<{ assignmentId: string; judgeId: string } | null> {
    const pool: { idx: number; judge_id: string; load: number }[] = await m.query(
      `SELECT idx, judge_id, load FROM round_judge WHERE round_id = $1 ORDER BY idx`,
      [row.round_id],
    );
    const onIdea: { judge_idx: number }[] = await m.query(`SELECT judge_idx FROM judge_assignment WHERE round_id = $1 AND entry_idx = $2`, [row.round_id, row.entry_idx]);
    const conflicted: number[] = [];
    const snapshot = (await this.entries.snapshots([row.version_id], m)).get(row.version_id);
    const poolConflicts = await this.conflicts.forPool(pool.map((p) => p.judge_id), m);
    poolConflicts.forTeam(snapshot?.memberIds ?? [], (j) => conflicted.push(j));
    const declared: { idx: number }[] = await m.query(
      `SELECT j.idx FROM judge_idea_conflict c JOIN round_judge j ON j.round_id = $1 AND j.judge_id = c.judge_id
        WHERE c.competition_id = $2 AND c.idea_id = $3`,
      [row.round_id, row.competition_id, row.idea_id],
    );
    for (const d of declared) conflicted.push(d.idx);
    // Someone who no longer holds the judge role (an account corrected to under 18, say) takes no new work.
    const judging = await this.people.withRole(
      pool.map((p) => p.judge_id),
      'judge',
      m,
    );
    for (const p of pool) if (!judging.has(p.judge_id)) conflicted.push(p.idx);
    const pick = pickReplacement({
      judges: pool.map((p) => p.idx),
      loads: pool.map((p) => p.load),
      onIdea: onIdea.map((o) => o.judge_idx),
      conflicted,
      seed: `${row.seed}:${row.id}`,
    });
    if (pick < 0) {
      await m.query(
        `UPDATE judging_round SET stats = jsonb_set(stats, '{unassignable}', (stats->'unassignable') || to_jsonb($2::text))
          WHERE id = $1 AND stats IS NOT NULL AND NOT (stats->'unassignable') ? $2`,
        [row.round_id, row.idea_id],
      );
      return null;
    }
    const judgeId = pool[pick].judge_id;
    const [{ id }] = await m.query(
      `INSERT INTO judge_assignment (round_id, entry_idx, judge_idx, judge_id) VALUES ($1, $2, $3, $4) RETURNING id`,
      [row.round_id, row.entry_idx, pick, judgeId],
    );
    await m.query(`UPDATE round_judge SET load = load + 1 WHERE round_id = $1 AND idx = $2`, [row.round_id, pick]);
    await this.refreshLoadStats(m, row.round_id);
    const who = (await this.people.contacts([judgeId], m)).get(judgeId);
    if (who)
      await this.notifications.notify(m, {
        template: 'assignments-ready',
        userId: judgeId,
        email: who.email,
        inApp: true,
        data: { firstName: who.firstName, roundName: row.round_name, count: 1, reassigned: true },
      });
    return { assignmentId: id, judgeId };
  }

  private async refreshLoadStats(m: EntityManager, roundId: string): Promise<void> {
    const [loads]: { min: number; max: number }[] = await m.query(`SELECT min(load)::int AS min, max(load)::int AS max FROM round_judge WHERE round_id = $1`, [roundId]);
    const patch: Partial<RoundStats> = { loadMin: loads.min, loadMax: loads.max };
    await m.query(`UPDATE judging_round SET stats = stats || $2::jsonb WHERE id = $1 AND stats IS NOT NULL`, [roundId, JSON.stringify(patch)]);
  }

  /**
   * The assignment if it is the judge's; anyone else's (or none) → 404, as if it did not exist; so is
   * one whose idea an organiser has hidden (it has left judging, until unhidden).
   */
  private async mine(m: EntityManager, judgeId: string, assignmentId: string, lock = false): Promise<AssignmentRow> {
    const [row]: AssignmentRow[] = await m.query(`${SELECT_ASSIGNMENT} WHERE a.id = $1 AND a.judge_id = $2 ${lock ? 'FOR UPDATE OF a' : ''}`, [assignmentId, judgeId]);
    if (!row || (await this.entries.hidden([row.competition_id], m)).includes(row.idea_id)) throw assignmentNotFound();
    return row;
  }

  private async views(rows: AssignmentRow[], m: EntityManager = this.dataSource.manager): Promise<JudgeAssignmentView[]> {
    const snapshots = await this.entries.snapshots(rows.map((r) => r.version_id), m);
    return rows.map((r) => {
      const s = snapshots.get(r.version_id);
      return {
        id: r.id,
        roundId: r.round_id,
        roundStatus: r.round_status,
        alias: r.alias,
        status: r.status,
        idea: {
          title: s?.title ?? '',
          summary: s?.summary ?? '',
          problem: s?.problem ?? '',
          solution: s?.solution ?? '',
          audience: s?.audience ?? '',
          category: s?.category ?? null,
          links: s?.links ?? [],
          leadAgeBand: r.lead_age_band,
        },
        criteria: r.criteria,
        score: r.status === 'scored' && r.scores ? { scores: Object.fromEntries(r.criteria.map((c, i) => [c.key, r.scores![i]])), feedback: r.feedback ?? '' } : null,
      };
    });
  }
}

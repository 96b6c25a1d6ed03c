import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { AuditService, Clock, OutboxService, UUID, copyFrom, copyLines, copyTo, loadPartition, readIntRow } from '@app/platform';
import { EntriesService } from '@app/competitions';
import { IntList } from '../int-list.js';
import { PhaseTimer } from '../phase-timer.js';
import { Round } from '../rounds/round.entity.js';
import { RoundsService } from '../rounds/rounds.service.js';
import { fitAdditiveModel } from '../tally/additive-model.js';
import { markOutcomes, rankIdeas } from '../tally/rank.js';
import { scaleTotals } from '../tally/rubric.js';

export type TallyOutcome =
  | { skipped: string }
  | { ideas: number; scores: number; judges: number; iterations: number; converged: boolean; outcomes: number; ms: number; phases: Record<string, number> };

const BADGE_BATCH = 1000;

/** The scores of a round as typed arrays, read with one COPY (no row objects, no entities). */
export interface RoundScores {
  ideaCount: number;
  judgeCount: number;
  ideaIndex: Int32Array;
  judgeIndex: Int32Array;
  /** criteria values, row r at r·C … r·C + C − 1, in rubric order */
  values: Int32Array;
  /** Assignments still held (open or scored) per entry: a final's expected judges per idea. */
  heldPerIdea: Int32Array;
  openPerJudge: Int32Array;
}

/**
 * The tally job (SPEC §2.4), in one transaction: scores read by COPY into typed arrays, scaled to
 * 0–100 (scaleTotals), the additive model fitted over the whole round (fitAdditiveModel), ideas
 * ranked (rankIdeas: adjusted, raw mean, judges, earlier submission, then entry index — which is
 * idea id order) and outcomes marked (markOutcomes); results COPYed back, judges' severities stored
 * in one statement, `judge` badges emitted for judges who scored every assignment they held.
 */
@Injectable()
export class TallyService {
  private readonly logger = new Logger(TallyService.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly rounds: RoundsService,
    private readonly entries: EntriesService,
    private readonly outbox: OutboxService,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  async run(roundId: string, progress: (percent: number) => Promise<void> = async () => {}): Promise<TallyOutcome> {
    const timer = new PhaseTimer();
    return this.dataSource.transaction(async (m) => {
      const round = await this.rounds.find(roundId, m, true);
      if (round.status !== 'closed') return { skipped: `the round is ${round.status}` };
      const competition = await this.rounds.competitionOf(round, m);
      const lap = (name: string) => timer.lap(name);
      const scores = await this.readScores(m, round, await this.hiddenEntries(m, round));
      lap('readScores');
      await progress(30);
      const totals = scaleTotals(scores.values, round.criteria);
      const fit = fitAdditiveModel(
        { ideaCount: scores.ideaCount, judgeCount: scores.judgeCount, ideaIndex: scores.ideaIndex, judgeIndex: scores.judgeIndex, total: totals },
        { judgesPerIdea: round.kind === 'final' ? scores.heldPerIdea : round.judgesPerIdea },
      );
      lap('fit');
      await progress(55);
      const submittedAt = await this.submissionTimes(m, round.id, scores.ideaCount);
      const ranking = rankIdeas({ adjusted: fit.ideas.adjusted, rawMean: fit.ideas.rawMean, judgeCount: fit.ideas.judgeCount, submittedAt });
      const outcomes = markOutcomes(
        ranking,
        fit.ideas.judgeCount,
        round.kind === 'screening' ? { kind: 'screening', shortlistSize: round.shortlistSize } : { kind: 'final', prizeCount: competition.prizeCount },
      );
      lap('rank');
      await progress(65);

      const { adjusted, rawMean, judgeCount, disagreement, flags } = fit.ideas;
      const num = (x: number) => (Number.isFinite(x) ? String(x) : '\\N');
      // The round's own partition, filled then indexed (see loadPartition).
      await loadPartition(m, { parent: 'round_result', column: 'round_id', key: round.id }, (table) =>
        copyFrom(
          m,
          `COPY ${table} (round_id, entry_idx, rank, adjusted, raw_mean, judge_count, disagreement, flags, computed_outcome, outcome) FROM STDIN`,
          copyLines(scores.ideaCount, (p) => {
            const i = ranking.order[p];
            const outcome = outcomes[i] ?? '\\N';
            return `${round.id}\t${i}\t${p + 1}\t${num(adjusted[i])}\t${num(rawMean[i])}\t${judgeCount[i]}\t${num(disagreement[i])}\t${flags[i]}\t${outcome}\t${outcome}`;
          }),
        ),
      );
      lap('writeResults');
      await progress(90);
      await m.query(
        `UPDATE round_judge SET severity = x.severity, score_count = x.score_count
           FROM unnest($2::int[], $3::float8[], $4::int[]) AS x(idx, severity, score_count)
          WHERE round_judge.round_id = $1 AND round_judge.idx = x.idx`,
        [round.id, Array.from({ length: scores.judgeCount }, (_, j) => j), Array.from(fit.judges.severity), Array.from(fit.judges.scoreCount)],
      );
      const chosen = outcomes.filter((o) => o !== null).length;
      await m.getRepository(Round).update(
        { id: round.id },
        { status: 'tallied', talliedAt: this.clock.now(), tally: { iterations: fit.iterations, converged: fit.converged, scores: totals.length } },
      );
      await this.awardJudgeBadges(m, round, scores, fit.judges.scoreCount);
      await this.audit.record(
        { action: 'round.tallied', actorId: null, subjectType: 'round', subjectId: round.id, data: { scores: totals.length, iterations: fit.iterations, converged: fit.converged } },
        m,
      );
      lap('severitiesBadgesAudit');
      const ms = timer.totalMs;
      const phases = timer.phases;
      this.logger.log({ roundId, ideas: scores.ideaCount, scores: totals.length, iterations: fit.iterations, ms, phases }, 'round tallied');
      return { ideas: scores.ideaCount, scores: totals.length, judges: scores.judgeCount, iterations: fit.iterations, converged: fit.converged, outcomes: chosen, ms, phases };
    });
  }

  /** Entries hidden by an organiser since the round was assigned: they leave judging (no scores, no outcome). */
  private async hiddenEntries(m: EntityManager, round: Round): Promise<Uint8Array | null> {
    const ideaIds = await this.entries.hidden([round.competitionId], m);
    if (!ideaIds.length) return null;
    const rows: { idx: number }[] = await m.query(`SELECT idx FROM round_entry WHERE round_id = $1 AND idea_id = ANY($2::uuid[])`, [round.id, ideaIds]);
    if (!rows.length) return null;
    const [{ n }] = await m.query(`SELECT count(*)::int AS n FROM round_entry WHERE round_id = $1`, [round.id]);
    const hidden = new Uint8Array(n);
    for (const r of rows) hidden[r.idx] = 1;
    return hidden;
  }

  /** Every held assignment of the round in one COPY: scored ones become score rows (except for hidden entries). */
  async readScores(m: EntityManager, round: Round, hidden: Uint8Array | null = null): Promise<RoundScores> {
    if (!UUID.test(round.id)) throw new Error('round id is not a UUID');
    const [{ ideas, judges }] = await m.query(
      `SELECT (SELECT count(*)::int FROM round_entry WHERE round_id = $1) AS ideas, (SELECT count(*)::int FROM round_judge WHERE round_id = $1) AS judges`,
      [round.id],
    );
    const width = round.criteria.length;
    const capacity = round.stats?.assignments ?? 1024;
    const ideaIndex = new IntList(capacity);
    const judgeIndex = new IntList(capacity);
    const values = new IntList(capacity * width);
    const heldPerIdea = new Int32Array(ideas);
    const openPerJudge = new Int32Array(judges);
    const row = new Int32Array(3 + width);
    const columns = round.criteria.map((_, c) => `scores[${c + 1}]`).join(', ');
    // COPY takes no parameters: the id is checked to be a UUID above.
    await copyTo(
      m,
      `COPY (SELECT entry_idx, judge_idx, (status = 'scored')::int, ${columns} FROM judge_assignment
              WHERE round_id = '${round.id}' AND status <> 'conflicted') TO STDOUT`,
      (line) => {
        readIntRow(line, row);
        heldPerIdea[row[0]]++;
        // A hidden entry left judging: neither its scores nor its open assignments count.
        if (hidden?.[row[0]]) return;
        if (row[2] === 0) {
          openPerJudge[row[1]]++;
          return;
        }
        ideaIndex.push(row[0]);
        judgeIndex.push(row[1]);
        for (let c = 0; c < width; c++) values.push(row[3 + c]);
      },
    );
    return {
      ideaCount: ideas,
      judgeCount: judges,
      ideaIndex: ideaIndex.view(),
      judgeIndex: judgeIndex.view(),
      values: values.view(),
      heldPerIdea,
      openPerJudge,
    };
  }

  private async submissionTimes(m: EntityManager, roundId: string, ideaCount: number): Promise<Float64Array> {
    const times = new Float64Array(ideaCount);
    const row = new Float64Array(2);
    await copyTo(m, `COPY (SELECT idx, (extract(epoch FROM submitted_at) * 1000)::bigint FROM round_entry WHERE round_id = '${roundId}') TO STDOUT`, (line) => {
      readIntRow(line, row);
      times[row[0]] = row[1];
    });
    return times;
  }

  /** SPEC §2.5: the `judge` badge for every judge who scored every assignment they held in the round. */
  private async awardJudgeBadges(m: EntityManager, round: Round, scores: RoundScores, scoreCount: Int32Array): Promise<void> {
    const done: number[] = [];
    for (let j = 0; j < scores.judgeCount; j++) if (scoreCount[j] > 0 && scores.openPerJudge[j] === 0) done.push(j);
    if (!done.length) return;
    const rows: { judge_id: string }[] = await m.query(`SELECT judge_id FROM round_judge WHERE round_id = $1 AND idx = ANY($2::int[]) ORDER BY idx`, [round.id, done]);
    const userIds = rows.map((r) => r.judge_id);
    const batches = [];
    for (let from = 0; from < userIds.length; from += BADGE_BATCH)
      batches.push({ badge: 'judge' as const, userIds: userIds.slice(from, from + BADGE_BATCH), source: { competitionId: round.competitionId, roundId: round.id } });
    await this.outbox.addMany(m, 'awardBuiltInBadge', batches);
  }
}

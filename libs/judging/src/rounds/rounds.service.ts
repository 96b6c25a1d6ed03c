import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { DataSource, MoreThan, type EntityManager } from 'typeorm';
import { AuditService, Clock, JobStatusService, decodeCursor, toPage, type FieldError, type Page } from '@app/platform';
import { PeopleDirectory } from '@app/identity';
import { CompetitionsService, EntriesService, type CompetitionView } from '@app/competitions';
import { JudgingError, roundNotFound, wrongRoundStatus } from '../judging.errors.js';
import { JudgingQueue } from '../judging.queue.js';
import { DEFAULT_RUBRIC, validateRubric, type RubricCriterion } from '../tally/rubric.js';
import { flagNames, type TallyFlagName } from '../tally/additive-model.js';
import { roundScore } from '../tally/rank.js';
import { Round, type OutcomeOverride, type RoundKind, type RoundOutcomeName, type RoundStats, type RoundStatus } from './round.entity.js';

export interface RoundInput {
  kind: RoundKind;
  name: string;
  judgesPerIdea?: number;
  shortlistSize?: number;
  criteria?: RubricCriterion[];
  judgeIds?: string[];
}

export interface RoundView {
  id: string;
  competitionId: string;
  number: number;
  kind: RoundKind;
  name: string;
  status: RoundStatus;
  judgesPerIdea: number;
  shortlistSize: number;
  criteria: RubricCriterion[];
  seed: string | null;
  previousRoundId: string | null;
  judgeCount: number;
  stats: RoundStats;
  overrides: OutcomeOverride[];
  createdAt: Date;
  scoringStartedAt: Date | null;
  closedAt: Date | null;
  talliedAt: Date | null;
  confirmedAt: Date | null;
}

export interface ResultItem {
  rank: number;
  ideaId: string;
  alias: string;
  adjustedScore: number | null;
  rawMean: number | null;
  judgeCount: number;
  disagreement: number;
  flags: TallyFlagName[];
  outcome: RoundOutcomeName | null;
  computedOutcome: RoundOutcomeName | null;
}

export interface JudgeSeverity {
  judgeId: string;
  severity: number | null;
  scoreCount: number;
}

const EMPTY_STATS: RoundStats = { ideas: 0, assignments: 0, unassignable: [], loadMin: 0, loadMax: 0 };
const ORGANISER = { roles: ['organiser'] };
const RESULT_BATCH = 5000;
const CRITERION_KEY = /^[a-z][a-zA-Z0-9_]{0,31}$/;

/** Rounds of a competition (SPEC §2.4): creation, the state machine, confirmation and results. */
@Injectable()
export class RoundsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly competitions: CompetitionsService,
    private readonly entries: EntriesService,
    private readonly people: PeopleDirectory,
    private readonly queue: JudgingQueue,
    private readonly jobs: JobStatusService,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  async create(actorId: string, competitionId: string, input: RoundInput): Promise<RoundView> {
    const competition = await this.competitions.get(competitionId, ORGANISER);
    if (competition.status === 'results') throw new JudgingError('conflict', 'RESULTS_PUBLISHED', 'The results of this competition are published.');
    if (competition.status !== 'closed' && competition.status !== 'judging')
      throw new JudgingError('conflict', 'COMPETITION_NOT_CLOSED', 'Judging starts after the competition has closed.');
    const criteria = input.criteria ?? DEFAULT_RUBRIC.map((c) => ({ ...c }));
    const errors = criteriaErrors(criteria);
    const judgesPerIdea = input.judgesPerIdea ?? 3;
    const shortlistSize = input.shortlistSize ?? 20;
    const judgeIds = input.judgeIds ? [...new Set(input.judgeIds)] : await this.people.idsWithRole('judge');
    if (input.judgeIds) {
      const judges = await this.people.withRole(judgeIds, 'judge');
      input.judgeIds.forEach((id, i) => {
        if (!judges.has(id)) errors.push({ field: `judgeIds[${i}]`, message: 'not an active judge' });
      });
    }
    if (!judgeIds.length) errors.push({ field: 'judgeIds', message: 'a round needs at least one judge' });
    else if (!errors.some((e) => e.field.startsWith('judgeIds')) && input.kind === 'screening' && judgeIds.length < judgesPerIdea)
      errors.push({ field: 'judgeIds', message: `a screening round needs at least judgesPerIdea (${judgesPerIdea}) judges` });
    if (errors.length) throw JudgingError.invalidFields(errors);

    return this.dataSource.transaction(async (m) => {
      // One round at a time per competition: creations are serialised on the competition.
      await m.query(`SELECT pg_advisory_xact_lock(hashtext($1))`, [`judging_round:${competitionId}`]);
      const rounds = await m.getRepository(Round).find({ where: { competitionId }, order: { number: 'ASC' } });
      const last = rounds[rounds.length - 1];
      if (last && last.status !== 'tallied' && last.status !== 'confirmed')
        throw new JudgingError('conflict', 'ROUND_IN_PROGRESS', `Round ${last.number} must be tallied before the next round starts.`);
      if (rounds.some((r) => r.kind === 'final')) throw new JudgingError('conflict', 'FINAL_EXISTS', 'The final round has already been created.');
      if (input.kind === 'screening' && rounds.length)
        throw new JudgingError('conflict', 'SCREENING_EXISTS', 'A screening round covers every entry: a competition has one, as its first round.');
      const sortedJudges = [...judgeIds].sort();
      const round = await m.getRepository(Round).save(
        m.getRepository(Round).create({
          competitionId,
          number: rounds.length + 1,
          kind: input.kind,
          name: input.name.trim(),
          judgesPerIdea,
          shortlistSize,
          criteria,
          previousRoundId: input.kind === 'final' ? (last?.id ?? null) : null,
          createdBy: actorId,
        }),
      );
      await m.query(
        `INSERT INTO round_judge (round_id, idx, judge_id) SELECT $1, n - 1, id FROM unnest($2::uuid[]) WITH ORDINALITY AS x(id, n)`,
        [round.id, sortedJudges],
      );
      // The first round moves the competition to `judging`.
      await this.competitions.mark(m, competitionId, 'judgingStartedAt');
      await this.audit.record(
        { action: 'round.created', actorId, subjectType: 'round', subjectId: round.id, data: { competitionId, kind: input.kind, judges: sortedJudges.length } },
        m,
      );
      return this.view(round, sortedJudges.length);
    });
  }

  /** A competition's rounds in their order (the cursor names the last round of the previous page). */
  async list(competitionId: string, limit: number, cursor?: string): Promise<Page<RoundView>> {
    await this.competitions.get(competitionId, ORGANISER);
    const after = decodeCursor(cursor);
    const from = after ? ((await this.dataSource.getRepository(Round).findOneBy({ id: after.id, competitionId }))?.number ?? Infinity) : 0;
    const rounds = await this.dataSource.getRepository(Round).find({ where: { competitionId, number: MoreThan(from) }, order: { number: 'ASC' }, take: limit + 1 });
    const counts = await this.judgeCounts(rounds.map((r) => r.id));
    return toPage(rounds, limit, (r) => r.createdAt, (r) => this.view(r, counts.get(r.id) ?? 0));
  }

  async get(roundId: string): Promise<RoundView> {
    const round = await this.find(roundId);
    return this.view(round, (await this.judgeCounts([roundId])).get(roundId) ?? 0);
  }

  async find(roundId: string, manager: EntityManager = this.dataSource.manager, lock = false): Promise<Round> {
    const round = await manager.getRepository(Round).findOne({ where: { id: roundId }, ...(lock ? { lock: { mode: 'pessimistic_write' as const } } : {}) });
    if (!round) throw roundNotFound();
    return round;
  }

  /** POST /rounds/:id/assign: setup → assigning, the job queued with the seed it will use. */
  async requestAssignment(actorId: string, roundId: string, seed?: string): Promise<{ jobId: string }> {
    return this.dataSource.transaction(async (m) => {
      const round = await this.find(roundId, m, true);
      if (round.status !== 'setup') throw wrongRoundStatus(round.status, ['setup']);
      const jobId = await this.queue.assign(m, roundId, actorId);
      await m.getRepository(Round).update({ id: roundId }, { status: 'assigning', seed: seed ?? round.seed ?? randomUUID(), assignJobId: jobId });
      await this.audit.record({ action: 'round.assignment_requested', actorId, subjectType: 'round', subjectId: roundId, data: { jobId } }, m);
      return { jobId };
    });
  }

  /** The assignment job gave up: back to setup, so an organiser can try again (the seed is kept). */
  async assignmentFailed(roundId: string): Promise<void> {
    await this.dataSource.query(`UPDATE judging_round SET status = 'setup' WHERE id = $1 AND status = 'assigning'`, [roundId]);
  }

  /**
   * POST /rounds/:id/close: scoring → closed, the tally queued. Scores can no longer change. On a closed
   * round it answers the tally in flight, or queues a new one when that job failed for good or is gone
   * (its retries spent, say): the organiser's way out without an operator.
   */
  async close(actorId: string, roundId: string): Promise<{ jobId: string }> {
    return this.dataSource.transaction(async (m) => {
      const round = await this.find(roundId, m, true);
      if (round.status === 'closed') {
        const job = round.tallyJobId ? await this.jobs.find(round.tallyJobId, m) : null;
        if (job && job.state !== 'failed') return { jobId: job.id };
        const jobId = await this.queue.tally(m, roundId, actorId);
        await m.getRepository(Round).update({ id: roundId }, { tallyJobId: jobId });
        await this.audit.record({ action: 'round.tally_requeued', actorId, subjectType: 'round', subjectId: roundId, data: { jobId, failedJobId: round.tallyJobId } }, m);
        return { jobId };
      }
      if (round.status !== 'scoring') throw wrongRoundStatus(round.status, ['scoring', 'closed']);
      const jobId = await this.queue.tally(m, roundId, actorId);
      await m.getRepository(Round).update({ id: roundId }, { status: 'closed', closedAt: this.clock.now(), tallyJobId: jobId });
      await this.audit.record({ action: 'round.closed', actorId, subjectType: 'round', subjectId: roundId, data: { jobId } }, m);
      return { jobId };
    });
  }

  /**
   * POST /rounds/:id/confirm: an organiser confirms a tallied round's outcome, overriding some with a
   * reason each (an ineligible winner, say). Audited; the computed outcome stays on record beside it.
   * What stands must make sense, since publication pays it: no more winners than prizes (shortlisted
   * than shortlist places), none hidden since the tally, none without a score — else 409 listing each.
   */
  async confirm(actorId: string, roundId: string, overrides: OutcomeOverride[]): Promise<RoundView> {
    return this.dataSource.transaction(async (m) => {
      const round = await this.find(roundId, m, true);
      if (round.status !== 'tallied') throw wrongRoundStatus(round.status, ['tallied']);
      const later = await m.getRepository(Round).exists({ where: { competitionId: round.competitionId, number: round.number + 1 } });
      if (later) throw new JudgingError('conflict', 'ROUND_SUPERSEDED', 'A later round has started from this round’s results.');
      const allowed: (RoundOutcomeName | null)[] = round.kind === 'final' ? ['winner', null] : ['shortlisted', null];
      const errors: FieldError[] = [];
      const seen = new Set<string>();
      const ids = overrides.map((o) => o.ideaId);
      const entries: { idea_id: string; idx: number }[] = ids.length
        ? await m.query(`SELECT idea_id, idx FROM round_entry WHERE round_id = $1 AND idea_id = ANY($2::uuid[])`, [roundId, ids])
        : [];
      const idxOf = new Map(entries.map((e) => [e.idea_id, e.idx]));
      overrides.forEach((o, i) => {
        if (!idxOf.has(o.ideaId)) errors.push({ field: `overrides[${i}].ideaId`, message: 'not an idea of this round' });
        if (seen.has(o.ideaId)) errors.push({ field: `overrides[${i}].ideaId`, message: 'listed twice' });
        seen.add(o.ideaId);
        if (!allowed.includes(o.outcome)) errors.push({ field: `overrides[${i}].outcome`, message: `a ${round.kind} round's outcome is ${allowed.map(String).join(' or ')}` });
      });
      if (errors.length) throw JudgingError.invalidFields(errors);
      if (overrides.length)
        await m.query(
          `UPDATE round_result SET outcome = x.outcome FROM unnest($2::int[], $3::text[]) AS x(idx, outcome)
            WHERE round_result.round_id = $1 AND round_result.entry_idx = x.idx`,
          [roundId, overrides.map((o) => idxOf.get(o.ideaId)), overrides.map((o) => o.outcome)],
        );
      await this.assertConfirmable(m, round);
      const clean = overrides.map((o) => ({ ideaId: o.ideaId, outcome: o.outcome, reason: o.reason.trim() }));
      await m.getRepository(Round).update({ id: roundId }, { status: 'confirmed', overrides: clean, confirmedAt: this.clock.now(), confirmedBy: actorId });
      await this.audit.record({ action: 'round.confirmed', actorId, subjectType: 'round', subjectId: roundId, data: { overrides: clean } }, m);
      return this.view(await this.find(roundId, m), (await this.judgeCounts([roundId], m)).get(roundId) ?? 0);
    });
  }

  private async assertConfirmable(m: EntityManager, round: Round): Promise<void> {
    const standing: { idea_id: string; judge_count: number }[] = await m.query(
      `SELECT e.idea_id, r.judge_count FROM round_result r JOIN round_entry e ON e.round_id = r.round_id AND e.idx = r.entry_idx
        WHERE r.round_id = $1 AND r.outcome IS NOT NULL ORDER BY r.rank`,
      [round.id],
    );
    const places = round.kind === 'final' ? (await this.competitionOf(round, m)).prizeCount : round.shortlistSize;
    const outcome = round.kind === 'final' ? 'winner' : 'shortlisted';
    const hidden = new Set(await this.entries.hidden([round.competitionId], m));
    const errors: FieldError[] = [];
    if (standing.length > places) errors.push({ field: 'overrides', message: `${standing.length} ideas would be ${outcome} for ${places} places` });
    for (const s of standing) {
      if (hidden.has(s.idea_id)) errors.push({ field: 'overrides', message: `idea ${s.idea_id} is hidden: give it no outcome (null) to confirm` });
      if (s.judge_count === 0) errors.push({ field: 'overrides', message: `idea ${s.idea_id} has no scores and cannot be ${outcome}` });
    }
    if (errors.length) throw new JudgingError('conflict', 'OUTCOMES_NOT_CONFIRMABLE', 'The outcome cannot be confirmed as it stands.', { errors });
  }

  /** The results header and judges; 409 until tallied. Items come from `resultItems`, streamed. */
  async results(roundId: string): Promise<{ round: Round; judges: JudgeSeverity[] }> {
    const round = await this.find(roundId);
    if (round.status !== 'tallied' && round.status !== 'confirmed')
      throw new JudgingError('conflict', 'RESULTS_NOT_READY', 'The round has not been tallied yet.');
    const judges: { judge_id: string; severity: number | null; score_count: number }[] = await this.dataSource.query(
      `SELECT judge_id, severity, score_count FROM round_judge WHERE round_id = $1 ORDER BY idx`,
      [roundId],
    );
    return {
      round,
      judges: judges.map((j) => ({ judgeId: j.judge_id, severity: j.severity === null ? null : roundScore(j.severity), scoreCount: j.score_count })),
    };
  }

  /** Every result line, best first, in batches: a million-line round is never held in memory at once. */
  async *resultItems(roundId: string): AsyncGenerator<ResultItem[]> {
    let after = 0;
    for (;;) {
      const rows: {
        rank: number;
        idea_id: string;
        alias: string;
        adjusted: number | null;
        raw_mean: number | null;
        judge_count: number;
        disagreement: number;
        flags: number;
        outcome: RoundOutcomeName | null;
        computed_outcome: RoundOutcomeName | null;
      }[] = await this.dataSource.query(
        `SELECT r.rank, e.idea_id, e.alias, r.adjusted, r.raw_mean, r.judge_count, r.disagreement, r.flags, r.outcome, r.computed_outcome
           FROM round_result r JOIN round_entry e ON e.round_id = r.round_id AND e.idx = r.entry_idx
          WHERE r.round_id = $1 AND r.rank > $2 ORDER BY r.rank LIMIT $3`,
        [roundId, after, RESULT_BATCH],
      );
      if (!rows.length) return;
      yield rows.map((r) => ({
        rank: r.rank,
        ideaId: r.idea_id,
        alias: r.alias,
        adjustedScore: r.adjusted === null ? null : roundScore(r.adjusted),
        rawMean: r.raw_mean === null ? null : roundScore(r.raw_mean),
        judgeCount: r.judge_count,
        disagreement: roundScore(r.disagreement),
        flags: flagNames(r.flags),
        outcome: r.outcome,
        computedOutcome: r.computed_outcome,
      }));
      if (rows.length < RESULT_BATCH) return;
      after = rows[rows.length - 1].rank;
    }
  }

  /** The competition of a round, as organisers see it. */
  async competitionOf(round: Round, manager?: EntityManager): Promise<CompetitionView> {
    return this.competitions.get(round.competitionId, ORGANISER, manager);
  }

  view(round: Round, judgeCount: number): RoundView {
    return {
      id: round.id,
      competitionId: round.competitionId,
      number: round.number,
      kind: round.kind,
      name: round.name,
      status: round.status,
      judgesPerIdea: round.judgesPerIdea,
      shortlistSize: round.shortlistSize,
      criteria: round.criteria,
      seed: round.seed,
      previousRoundId: round.previousRoundId,
      judgeCount,
      stats: round.stats ?? EMPTY_STATS,
      overrides: round.overrides,
      createdAt: round.createdAt,
      scoringStartedAt: round.scoringStartedAt,
      closedAt: round.closedAt,
      talliedAt: round.talliedAt,
      confirmedAt: round.confirmedAt,
    };
  }

  private async judgeCounts(roundIds: string[], manager: EntityManager = this.dataSource.manager): Promise<Map<string, number>> {
    if (!roundIds.length) return new Map();
    const rows: { round_id: string; count: number }[] = await manager.query(
      `SELECT round_id, count(*)::int AS count FROM round_judge WHERE round_id = ANY($1::uuid[]) GROUP BY round_id`,
      [roundIds],
    );
    return new Map(rows.map((r) => [r.round_id, r.count]));
  }
}

/** Why a rubric cannot be used (keys, ranges, weights), as field errors. */
export function criteriaErrors(criteria: RubricCriterion[]): FieldError[] {
  const errors: FieldError[] = [];
  criteria.forEach((c, i) => {
    if (!CRITERION_KEY.test(c.key)) errors.push({ field: `criteria[${i}].key`, message: 'key must be a short identifier (letters, digits, _), starting with a lower-case letter' });
    if (!Number.isInteger(c.min) || !Number.isInteger(c.max)) errors.push({ field: `criteria[${i}]`, message: 'min and max must be whole numbers' });
  });
  try {
    validateRubric(criteria);
  } catch (e) {
    errors.push({ field: 'criteria', message: (e as Error).message });
  }
  return errors;
}


import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { AuditService, Clock, copyFrom, copyLines, loadPartition, londonDate, readAhead } from '@app/platform';
import { PeopleDirectory } from '@app/identity';
import { EntriesService, eligibilityDate } from '@app/competitions';
import { NotificationsService } from '@app/notifications';
import { assignBalanced } from '../assignment/balanced-assignment.js';
import { buildConflictIndex } from '../assignment/conflicts.js';
import { assignPanel } from '../assignment/panel-assignment.js';
import { ConflictsService } from '../conflicts/conflicts.service.js';
import { IntList } from '../int-list.js';
import { PhaseTimer } from '../phase-timer.js';
import { orderedIds } from '../ordered-ids.js';
import { AliasMaker } from './aliases.js';
import { Round, type RoundStats } from './round.entity.js';
import { RoundsService } from './rounds.service.js';

export type AssignmentOutcome = { skipped: string } | (RoundStats & { seed: string; conflictPairs: number; ms: number; phases: Record<string, number> });

const NOTIFY_BATCH = 500;
const ENTRY_BATCH = 50_000;

/**
 * The assignment job (SPEC §2.4), set-based from end to end, in one transaction (a round gets all its
 * assignments or none):
 *  1. the round's pool of judges (dense indices) and their conflicts (ConflictsService.forPool);
 *  2. the entries at the deadline, streamed in batches from competitions (the next fetched while one
 *     is handled): each batch's lead age bands in one query, its conflict pairs by hash look-ups on its
 *     members, and its rows COPYed into the round's partition of round_entry with their alias —
 *     nothing per idea is kept but two integers per conflict;
 *  3. conflicts declared on assignments of earlier rounds (one join);
 *  4. the pure algorithm over typed arrays: assignBalanced (screening) or assignPanel (final);
 *  5. the assignments COPYed into the round's partition of judge_assignment, loads and stats stored,
 *     judges told.
 * Both partitions are filled before they are indexed and attached (loadPartition): a round's rows are
 * written once, in bulk, and only single rows (reassignments) are added later.
 */
@Injectable()
export class AssignmentService {
  private readonly logger = new Logger(AssignmentService.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly rounds: RoundsService,
    private readonly entries: EntriesService,
    private readonly conflicts: ConflictsService,
    private readonly people: PeopleDirectory,
    private readonly notifications: NotificationsService,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  async run(roundId: string, progress: (percent: number) => Promise<void> = async () => {}): Promise<AssignmentOutcome> {
    const timer = new PhaseTimer();
    return this.dataSource.transaction(async (m) => {
      const round = await this.rounds.find(roundId, m, true);
      if (round.status !== 'assigning') return { skipped: `the round is ${round.status}` };
      const competition = await this.rounds.competitionOf(round, m);
      const judgeIds: string[] = (await m.query(`SELECT judge_id FROM round_judge WHERE round_id = $1 ORDER BY idx`, [roundId])).map(
        (r: { judge_id: string }) => r.judge_id,
      );
      const seed = round.seed as string;
      const lap = (name: string) => timer.lap(name);
      const ideaIds = round.previousRoundId ? await this.shortlist(m, round.previousRoundId) : undefined;
      const deadline = competition.deadline;
      const expected = await this.entries.countAtDeadline(competition.id, deadline, ideaIds, m);
      const aliases = new AliasMaker(expected, seed);
      const pool = await this.conflicts.forPool(judgeIds, m);
      const ageOn = londonDate(eligibilityDate(competition));
      lap('prepare');

      // 2. Entries, streamed into the round's own partition of round_entry (indexed once, when attached);
      // each batch is fetched while the one before is looked up and copied.
      const pairIdea = new IntList();
      const pairJudge = new IntList();
      let ideaCount = 0;
      await loadPartition(m, { parent: 'round_entry', column: 'round_id', key: roundId }, async (table) => {
        // Large batches: each costs one age-band query (which may scan the people table) and one COPY.
        for await (const batch of readAhead(this.entries.atDeadline(competition.id, deadline, { ideaIds, batchSize: ENTRY_BATCH }))) {
          const bands = await timer.add('ageBands', () =>
            this.people.ageBandsOn(
              batch.map((e) => e.ownerId),
              ageOn,
              m,
            ),
          );
          const lines = new Array<string>(batch.length);
          for (let k = 0; k < batch.length; k++) {
            const e = batch[k];
            const idx = ideaCount + k;
            pool.forTeam(e.memberIds, (j) => {
              pairIdea.push(idx);
              pairJudge.push(j);
            });
            lines[k] = `${roundId}\t${idx}\t${e.ideaId}\t${e.versionId}\t${e.version}\t${aliases.alias(idx)}\t${bands[k] ?? '18+'}\t${e.submittedAt.toISOString()}`;
          }
          await timer.add('copyEntries', () =>
            copyFrom(m, `COPY ${table} (round_id, idx, idea_id, version_id, version, alias, lead_age_band, submitted_at) FROM STDIN`, [lines.join('\n') + '\n']),
          );
          ideaCount += batch.length;
          await progress(Math.min(60, Math.round((60 * ideaCount) / Math.max(1, expected))));
        }
      });

      lap('entries');
      // 3. Conflicts declared on assignments of earlier rounds bind this one.
      const declared: { entry: number; judge: number }[] = await m.query(
        `SELECT e.idx AS entry, j.idx AS judge
           FROM judge_idea_conflict c
           JOIN round_entry e ON e.round_id = $1 AND e.idea_id = c.idea_id
           JOIN round_judge j ON j.round_id = $1 AND j.judge_id = c.judge_id
          WHERE c.competition_id = $2`,
        [roundId, competition.id],
      );
      for (const d of declared) {
        pairIdea.push(d.entry);
        pairJudge.push(d.judge);
      }
      const conflicts = buildConflictIndex(ideaCount, pairIdea.view(), pairJudge.view());
      lap('declaredConflicts');
      await progress(65);

      // 4. The algorithm, on typed arrays.
      const judges = Int32Array.from(judgeIds, (_, i) => i);
      let entryOf: Int32Array;
      let judgeOf: Int32Array;
      let loads: Int32Array;
      let unassignable: Int32Array;
      if (round.kind === 'screening') {
        const result = assignBalanced({ ideaCount, judges, judgesPerIdea: round.judgesPerIdea, seed, conflicts });
        ({ entryOf, judgeOf } = slotsToPairs(result.assignments, round.judgesPerIdea));
        loads = result.loads;
        unassignable = result.unassignable;
      } else {
        const result = assignPanel({ ideaCount, judges, conflicts });
        ({ entryOf, judgeOf } = csrToPairs(result.offsets, result.assignments));
        loads = result.loads;
        unassignable = result.unassignable;
      }
      lap('algorithm');
      await progress(75);

      // 5. Store.
      const idOf = orderedIds(this.clock.now());
      await loadPartition(m, { parent: 'judge_assignment', column: 'round_id', key: roundId }, (table) =>
        copyFrom(
          m,
          `COPY ${table} (id, round_id, entry_idx, judge_idx, judge_id) FROM STDIN`,
          copyLines(entryOf.length, (p) => `${idOf(p)}\t${roundId}\t${entryOf[p]}\t${judgeOf[p]}\t${judgeIds[judgeOf[p]]}`),
        ),
      );
      lap('writeAssignments');
      await progress(95);
      await m.query(
        `UPDATE round_judge SET load = x.load FROM unnest($2::int[], $3::int[]) AS x(idx, load)
          WHERE round_judge.round_id = $1 AND round_judge.idx = x.idx`,
        [roundId, Array.from(judges), Array.from(loads)],
      );
      const unassignableIds: string[] = unassignable.length
        ? (await m.query(`SELECT idea_id FROM round_entry WHERE round_id = $1 AND idx = ANY($2::int[]) ORDER BY idx`, [roundId, Array.from(unassignable)])).map(
            (r: { idea_id: string }) => r.idea_id,
          )
        : [];
      let loadMin = loads.length ? Infinity : 0;
      let loadMax = 0;
      for (const l of loads) {
        if (l < loadMin) loadMin = l;
        if (l > loadMax) loadMax = l;
      }
      const stats: RoundStats = { ideas: ideaCount, assignments: entryOf.length, unassignable: unassignableIds, loadMin, loadMax };
      await m.getRepository(Round).update({ id: roundId }, { status: 'scoring', stats, scoringStartedAt: this.clock.now() });
      await this.notifyJudges(m, round, competition.title, judgeIds, loads);
      await this.audit.record(
        { action: 'round.assigned', actorId: null, subjectType: 'round', subjectId: roundId, data: { seed, ideas: ideaCount, assignments: entryOf.length, unassignable: unassignableIds.length } },
        m,
      );
      lap('statsNotifyAudit');
      const ms = timer.totalMs;
      const phases = timer.phases;
      this.logger.log({ roundId, ideas: ideaCount, assignments: entryOf.length, conflictPairs: pairIdea.length, ms, phases }, 'round assigned');
      return { ...stats, unassignable: unassignableIds.slice(0, 100), seed, conflictPairs: pairIdea.length, ms, phases };
    });
  }

  /** A final covers the previous round's shortlist, as confirmed (overrides applied). */
  private async shortlist(m: EntityManager, previousRoundId: string): Promise<string[]> {
    const rows: { idea_id: string }[] = await m.query(
      `SELECT e.idea_id FROM round_result r JOIN round_entry e ON e.round_id = r.round_id AND e.idx = r.entry_idx
        WHERE r.round_id = $1 AND r.outcome = 'shortlisted'`,
      [previousRoundId],
    );
    return rows.map((r) => r.idea_id);
  }

  private async notifyJudges(m: EntityManager, round: Round, competitionTitle: string, judgeIds: string[], loads: Int32Array): Promise<void> {
    const busy = judgeIds.map((id, idx) => ({ id, count: loads[idx] })).filter((j) => j.count > 0);
    for (let from = 0; from < busy.length; from += NOTIFY_BATCH) {
      const batch = busy.slice(from, from + NOTIFY_BATCH);
      const contacts = await this.people.contacts(batch.map((j) => j.id), m);
      await this.notifications.notifyMany(
        m,
        batch.flatMap(({ id, count }) => {
          const who = contacts.get(id);
          if (!who) return [];
          return [
            {
              template: 'assignments-ready' as const,
              userId: id,
              email: who.email,
              inApp: true,
              dedupeKey: `assignments-ready:${round.id}:${id}`,
              data: { firstName: who.firstName, roundName: round.name, competitionTitle, count },
            },
          ];
        }),
      );
    }
  }
}

/** Screening layout (idea i's judges at i·k … i·k + k − 1, −1 unfilled) → parallel (entry, judge) arrays. */
function slotsToPairs(slots: Int32Array, k: number): { entryOf: Int32Array; judgeOf: Int32Array } {
  let count = 0;
  for (let s = 0; s < slots.length; s++) if (slots[s] >= 0) count++;
  const entryOf = new Int32Array(count);
  const judgeOf = new Int32Array(count);
  let p = 0;
  for (let s = 0; s < slots.length; s++) {
    if (slots[s] < 0) continue;
    entryOf[p] = Math.floor(s / k);
    judgeOf[p++] = slots[s];
  }
  return { entryOf, judgeOf };
}

/** Panel layout (CSR) → parallel (entry, judge) arrays. */
function csrToPairs(offsets: Int32Array, judges: Int32Array): { entryOf: Int32Array; judgeOf: Int32Array } {
  const entryOf = new Int32Array(judges.length);
  for (let i = 0; i + 1 < offsets.length; i++) entryOf.fill(i, offsets[i], offsets[i + 1]);
  return { entryOf, judgeOf: judges };
}

import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { AuditService, Clock, OutboxService, type BuiltInBadge } from '@app/platform';
import { CompetitionsService, EntriesService } from '@app/competitions';
import { PeopleDirectory } from '@app/identity';
import { NotificationsService } from '@app/notifications';
import { ResultsPublication } from '../awards/funding-award.entity.js';
import { JudgingError } from '../judging.errors.js';
import { JudgingQueue } from '../judging.queue.js';
import { Round } from '../rounds/round.entity.js';

export type PublicationOutcome = { skipped: string } | { winners: number; finalists: number; shortlisted: number; entrantsNotified: number; judgesThanked: number };

export interface PublicResults {
  competitionId: string;
  winners: { ideaId: string; title: string; summary: string; displayNames: string[]; awardPence: number | null }[];
  finalists: { ideaId: string; title: string; summary: string; displayNames: string[] }[];
}

interface Placed {
  ideaId: string;
  versionId: string;
  rank: number;
}

interface Placing {
  winners: Placed[];
  finalists: Placed[];
  /** Shortlisted at screening but not in the final. */
  shortlisted: Placed[];
  /** Everyone shortlisted at screening (the `shortlisted` badge). */
  everShortlisted: Placed[];
}

const NOTIFY_BATCH = 500;
const ORGANISER = { roles: ['organiser'] };

/**
 * Publishing a competition's results (SPEC §2.4, §2.6). POST records the publication once (a
 * committed row keyed by the competition, with its job in the outbox); the job then, in order:
 *  1. in one transaction: a funding award per winning idea, idea outcomes (winner, finalist,
 *     shortlisted), competition badges emitted through the outbox, feedback released, the
 *     competition's status `results` — and the row marked released, so a retry skips it;
 *  2. notifications to every entrant (winner, finalist, everyone else with their feedback link) and
 *     thanks to every judge, in batches of their own transactions, each notification unique per
 *     (event, recipient) — a retried batch adds nothing;
 *  3. the row marked complete.
 */
@Injectable()
export class PublicationService {
  private readonly logger = new Logger(PublicationService.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly competitions: CompetitionsService,
    private readonly entries: EntriesService,
    private readonly people: PeopleDirectory,
    private readonly notifications: NotificationsService,
    private readonly outbox: OutboxService,
    private readonly queue: JudgingQueue,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  /** POST /competitions/:id/results/publish → the job's id; repeating it returns the same job and changes nothing. */
  async request(actorId: string, competitionId: string): Promise<{ jobId: string }> {
    await this.competitions.get(competitionId, ORGANISER);
    return this.dataSource.transaction(async (m) => {
      await m.query(`SELECT pg_advisory_xact_lock(hashtext($1))`, [`results_publication:${competitionId}`]);
      const existing = await m.getRepository(ResultsPublication).findOneBy({ competitionId });
      if (existing) return { jobId: existing.jobId };
      const final = await m.getRepository(Round).findOneBy({ competitionId, kind: 'final' });
      if (!final || final.status !== 'confirmed')
        throw new JudgingError('conflict', 'RESULTS_NOT_CONFIRMED', 'The final round’s outcome must be confirmed before results are published.');
      const jobId = await this.queue.publish(m, competitionId, actorId);
      await m.getRepository(ResultsPublication).insert({ competitionId, finalRoundId: final.id, requestedBy: actorId, jobId });
      await this.audit.record({ action: 'results.publication_requested', actorId, subjectType: 'competition', subjectId: competitionId, data: { jobId } }, m);
      return { jobId };
    });
  }

  async run(competitionId: string, progress: (percent: number) => Promise<void> = async () => {}): Promise<PublicationOutcome> {
    const publication = await this.dataSource.getRepository(ResultsPublication).findOneBy({ competitionId });
    if (!publication) return { skipped: 'no publication was requested' };
    if (publication.completedAt) return { skipped: 'already published' };
    const competition = await this.competitions.get(competitionId, ORGANISER);
    const placing = await this.placing(competitionId, publication.finalRoundId);
    if (!publication.releasedAt) await this.release(competitionId, publication.finalRoundId, competition.prizeAmountPence, placing);
    await progress(20);

    const outcomeOf = new Map<string, 'winner' | 'finalist' | 'shortlisted'>();
    for (const p of placing.shortlisted) outcomeOf.set(p.ideaId, 'shortlisted');
    for (const p of placing.finalists) outcomeOf.set(p.ideaId, 'finalist');
    for (const p of placing.winners) outcomeOf.set(p.ideaId, 'winner');
    let entrantsNotified = 0;
    for await (const batch of this.entries.entrants(competitionId, NOTIFY_BATCH)) {
      const contacts = await this.people.contacts(batch.map((b) => b.userId));
      await this.dataSource.transaction((m) =>
        this.notifications.notifyMany(
          m,
          batch.flatMap(({ userId, ideaId }) => {
            const who = contacts.get(userId);
            if (!who) return [];
            const outcome = outcomeOf.get(ideaId);
            return [
              {
                template: outcome === 'winner' ? ('results-winner' as const) : outcome === 'finalist' ? ('results-finalist' as const) : ('results-entrant' as const),
                userId,
                email: who.email,
                inApp: true,
                dedupeKey: `results:${competitionId}:${userId}`,
                data: { firstName: who.firstName, competitionTitle: competition.title, ideaId, amountPence: competition.prizeAmountPence, shortlisted: outcome === 'shortlisted' },
              },
            ];
          }),
        ),
      );
      entrantsNotified += batch.length;
      await progress(Math.min(85, 20 + Math.floor(entrantsNotified / 1000)));
    }

    const judges: { judge_id: string }[] = await this.dataSource.query(
      `SELECT DISTINCT a.judge_id FROM judge_assignment a JOIN judging_round r ON r.id = a.round_id
        WHERE r.competition_id = $1 AND a.status = 'scored' ORDER BY a.judge_id`,
      [competitionId],
    );
    for (let from = 0; from < judges.length; from += NOTIFY_BATCH) {
      const ids = judges.slice(from, from + NOTIFY_BATCH).map((j) => j.judge_id);
      const contacts = await this.people.contacts(ids);
      await this.dataSource.transaction((m) =>
        this.notifications.notifyMany(
          m,
          ids.flatMap((id) => {
            const who = contacts.get(id);
            return who
              ? [{ template: 'judges-thanked' as const, userId: id, email: who.email, inApp: true, dedupeKey: `judges-thanked:${competitionId}:${id}`, data: { firstName: who.firstName, competitionTitle: competition.title } }]
              : [];
          }),
        ),
      );
    }
    await this.dataSource.getRepository(ResultsPublication).update({ competitionId }, { completedAt: this.clock.now() });
    this.logger.log({ competitionId, entrantsNotified, judges: judges.length }, 'results published');
    return {
      winners: placing.winners.length,
      finalists: placing.finalists.length,
      shortlisted: placing.shortlisted.length,
      entrantsNotified,
      judgesThanked: judges.length,
    };
  }

  /**
   * GET /public/competitions/:id/results: winners and finalists, displayNames only (SPEC §2.1, §3). Hidden ideas are
   * left out (SPEC §2.3), and so are the names of members who may not appear in public (an under-13 without consent).
   */
  async publicResults(competitionId: string): Promise<PublicResults> {
    const competition = await this.competitions.get(competitionId);
    const publication = await this.dataSource.getRepository(ResultsPublication).findOneBy({ competitionId });
    if (competition.status !== 'results' || !publication?.releasedAt) throw new JudgingError('not_found', 'RESULTS_NOT_PUBLISHED', 'The results are not published yet.');
    const { winners, finalists } = await this.placing(competitionId, publication.finalRoundId);
    const snapshots = await this.entries.snapshots([...winners, ...finalists].map((p) => p.versionId));
    const awards: { idea_id: string; amount_pence: number }[] = await this.dataSource.query(
      `SELECT idea_id, amount_pence FROM funding_award WHERE competition_id = $1 AND status <> 'withdrawn'`,
      [competitionId],
    );
    const amount = new Map(awards.map((a) => [a.idea_id, a.amount_pence]));
    const show = async (p: Placed) => {
      const s = snapshots.get(p.versionId)!;
      return { ideaId: p.ideaId, title: s.title, summary: s.summary, displayNames: await this.people.publicDisplayNames(s.memberIds) };
    };
    return {
      competitionId,
      // Publication gives every winner an award, so a winner without one had it withdrawn: the funding is gone but the
      // judges' outcome (and its badges) stands, so the idea stays listed as a winner, with no amount.
      winners: await Promise.all(winners.map(async (p) => ({ ...(await show(p)), awardPence: amount.get(p.ideaId) ?? null }))),
      finalists: await Promise.all(finalists.map(show)),
    };
  }

  /** Whether feedback of the competition has been released to entrants. */
  async released(competitionId: string, manager: EntityManager = this.dataSource.manager): Promise<boolean> {
    const row = await manager.getRepository(ResultsPublication).findOneBy({ competitionId });
    return Boolean(row?.releasedAt);
  }

  /**
   * Winners and finalists of the final round (best first), and the screening shortlist that did not reach
   * it — less any idea hidden now: it has left judging (SPEC §2.3), so it is neither paid, badged, told it
   * won nor listed (confirmation refuses a hidden winner; this covers one hidden after it).
   */
  private async placing(competitionId: string, finalRoundId: string): Promise<Placing> {
    const hidden = new Set(await this.entries.hidden([competitionId]));
    const final: (Placed & { outcome: string | null })[] = (
      await this.dataSource.query(
        `SELECT e.idea_id, e.version_id, r.rank, r.outcome FROM round_result r JOIN round_entry e ON e.round_id = r.round_id AND e.idx = r.entry_idx
          WHERE r.round_id = $1 ORDER BY r.rank`,
        [finalRoundId],
      )
    ).map((r: { idea_id: string; version_id: string; rank: number; outcome: string | null }) => ({ ideaId: r.idea_id, versionId: r.version_id, rank: r.rank, outcome: r.outcome }));
    const inFinal = new Set(final.map((f) => f.ideaId));
    const screening: { idea_id: string; version_id: string; rank: number }[] = await this.dataSource.query(
      `SELECT e.idea_id, e.version_id, r.rank FROM judging_round f
         JOIN round_result r ON r.round_id = f.previous_round_id AND r.outcome = 'shortlisted'
         JOIN round_entry e ON e.round_id = r.round_id AND e.idx = r.entry_idx
        WHERE f.id = $1 ORDER BY r.rank`,
      [finalRoundId],
    );
    const shown = final.filter((f) => !hidden.has(f.ideaId));
    const screened = screening.filter((s) => !hidden.has(s.idea_id)).map((s) => ({ ideaId: s.idea_id, versionId: s.version_id, rank: s.rank }));
    return {
      winners: shown.filter((f) => f.outcome === 'winner'),
      finalists: shown.filter((f) => f.outcome !== 'winner'),
      shortlisted: screened.filter((s) => !inFinal.has(s.ideaId)),
      everShortlisted: screened,
    };
  }

  /** Step 1, in one transaction (see the class comment). */
  private async release(competitionId: string, finalRoundId: string, prizeAmountPence: number, placing: Placing): Promise<void> {
    await this.dataSource.transaction(async (m) => {
      const [locked] = await m.query(`SELECT released_at FROM results_publication WHERE competition_id = $1 FOR UPDATE`, [competitionId]);
      if (locked.released_at) return;
      const now = this.clock.now();
      if (placing.winners.length)
        await m.query(
          `INSERT INTO funding_award (competition_id, idea_id, amount_pence, awarded_at)
           SELECT $1, id, $3, $4 FROM unnest($2::uuid[]) AS id
           ON CONFLICT (competition_id, idea_id) DO NOTHING`,
          [competitionId, placing.winners.map((w) => w.ideaId), prizeAmountPence, now],
        );
      await this.entries.setOutcomes(m, competitionId, [
        ...placing.shortlisted.map((p) => ({ ideaId: p.ideaId, outcome: 'shortlisted' as const })),
        ...placing.finalists.map((p) => ({ ideaId: p.ideaId, outcome: 'finalist' as const })),
        ...placing.winners.map((p) => ({ ideaId: p.ideaId, outcome: 'winner' as const })),
      ]);
      // Badges accumulate: a winner was also a finalist and (after a screening round) shortlisted.
      const earners: { badge: BuiltInBadge; ideaId: string; versionId: string }[] = [
        ...placing.everShortlisted.map((s) => ({ badge: 'shortlisted' as const, ideaId: s.ideaId, versionId: s.versionId })),
        ...[...placing.winners, ...placing.finalists].map((p) => ({ badge: 'finalist' as const, ideaId: p.ideaId, versionId: p.versionId })),
        ...placing.winners.map((p) => ({ badge: 'winner' as const, ideaId: p.ideaId, versionId: p.versionId })),
      ];
      const snapshots = await this.entries.snapshots(earners.map((e) => e.versionId), m);
      await this.outbox.addMany(
        m,
        'awardBuiltInBadge',
        earners.map((e) => ({ badge: e.badge, userIds: snapshots.get(e.versionId)?.memberIds ?? [], source: { competitionId, ideaId: e.ideaId, roundId: finalRoundId } })),
      );
      await this.competitions.mark(m, competitionId, 'resultsPublishedAt');
      await m.getRepository(ResultsPublication).update({ competitionId }, { releasedAt: now });
      await this.audit.record(
        {
          action: 'results.published',
          actorId: null,
          subjectType: 'competition',
          subjectId: competitionId,
          data: { winners: placing.winners.map((w) => w.ideaId), finalists: placing.finalists.length },
        },
        m,
      );
    });
  }
}

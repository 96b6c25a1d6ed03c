import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Clock, londonDate } from '@app/platform';
import { EntriesService } from '@app/competitions';
import { PeopleDirectory } from '@app/identity';
import { NotificationsService } from '@app/notifications';

const BATCH = 500;
const DAY_MS = 24 * 3600_000;

/**
 * Scoring reminders (SPEC §2.6): run by a daily job scheduler; each judge with open assignments in a
 * round that has been scoring for a day or more gets one reminder per round per London day — the
 * notification's key (event, recipient, day) makes a second run on the same day send nothing.
 */
@Injectable()
export class RemindersService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly entries: EntriesService,
    private readonly people: PeopleDirectory,
    private readonly notifications: NotificationsService,
    private readonly clock: Clock,
  ) {}

  async sendDue(): Promise<{ reminded: number }> {
    const now = this.clock.now();
    const day = londonDate(now);
    const since = new Date(now.getTime() - DAY_MS);
    const scoring: { competition_id: string }[] = await this.dataSource.query(
      `SELECT DISTINCT competition_id FROM judging_round WHERE status = 'scoring' AND scoring_started_at <= $1`,
      [since],
    );
    // Hidden ideas have left judging: they are nobody's open work.
    const hidden = await this.entries.hidden(scoring.map((r) => r.competition_id));
    const due: { round_id: string; round_name: string; judge_id: string; open: number }[] = await this.dataSource.query(
      `SELECT a.round_id, r.name AS round_name, a.judge_id, count(*)::int AS open
         FROM judging_round r JOIN judge_assignment a ON a.round_id = r.id AND a.status = 'open'
         JOIN round_entry e ON e.round_id = a.round_id AND e.idx = a.entry_idx
        WHERE r.status = 'scoring' AND r.scoring_started_at <= $1 AND NOT (e.idea_id = ANY($2::uuid[]))
        GROUP BY a.round_id, r.name, a.judge_id
        ORDER BY a.round_id, a.judge_id`,
      [since, hidden],
    );
    let reminded = 0;
    for (let from = 0; from < due.length; from += BATCH) {
      // Only people who still judge are reminded (the role goes with an account corrected to under 18).
      const judging = await this.people.withRole(
        due.slice(from, from + BATCH).map((d) => d.judge_id),
        'judge',
      );
      const batch = due.slice(from, from + BATCH).filter((d) => judging.has(d.judge_id));
      const contacts = await this.people.contacts(batch.map((d) => d.judge_id));
      const ids = await this.dataSource.transaction((m) =>
        this.notifications.notifyMany(
          m,
          batch.flatMap((d) => {
            const who = contacts.get(d.judge_id);
            return who
              ? [{ template: 'scoring-reminder' as const, userId: d.judge_id, email: who.email, inApp: true, dedupeKey: `scoring-reminder:${d.round_id}:${d.judge_id}:${day}`, data: { firstName: who.firstName, roundName: d.round_name, open: d.open } }]
              : [];
          }),
        ),
      );
      reminded += ids.length;
    }
    return { reminded };
  }
}

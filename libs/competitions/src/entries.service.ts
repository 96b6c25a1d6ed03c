import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import type { IdeaContent, IdeaOutcome } from './idea.entity.js';

/** A submitted, visible idea as it stood at the deadline: what judging judges (SPEC §2.3, §2.4). */
export interface Entry {
  ideaId: string;
  /** The lead entrant (the idea's owner). */
  ownerId: string;
  /** The snapshot judged: the latest version submitted before the deadline. */
  versionId: string;
  version: number;
  /** When that version was submitted (ties in the results break by earlier submission). */
  submittedAt: Date;
  /** The team of that snapshot. */
  memberIds: string[];
}

export interface Snapshot extends IdeaContent {
  versionId: string;
  ideaId: string;
  version: number;
  /** The team of the snapshot. */
  memberIds: string[];
}

interface EntryRow {
  id: string;
  owner_id: string;
  version_id: string;
  version: number;
  submitted_at: Date;
  /** member ids joined with commas */
  members: string;
}

/**
 * What judging needs from competitions, set-based: the entries of a competition at its deadline
 * (streamed in batches, never all ideas as entities), snapshots by version, idea outcomes, and the
 * entrants to notify. Judging never reads competitions' tables itself.
 */
@Injectable()
export class EntriesService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * The judgeable entries of a competition — submitted and not hidden, each with its latest version
   * submitted at or before `deadline` — in ascending idea id order, in batches. One query plan for the
   * whole set (a hash join and one sort), read through a server-side cursor in a read-only snapshot:
   * constant memory, and no re-planning or re-sorting per batch. `ideaIds` narrows them (a final's
   * shortlist).
   */
  async *atDeadline(competitionId: string, deadline: Date, options: { ideaIds?: string[]; batchSize?: number } = {}): AsyncGenerator<Entry[]> {
    const batchSize = options.batchSize ?? 20_000;
    const runner = this.dataSource.createQueryRunner();
    await runner.connect();
    let open = false;
    try {
      await runner.query(`BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY`);
      open = true;
      await runner.query(
        `DECLARE judgeable_entries NO SCROLL CURSOR FOR
         SELECT DISTINCT ON (i.id) i.id, i.owner_id, v.id AS version_id, v.version, v.submitted_at, array_to_string(v.member_ids, ',') AS members
           FROM idea i JOIN idea_version v ON v.idea_id = i.id AND v.submitted_at <= $2
          WHERE i.competition_id = $1 AND i.status = 'submitted' AND NOT i.hidden
            AND ($3::uuid[] IS NULL OR i.id = ANY($3::uuid[]))
          ORDER BY i.id, v.version DESC`,
        [competitionId, deadline, options.ideaIds ?? null],
      );
      for (;;) {
        const rows: EntryRow[] = await runner.query(`FETCH ${Math.max(1, Math.floor(batchSize))} FROM judgeable_entries`);
        if (!rows.length) break;
        yield rows.map((r) => ({
          ideaId: r.id,
          ownerId: r.owner_id,
          versionId: r.version_id,
          version: r.version,
          submittedAt: r.submitted_at,
          // A joined string splits far faster than pg's generic array parser, a million times over.
          memberIds: r.members ? r.members.split(',') : [],
        }));
        if (rows.length < batchSize) break;
      }
      await runner.query(`COMMIT`);
      open = false;
    } finally {
      // Also when the consumer stops early (break or throw ends the generator here).
      if (open) await runner.query(`ROLLBACK`).catch(() => undefined);
      await runner.release();
    }
  }

  /** How many entries `atDeadline` will yield (to size things before streaming them). */
  async countAtDeadline(competitionId: string, deadline: Date, ideaIds?: string[], manager: EntityManager = this.dataSource.manager): Promise<number> {
    const [{ count }] = await manager.query(
      `SELECT count(*)::int AS count FROM idea i
        WHERE i.competition_id = $1 AND i.status = 'submitted' AND NOT i.hidden
          AND ($3::uuid[] IS NULL OR i.id = ANY($3::uuid[]))
          AND EXISTS (SELECT 1 FROM idea_version v WHERE v.idea_id = i.id AND v.submitted_at <= $2)`,
      [competitionId, deadline, ideaIds ?? null],
    );
    return count;
  }

  /** Ideas of these competitions an organiser has hidden (they leave judging, SPEC §2.3). */
  async hidden(competitionIds: string[], manager: EntityManager = this.dataSource.manager): Promise<string[]> {
    if (!competitionIds.length) return [];
    const rows: { id: string }[] = await manager.query(`SELECT id FROM idea WHERE competition_id = ANY($1::uuid[]) AND hidden`, [competitionIds]);
    return rows.map((r) => r.id);
  }

  /** Snapshots by version id (what a judge reads, what public results show). */
  async snapshots(versionIds: string[], manager: EntityManager = this.dataSource.manager): Promise<Map<string, Snapshot>> {
    if (!versionIds.length) return new Map();
    const rows: { id: string; idea_id: string; version: number; content: IdeaContent; member_ids: string[] }[] = await manager.query(
      `SELECT id, idea_id, version, content, member_ids FROM idea_version WHERE id = ANY($1::uuid[])`,
      [[...new Set(versionIds)]],
    );
    return new Map(
      rows.map((r) => [
        r.id,
        {
          versionId: r.id,
          ideaId: r.idea_id,
          version: r.version,
          title: r.content.title,
          summary: r.content.summary,
          problem: r.content.problem,
          solution: r.content.solution,
          audience: r.content.audience,
          category: r.content.category,
          links: r.content.links ?? [],
          memberIds: r.member_ids,
        },
      ]),
    );
  }

  /** Records judging outcomes on ideas of the competition, in the caller's transaction (one statement). */
  async setOutcomes(manager: EntityManager, competitionId: string, outcomes: { ideaId: string; outcome: IdeaOutcome }[]): Promise<void> {
    if (!outcomes.length) return;
    await manager.query(
      `UPDATE idea SET outcome = x.outcome, updated_at = now()
         FROM unnest($2::uuid[], $3::text[]) AS x(id, outcome)
        WHERE idea.id = x.id AND idea.competition_id = $1`,
      [competitionId, outcomes.map((o) => o.ideaId), outcomes.map((o) => o.outcome)],
    );
  }

  /**
   * Every entrant of the competition (a member of a submitted idea) with their idea, in batches by
   * user id: the recipients of results notifications.
   */
  async *entrants(competitionId: string, batchSize = 1000): AsyncGenerator<{ userId: string; ideaId: string }[]> {
    let after = '00000000-0000-0000-0000-000000000000';
    for (;;) {
      const rows: { user_id: string; idea_id: string }[] = await this.dataSource.query(
        `SELECT user_id, idea_id FROM submission_slot WHERE competition_id = $1 AND user_id > $2 ORDER BY user_id LIMIT $3`,
        [competitionId, after, batchSize],
      );
      if (!rows.length) return;
      yield rows.map((r) => ({ userId: r.user_id, ideaId: r.idea_id }));
      if (rows.length < batchSize) return;
      after = rows[rows.length - 1].user_id;
    }
  }
}

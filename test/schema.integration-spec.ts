import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { readdirSync } from 'node:fs';
import type { DataSource } from 'typeorm';
import { createDataSource } from '../apps/cli/src/data-source.js';
import { migrations } from '../migrations/index.js';
import { testConfig } from './support/test-env.js';

describe('the schema', () => {
  let ds: DataSource;
  beforeAll(async () => {
    const config = await testConfig();
    ds = await createDataSource(config.db.url).initialize();
  });
  afterAll(async () => {
    await ds?.destroy();
  });

  it('migrations produce exactly what the entities describe', async () => {
    const pending = await ds.driver.createSchemaBuilder().log();
    expect(pending.upQueries.map((q) => q.query)).toEqual([]);
  });

  it('lists every migration file in migrations/index.ts, in timestamp order', () => {
    const files = readdirSync('migrations').filter((f) => /^\d{13}-.+\.ts$/.test(f)).sort();
    const names = migrations.map((m) => (m as unknown as { name: string }).name);
    expect(names).toEqual(files.map((f) => f.replace(/^(\d+)-(.+)\.ts$/, '$2$1')));
  });

  it('has no pending migration after migrate', async () => {
    expect(await ds.showMigrations()).toBe(false);
  });

  it('partitioning the round tables by round keeps the rows of rounds already judged, and so does undoing it', async () => {
    const last = async (): Promise<string> => (await ds.query(`SELECT name FROM migrations ORDER BY timestamp DESC LIMIT 1`))[0].name;
    while ((await last()) !== 'Judging1795647889703') await ds.undoLastMigration();
    const judged = '00000000-0000-4000-8000-000000000001';
    const assigned = '00000000-0000-4000-8000-000000000002';
    await ds.query(
      `INSERT INTO judging_round (id, competition_id, number, kind, name, status, judges_per_idea, shortlist_size, criteria, created_by)
       VALUES ($1, $3, 1, 'screening', 'Judged', 'tallied', 3, 20, '[]', $3), ($2, $3, 2, 'final', 'Assigned, no entries', 'scoring', 3, 3, '[]', $3)`,
      [judged, assigned, '00000000-0000-4000-8000-0000000000cc'],
    );
    await ds.query(
      `INSERT INTO round_entry (round_id, idx, idea_id, version_id, version, alias, lead_age_band, submitted_at)
       SELECT $1, i, gen_random_uuid(), gen_random_uuid(), 1, 'Entry ' || i, '13-17', now() FROM generate_series(0, 9) i`,
      [judged],
    );
    await ds.query(`INSERT INTO judge_assignment (round_id, entry_idx, judge_idx, judge_id, status, total) SELECT $1, i, 0, gen_random_uuid(), 'scored', i FROM generate_series(0, 9) i`, [judged]);
    await ds.query(`INSERT INTO round_result (round_id, rank, entry_idx, judge_count, disagreement, flags) SELECT $1, i + 1, i, 1, 0, 0 FROM generate_series(0, 9) i`, [judged]);
    const rows = async () =>
      (
        await ds.query(
          `SELECT (SELECT count(*) FROM round_entry)::int AS entries, (SELECT sum(total) FROM judge_assignment)::int AS totals, (SELECT count(*) FROM round_result)::int AS results`,
        )
      )[0];
    const partitions = async (): Promise<string[]> =>
      (await ds.query(`SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid WHERE c.relkind = 'r' ORDER BY 1`)).map((r: { relname: string }) => r.relname);

    await ds.runMigrations();
    expect(await rows()).toEqual({ entries: 10, totals: 45, results: 10 });
    // Each round past a table's stage has its partition (an empty one for the final, where later single rows go).
    const hex = (id: string) => id.replace(/-/g, '');
    expect(await partitions()).toEqual(
      [`judge_assignment_${hex(judged)}`, `judge_assignment_${hex(assigned)}`, `round_entry_${hex(judged)}`, `round_entry_${hex(assigned)}`, `round_result_${hex(judged)}`].sort(),
    );
    await ds.query(`INSERT INTO judge_assignment (round_id, entry_idx, judge_idx, judge_id) VALUES ($1, 0, 0, gen_random_uuid())`, [assigned]);
    const pending = await ds.driver.createSchemaBuilder().log();
    expect(pending.upQueries).toEqual([]);

    while ((await last()) !== 'Judging1795647889703') await ds.undoLastMigration();
    expect(await partitions()).toEqual([]);
    expect(await rows()).toEqual({ entries: 10, totals: 45, results: 10 });
    await ds.runMigrations();
    expect(await rows()).toEqual({ entries: 10, totals: 45, results: 10 });
  });
});

import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Written by hand (TypeORM does not model partitioning): round_entry, judge_assignment and round_result
 * become LIST-partitioned by round_id, one partition per round, so the assignment and tally jobs can
 * load a round's million rows into a fresh table and index it once (libs/platform/src/database/partitions.ts).
 * Existing rows move into per-round partitions named as `partitionName` names them; a round past the
 * stage that fills a table gets its (maybe empty) partition, so later single-row writes find it.
 * judge_assignment's key becomes (id, round_id): a partitioned table's keys must hold the partition column.
 */
const TABLES: { name: string; columns: string; keys: string; indexes: string[]; filledFrom: string[] }[] = [
  {
    name: 'round_entry',
    columns: `"round_id" uuid NOT NULL, "idx" integer NOT NULL, "idea_id" uuid NOT NULL, "version_id" uuid NOT NULL, "version" integer NOT NULL, "alias" text NOT NULL, "lead_age_band" text NOT NULL, "submitted_at" TIMESTAMP WITH TIME ZONE NOT NULL`,
    keys: `CONSTRAINT "PK_59600929c1b06322b845b6f4067" PRIMARY KEY ("round_id", "idx")`,
    indexes: [`CREATE UNIQUE INDEX "round_entry_idea_key" ON "round_entry" ("round_id", "idea_id")`],
    filledFrom: ['scoring', 'closed', 'tallied', 'confirmed'],
  },
  {
    name: 'judge_assignment',
    columns: `"id" uuid NOT NULL DEFAULT gen_random_uuid(), "round_id" uuid NOT NULL, "entry_idx" integer NOT NULL, "judge_idx" integer NOT NULL, "judge_id" uuid NOT NULL, "status" text NOT NULL DEFAULT 'open', "scores" smallint array, "total" double precision, "feedback" text, "scored_at" TIMESTAMP WITH TIME ZONE, "conflict_reason" text, "conflicted_at" TIMESTAMP WITH TIME ZONE, "feedback_withheld_at" TIMESTAMP WITH TIME ZONE, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now()`,
    keys: `CONSTRAINT "PK_1bb145abc292007b875fdc450c4" PRIMARY KEY ("id", "round_id")`,
    indexes: [
      `CREATE INDEX "judge_assignment_judge_idx" ON "judge_assignment" ("judge_id", "round_id")`,
      `CREATE UNIQUE INDEX "judge_assignment_slot_key" ON "judge_assignment" ("round_id", "entry_idx", "judge_idx")`,
    ],
    filledFrom: ['scoring', 'closed', 'tallied', 'confirmed'],
  },
  {
    name: 'round_result',
    columns: `"round_id" uuid NOT NULL, "rank" integer NOT NULL, "entry_idx" integer NOT NULL, "adjusted" double precision, "raw_mean" double precision, "judge_count" integer NOT NULL, "disagreement" double precision NOT NULL, "flags" smallint NOT NULL, "computed_outcome" text, "outcome" text`,
    keys: `CONSTRAINT "PK_48b450bca090ed073874eae57de" PRIMARY KEY ("round_id", "rank")`,
    indexes: [],
    filledFrom: ['tallied', 'confirmed'],
  },
];

/** The unpartitioned tables as the Judging migration made them (for `down`). */
const FORMER_KEYS: Record<string, string> = {
  judge_assignment: `CONSTRAINT "PK_5d8e97fae9937fb3d1f6af8f37f" PRIMARY KEY ("id")`,
};

export class PartitionRoundTablesByRound1795652540519 implements MigrationInterface {
  name = 'PartitionRoundTablesByRound1795652540519';

  public async up(queryRunner: QueryRunner): Promise<void> {
    for (const t of TABLES) {
      const old = `${t.name}_unpartitioned`;
      await queryRunner.query(`ALTER TABLE "${t.name}" RENAME TO "${old}"`);
      await this.dropKeysAndIndexes(queryRunner, old);
      await queryRunner.query(`CREATE TABLE "${t.name}" (${t.columns}, ${t.keys}) PARTITION BY LIST ("round_id")`);
      for (const index of t.indexes) await queryRunner.query(index);
      await queryRunner.query(
        `DO $$ DECLARE k uuid; BEGIN
           FOR k IN SELECT DISTINCT round_id FROM "${old}" UNION SELECT id FROM judging_round WHERE status IN (${t.filledFrom.map((s) => `'${s}'`).join(', ')}) LOOP
             EXECUTE format('CREATE TABLE %I PARTITION OF "${t.name}" FOR VALUES IN (%L)', '${t.name}_' || replace(k::text, '-', ''), k);
           END LOOP;
         END $$`,
      );
      await queryRunner.query(`INSERT INTO "${t.name}" SELECT * FROM "${old}"`);
      await queryRunner.query(`DROP TABLE "${old}"`);
    }
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    for (const t of TABLES) {
      const partitioned = `${t.name}_partitioned`;
      await queryRunner.query(`ALTER TABLE "${t.name}" RENAME TO "${partitioned}"`);
      await this.dropKeysAndIndexes(queryRunner, partitioned);
      await queryRunner.query(`CREATE TABLE "${t.name}" (${t.columns}, ${FORMER_KEYS[t.name] ?? t.keys})`);
      for (const index of t.indexes) await queryRunner.query(index);
      await queryRunner.query(`INSERT INTO "${t.name}" SELECT * FROM "${partitioned}"`);
      await queryRunner.query(`DROP TABLE "${partitioned}"`);
    }
  }

  /** Frees the key and index names (they are unique per schema) for the table that replaces this one. */
  private async dropKeysAndIndexes(queryRunner: QueryRunner, table: string): Promise<void> {
    const constraints: { conname: string }[] = await queryRunner.query(
      `SELECT conname FROM pg_constraint WHERE conrelid = $1::regclass AND contype IN ('p', 'u')`,
      [`"${table}"`],
    );
    for (const c of constraints) await queryRunner.query(`ALTER TABLE "${table}" DROP CONSTRAINT "${c.conname}"`);
    const indexes: { indexname: string }[] = await queryRunner.query(`SELECT indexname FROM pg_indexes WHERE schemaname = current_schema() AND tablename = $1`, [table]);
    for (const i of indexes) await queryRunner.query(`DROP INDEX "${i.indexname}"`);
  }
}

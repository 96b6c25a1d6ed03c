import type { EntityManager } from 'typeorm';
import { UUID } from '../ids.js';

/**
 * Tables partitioned by LIST on one uuid column, one partition per key — judging keeps each round's
 * entries, assignments and results so, because a round writes them a million at a time.
 *
 * `loadPartition` fills a key's partition as a fresh table without indexes and attaches it afterwards:
 * PostgreSQL then builds each of the parent's indexes on it in one sort, instead of growing every index
 * row by row (3,000,000 assignment rows: 11 s instead of 27 s on the 2-core reference machine). A CHECK
 * matching the partition bound spares ATTACH its validating scan. It all runs in the caller's
 * transaction: a load that fails leaves no table behind, and nobody sees a half-loaded partition.
 * ATTACH holds the parent's SHARE UPDATE EXCLUSIVE lock until commit, which reads and writes of other
 * keys do not wait for (two loads into one parent at once do, one after the other).
 */
export interface PartitionKey {
  /** The partitioned table. */
  parent: string;
  /** Its partition column (uuid). */
  column: string;
  key: string;
}

const IDENTIFIER = /^[a-z_][a-z0-9_]*$/;

/** The partition's table name: `<parent>_<key's 32 hex digits>` (what the migration that partitioned them used too). */
export function partitionName(parent: string, key: string): string {
  return `${parent}_${key.replace(/-/g, '').toLowerCase()}`;
}

/**
 * Creates the key's partition of `parent` by letting `load` fill the new table (named in its argument,
 * e.g. with `COPY <table> (…) FROM STDIN`) before it is attached. The partition must not exist yet.
 */
export async function loadPartition(m: EntityManager, { parent, column, key }: PartitionKey, load: (table: string) => Promise<unknown>): Promise<void> {
  if (!IDENTIFIER.test(parent) || !IDENTIFIER.test(column)) throw new Error(`not a plain identifier: ${parent}.${column}`);
  if (!UUID.test(key)) throw new Error(`not a uuid partition key: ${key}`);
  const table = partitionName(parent, key);
  await m.query(`CREATE TABLE ${table} (LIKE ${parent} INCLUDING DEFAULTS)`);
  await m.query(`ALTER TABLE ${table} ADD CONSTRAINT ${table}_bound CHECK (${column} IS NOT NULL AND ${column} = '${key}')`);
  await load(table);
  await m.query(`ALTER TABLE ${parent} ATTACH PARTITION ${table} FOR VALUES IN ('${key}')`);
}

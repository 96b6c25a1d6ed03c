import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { createDataSource } from '../../../../apps/cli/src/data-source.js';
import { testConfig } from '../../../../test/support/test-env.js';
import { copyFrom, copyLines } from './copy.js';
import { loadPartition, partitionName } from './partitions.js';

describe('loadPartition (real PostgreSQL)', () => {
  let ds: DataSource;
  const parent = { parent: 'partition_probe', column: 'group_id' };
  beforeAll(async () => {
    ds = await createDataSource((await testConfig()).db.url).initialize();
    await ds.query(`CREATE TABLE partition_probe (group_id uuid NOT NULL, n int NOT NULL, label text NOT NULL DEFAULT 'x', PRIMARY KEY (group_id, n)) PARTITION BY LIST (group_id)`);
    await ds.query(`CREATE INDEX partition_probe_label_idx ON partition_probe (label)`);
  });
  afterAll(async () => {
    await ds?.destroy();
  });

  const load = (key: string, count: number, line = (i: number) => `${key}\t${i}`) =>
    ds.transaction((m) => loadPartition(m, { ...parent, key }, (table) => copyFrom(m, `COPY ${table} (group_id, n) FROM STDIN`, copyLines(count, line))));

  it('attaches the loaded rows as the key’s partition, with the parent’s indexes and defaults', async () => {
    const key = randomUUID();
    await load(key, 10_000);
    const [{ count, labels }] = await ds.query(`SELECT count(*)::int AS count, count(DISTINCT label)::int AS labels FROM partition_probe WHERE group_id = $1`, [key]);
    expect({ count, labels }).toEqual({ count: 10_000, labels: 1 });
    const indexes: { indexdef: string }[] = await ds.query(`SELECT indexdef FROM pg_indexes WHERE tablename = $1 ORDER BY indexdef`, [partitionName('partition_probe', key)]);
    expect(indexes.map((i) => i.indexdef.replace(/^.* USING /, ''))).toEqual(['btree (label)', 'btree (group_id, n)']);
    // The parent's key holds in the partition: a duplicate is refused.
    await expect(ds.query(`INSERT INTO partition_probe (group_id, n) VALUES ($1, 5)`, [key])).rejects.toThrow(/duplicate key/);
    // Single rows for the key land in it afterwards.
    await ds.query(`INSERT INTO partition_probe (group_id, n) VALUES ($1, 10000)`, [key]);
    expect((await ds.query(`SELECT count(*)::int AS n FROM ${partitionName('partition_probe', key)}`))[0].n).toBe(10_001);
  });

  it('leaves nothing behind when the load fails: no rows, no table', async () => {
    const key = randomUUID();
    await expect(load(key, 3, (i) => (i === 2 ? `${key}\tnot-a-number` : `${key}\t${i}`))).rejects.toThrow(/invalid input syntax/);
    const [{ tables }] = await ds.query(`SELECT count(*)::int AS tables FROM pg_class WHERE relname = $1`, [partitionName('partition_probe', key)]);
    expect(tables).toBe(0);
    await load(key, 3);
    expect((await ds.query(`SELECT count(*)::int AS n FROM partition_probe WHERE group_id = $1`, [key]))[0].n).toBe(3);
  });

  it('refuses rows of another key, a second load of the same key, and anything that is not a uuid key', async () => {
    const key = randomUUID();
    await expect(load(key, 2, (i) => `${i ? randomUUID() : key}\t${i}`)).rejects.toThrow(/check constraint/);
    await load(key, 2);
    await expect(load(key, 2)).rejects.toThrow(/already exists/);
    await expect(ds.transaction((m) => loadPartition(m, { ...parent, key: `x'); DROP TABLE partition_probe; --` }, async () => undefined))).rejects.toThrow(/not a uuid/);
    await expect(ds.transaction((m) => loadPartition(m, { parent: 'partition_probe; --', column: 'group_id', key }, async () => undefined))).rejects.toThrow(/identifier/);
  });
});

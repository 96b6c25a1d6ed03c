import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { DataSource } from 'typeorm';
import { createDataSource } from '../../../../apps/cli/src/data-source.js';
import { testConfig } from '../../../../test/support/test-env.js';
import { copyField, copyFrom, copyLines, copyTo, readIntRow } from './copy.js';

describe('COPY on the transaction’s connection (real PostgreSQL)', () => {
  let ds: DataSource;
  beforeAll(async () => {
    ds = await createDataSource((await testConfig()).db.url).initialize();
    await ds.query(`CREATE TABLE copy_probe (n int NOT NULL, label text, x double precision)`);
  });
  afterAll(async () => {
    await ds?.destroy();
  });

  it('writes 100,000 rows in chunks and reads them back as integers, in the same transaction', async () => {
    const seen = new Int32Array(100_000);
    const row = new Int32Array(2);
    await ds.transaction(async (m) => {
      const written = await copyFrom(m, `COPY copy_probe (n, label, x) FROM STDIN`, copyLines(100_000, (i) => `${i}\t${copyField(i % 2 ? 'tab\there' : null)}\t${i / 3}`, 64 * 1024));
      expect(written).toBe(100_000);
      const read = await copyTo(m, `COPY (SELECT n, n * 2 FROM copy_probe) TO STDOUT`, (line) => {
        readIntRow(line, row);
        seen[row[0]] = row[1];
      });
      expect(read).toBe(100_000);
    });
    expect(seen[99_999]).toBe(199_998);
    const [{ label }] = await ds.query(`SELECT label FROM copy_probe WHERE n = 1`);
    expect(label).toBe('tab\there');
  });

  it('a bad row fails the COPY and rolls back the transaction; the connection stays usable', async () => {
    await expect(
      ds.transaction((m) => copyFrom(m, `COPY copy_probe (n) FROM STDIN`, ['1\n', 'not-a-number\n'])),
    ).rejects.toThrow(/invalid input syntax/);
    const failing = (async function* () {
      yield '7\n';
      throw new Error('the source broke');
    })();
    await expect(ds.transaction((m) => copyFrom(m, `COPY copy_probe (n) FROM STDIN`, failing))).rejects.toThrow('the source broke');
    const [{ count }] = await ds.query(`SELECT count(*)::int AS count FROM copy_probe WHERE n = 7 AND label IS NULL AND x IS NULL`);
    expect(count).toBe(0);
    expect(await ds.transaction((m) => m.query(`SELECT 1 AS ok`))).toEqual([{ ok: 1 }]);
  });

  it('reads NULLs and negative numbers', () => {
    const row = new Int32Array(3);
    expect(readIntRow(Buffer.from('-12\t\\N\t7\n'), row, -1)).toBe(3);
    expect(Array.from(row)).toEqual([-12, -1, 7]);
  });
});

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
});

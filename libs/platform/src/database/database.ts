import pg from 'pg';
import type { DataSourceOptions, MixedList } from 'typeorm';
import { SnakeNamingStrategy } from './snake-naming.strategy.js';
import { SqlLogger } from './typeorm-logger.js';

/** Creates the database named in `url` when it does not exist yet (SPEC §4). */
export async function ensureDatabase(url: string): Promise<void> {
  const target = new URL(url);
  const name = decodeURIComponent(target.pathname.replace(/^\//, ''));
  if (!name) throw new Error('DATABASE_URL names no database');
  const admin = new URL(url);
  admin.pathname = '/postgres';
  const client = new pg.Client({ connectionString: admin.toString() });
  await client.connect();
  try {
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (!rowCount) {
      await client.query(`CREATE DATABASE "${name.replace(/"/g, '""')}"`).catch((e: { code?: string }) => {
        if (e.code !== '42P04') throw e; // created meanwhile by another process
      });
    }
  } finally {
    await client.end();
  }
}

/** The options every DataSource of the project shares: app, worker, CLI and tests. */
export function dataSourceOptions(
  url: string,
  extra: { entities?: MixedList<Function>; migrations?: MixedList<Function>; poolSize?: number } = {},
): DataSourceOptions {
  return {
    type: 'postgres',
    url,
    synchronize: false,
    migrationsRun: false,
    migrationsTableName: 'migrations',
    uuidExtension: 'pgcrypto', // gen_random_uuid(), built into PostgreSQL 13+
    migrationsTransactionMode: 'each',
    namingStrategy: new SnakeNamingStrategy(),
    entities: extra.entities ?? [],
    migrations: extra.migrations ?? [],
    // A bounded wait for a pool connection: an exhausted pool answers an error instead of hanging.
    extra: { max: extra.poolSize ?? 20, connectionTimeoutMillis: 15_000, application_name: 'young-ideas' },
    logger: new SqlLogger(),
    maxQueryExecutionTime: 2000,
  } as DataSourceOptions;
}

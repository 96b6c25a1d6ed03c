import { DataSource } from 'typeorm';
import { dataSourceOptions, ensureDatabase, platformEntities } from '@app/platform';
import { identityEntities } from '@app/identity';
import { notificationsEntities } from '@app/notifications';
import { competitionsEntities } from '@app/competitions';
import { schoolsEntities } from '@app/schools';
import { openDataEntities } from '@app/open-data';
import { badgesEntities } from '@app/badges';
import { judgingEntities } from '@app/judging';
import { migrations } from '../../../migrations/index.js';

/** Every entity of every area: what migrations must match. */
export const allEntities = [...platformEntities, ...identityEntities, ...notificationsEntities, ...schoolsEntities, ...competitionsEntities, ...badgesEntities, ...judgingEntities, ...openDataEntities];

export function createDataSource(url: string): DataSource {
  return new DataSource(dataSourceOptions(url, { entities: allEntities, migrations, poolSize: 4 }));
}

/** Applies pending migrations (creating the database first if needed); returns their names. */
export async function migrate(url: string): Promise<string[]> {
  await ensureDatabase(url);
  const ds = await createDataSource(url).initialize();
  try {
    const applied = await ds.runMigrations({ transaction: 'each' });
    return applied.map((m) => m.name);
  } finally {
    await ds.destroy();
  }
}

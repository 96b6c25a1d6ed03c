import { randomBytes } from 'node:crypto';
import { AppConfig } from '@app/platform';
import { migrate } from '../../apps/cli/src/data-source.js';

/** A fresh database (migrated) and Redis prefix for one test file, named after the run. */
export async function testConfig(overrides: Record<string, string> = {}): Promise<AppConfig> {
  const run = process.env.YI_TEST_RUN ?? `yi_test_adhoc_${Date.now().toString(36)}`;
  const name = `${run}_${randomBytes(4).toString('hex')}`;
  const base = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const url = new URL(base);
  url.pathname = `/${name}`;
  const config = AppConfig.load({
    NODE_ENV: 'test',
    DATABASE_URL: url.toString(),
    REDIS_URL: process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379',
    REDIS_PREFIX: name,
    PUBLIC_BASE_URL: 'http://young-ideas.test',
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    MAIL_DIR: `var/test-mail/${name}`,
    ...overrides,
  });
  await migrate(config.db.url);
  return config;
}

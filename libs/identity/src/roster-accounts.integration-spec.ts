import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { Test } from '@nestjs/testing';
import type { INestApplicationContext } from '@nestjs/common';
import { getDataSourceToken } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import type { DataSource, Logger } from 'typeorm';
import { AppLogger, PlatformModule } from '@app/platform';
import { testConfig } from '../../../test/support/test-env.js';
import { AccountsService, type RosterEntrant } from './accounts.service.js';
import { AuthService } from './auth.service.js';
import { IdentityModule } from './identity.module.js';
import { PasswordService } from './password.service.js';

let app: INestApplicationContext;
let db: DataSource;
let accounts: AccountsService;

beforeAll(async () => {
  const config = await testConfig();
  const moduleRef = await Test.createTestingModule({ imports: [PlatformModule.forRoot(config), IdentityModule] }).compile();
  moduleRef.useLogger(moduleRef.get(AppLogger)); // the configured (silent) level, as the apps run
  app = await moduleRef.init();
  db = app.get<DataSource>(getDataSourceToken());
  accounts = app.get(AccountsService);
});
afterAll(async () => {
  await app?.close();
});

/** Runs `fn` and returns the SQL statements it sent. */
async function statementsOf(fn: () => Promise<unknown>): Promise<string[]> {
  const seen: string[] = [];
  const original = db.logger;
  const counting: Logger = { ...original, logQuery: (q: string) => void seen.push(q) } as Logger;
  Object.assign(db, { logger: counting });
  try {
    await fn();
  } finally {
    Object.assign(db, { logger: original });
  }
  return seen;
}

const today = new Date();
const born = (years: number, days: number) =>
  new Date(Date.UTC(today.getUTCFullYear() - years, today.getUTCMonth(), today.getUTCDate() - days)).toISOString().slice(0, 10);

describe('roster accounts', () => {
  it('creates 500 namesakes (under 13, with parent addresses) in a handful of statements, not hundreds', async () => {
    const rows: RosterEntrant[] = Array.from({ length: 500 }, (_, i) => ({
      firstName: 'Amira',
      lastName: 'Khan',
      dateOfBirth: born(11, i),
      parentEmail: `parent-${i}@example.com`,
    }));
    let created: Awaited<ReturnType<AccountsService['createRosterAccounts']>> = [];
    const statements = await statementsOf(() =>
      db.transaction(async (m) => {
        created = await accounts.createRosterAccounts(m, rows, { region: 'wales', actorId: randomUUID() });
      }),
    );
    expect(created).toHaveLength(500);
    expect(new Set(created.map((c) => c.username)).size).toBe(500);
    const lookups = statements.filter((s) => s.startsWith('SELECT username FROM users'));
    expect(lookups.length).toBeGreaterThanOrEqual(1);
    expect(lookups.length).toBeLessThanOrEqual(3);
    expect(statements.filter((s) => s.startsWith('INSERT INTO "users"')).length).toBe(1);
    // Consent links, their emails and the emails' delivery jobs: one statement each; the audit entries
    // (accounts created, consent requested) two.
    const insertsInto = (table: string) => statements.filter((s) => s.startsWith(`INSERT INTO "${table}"`)).length;
    expect(Object.fromEntries(['single_use_token', 'notification', 'outbox', 'audit_log'].map((t) => [t, insertsInto(t)]))).toEqual({
      single_use_token: 1,
      notification: 1,
      outbox: 1,
      audit_log: 2,
    });
    const [{ tokens }] = await db.query(`SELECT count(*)::int AS tokens FROM single_use_token WHERE subject_id = ANY($1)`, [created.map((c) => c.id)]);
    expect(tokens).toBe(500);
    const [{ n }] = await db.query(
      `SELECT count(*)::int AS n FROM users WHERE first_name = 'Amira' AND origin = 'roster' AND region = 'wales' AND consent_status = 'pending'`,
    );
    expect(n).toBe(500);
  });

  it('still finds free usernames when every short one is taken', async () => {
    await db.query(
      `INSERT INTO users (username, first_name, last_name, roles) SELECT 'zara.q' || g, 'Zara', 'Quinn', '{entrant}' FROM generate_series(100, 999) g`,
    );
    let created: { username: string }[] = [];
    await db.transaction(async (m) => {
      created = await accounts.createRosterAccounts(m, [{ firstName: 'Zara', lastName: 'Quinn', dateOfBirth: born(12, 0) }], {
        region: 'london',
        actorId: randomUUID(),
      });
    });
    expect(created[0].username).toMatch(/^zara\.q\d{4,5}$/);
  });

  it('refuses rows that break the rules, naming the row', async () => {
    const rows = [
      { firstName: 'Good', lastName: 'Row', dateOfBirth: born(12, 0) },
      { firstName: 'Too', lastName: 'Young', dateOfBirth: born(9, 0) },
    ];
    await expect(db.transaction((m) => accounts.createRosterAccounts(m, rows, { region: 'london', actorId: randomUUID() }))).rejects.toMatchObject({
      kind: 'invalid',
      extra: { errors: [{ field: '2.dateOfBirth', message: expect.any(String) }] },
    });
  });

  it('sign-in takes the one-time password, and one argon2 verification runs either way (no timing tell)', async () => {
    let initialPassword = '';
    let username = '';
    await db.transaction(async (m) => {
      [{ initialPassword, username }] = await accounts.createRosterAccounts(m, [{ firstName: 'Timing', lastName: 'Check', dateOfBirth: born(12, 0) }], {
        region: 'london',
        actorId: randomUUID(),
      });
    });
    const auth = app.get(AuthService);
    const verify = jest.spyOn(app.get(PasswordService), 'verify');
    try {
      const user = await auth.signIn(username, initialPassword.toUpperCase(), '203.0.113.9');
      expect(user.mustChangePassword).toBe(true);
      await expect(auth.signIn(username, 'not-the-one-time-password', '203.0.113.9')).rejects.toMatchObject({ code: 'INVALID_CREDENTIALS' });
      // Each attempt ran exactly one argon2 verification (of the dummy hash), like any other sign-in.
      expect(verify.mock.calls).toEqual([
        [null, initialPassword.toUpperCase()],
        [null, 'not-the-one-time-password'],
      ]);
    } finally {
      verify.mockRestore();
    }
  });
});

import { randomBytes } from 'node:crypto';
import type { TestApp } from './test-app.js';
import { tokenFrom } from './mail-capture.js';

export const PASSWORD = 'violet-harbour-lantern';
const unique = () => randomBytes(4).toString('hex');

/** YYYY-MM-DD for someone `years` old today (plus `days` more). */
export function bornYearsAgo(years: number, days = 0, from = new Date()): string {
  const d = new Date(Date.UTC(from.getUTCFullYear() - years, from.getUTCMonth(), from.getUTCDate() - days));
  return d.toISOString().slice(0, 10);
}

export interface Registered {
  id: string;
  email: string | null;
  username: string;
  password: string;
  body: Record<string, any>;
}

export async function register(t: TestApp, overrides: Record<string, unknown> = {}): Promise<Registered> {
  const body = {
    accountType: 'entrant',
    email: `entrant-${unique()}@example.com`,
    password: PASSWORD,
    firstName: 'Amira',
    lastName: 'Khan',
    dateOfBirth: bornYearsAgo(15),
    region: 'london',
    ...overrides,
  };
  const res = await t.http().post('/api/v1/auth/register').send(body);
  if (res.status !== 201) throw new Error(`register failed: ${res.status} ${JSON.stringify(res.body)}`);
  return { id: res.body.id, email: res.body.email, username: res.body.username, password: String(body.password), body: res.body };
}

export const anEntrant = (t: TestApp, o: Record<string, unknown> = {}) => register(t, o);
export const aTeacher = (t: TestApp, o: Record<string, unknown> = {}) =>
  register(t, { accountType: 'teacher', email: `teacher-${unique()}@example.com`, firstName: 'Grace', lastName: 'Hopper', dateOfBirth: bornYearsAgo(35), ...o });

export async function signIn(t: TestApp, login: string, password = PASSWORD): Promise<{ accessToken: string; refreshToken: string }> {
  const res = await t.http().post('/api/v1/auth/login').send({ login, password });
  if (res.status !== 200) throw new Error(`sign-in failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

/** A signed-in session: `as(token)` adds the bearer header. */
export async function session(t: TestApp, user: Registered) {
  const tokens = await signIn(t, user.email ?? user.username, user.password);
  return { ...tokens, auth: { Authorization: `Bearer ${tokens.accessToken}` } };
}

export async function anOrganiser(t: TestApp): Promise<Registered & { auth: Record<string, string> }> {
  const { AccountsService } = await import('@app/identity');
  const email = `organiser-${unique()}@example.com`;
  const { user } = await t.app.get(AccountsService).createOrganiser({ email, password: PASSWORD, firstName: 'Sam', lastName: 'Okafor' }, null);
  const registered = { id: user.id, email, username: user.username, password: PASSWORD, body: {} };
  return { ...registered, auth: (await session(t, registered)).auth };
}

/** Registers and verifies the email through the real emailed link. */
export async function aVerifiedEntrant(t: TestApp, o: Record<string, unknown> = {}): Promise<Registered> {
  const user = await register(t, o);
  const mail = await t.mail.waitFor(user.email!);
  const res = await t.http().post('/api/v1/auth/verify-email').send({ token: tokenFrom(mail, 'verify-email') });
  if (res.status !== 204) throw new Error(`verify failed: ${res.status}`);
  return user;
}

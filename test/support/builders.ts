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

/** Verifies a registered user's email through the real emailed link. */
export async function verifyEmail<T extends Registered>(t: TestApp, user: T): Promise<T> {
  const mail = await t.mail.waitFor(user.email!, (m) => /confirm/i.test(m.subject));
  const res = await t.http().post('/api/v1/auth/verify-email').send({ token: tokenFrom(mail, 'verify-email') });
  if (res.status !== 204) throw new Error(`verify failed: ${res.status}`);
  return user;
}

/** Registers and verifies the email through the real emailed link. */
export async function aVerifiedEntrant(t: TestApp, o: Record<string, unknown> = {}): Promise<Registered> {
  return verifyEmail(t, await register(t, o));
}

/** A published competition open now (unless overridden), created by an organiser. */
export async function aCompetition(t: TestApp, organiser: { auth: Record<string, string> }, overrides: Record<string, unknown> = {}) {
  const now = t.clock.now().getTime();
  const body = {
    title: 'Young Ideas 2027',
    slug: `young-ideas-${unique()}`,
    description: 'Digital ideas that make life better.',
    minAge: 11,
    maxAge: 25,
    opensAt: new Date(now - 24 * 3600_000).toISOString(),
    closesAt: new Date(now + 30 * 24 * 3600_000).toISOString(),
    categories: ['health', 'environment', 'education'],
    ...overrides,
  };
  const created = await t.http().post('/api/v1/competitions').set(organiser.auth).send(body);
  if (created.status !== 201) throw new Error(`competition failed: ${created.status} ${JSON.stringify(created.body)}`);
  const published = await t.http().post(`/api/v1/competitions/${created.body.id}/publish`).set(organiser.auth);
  return published.body as { id: string; closesAt: string; maxTeamSize: number; [k: string]: unknown };
}

export const COMPLETE_IDEA = {
  title: 'Bus buddy',
  summary: 'An app that pairs younger pupils with older ones on the school bus.',
  problem: 'Younger pupils feel unsafe on long bus journeys.',
  solution: 'A matching app run by the school, with teacher oversight.',
  audience: 'Pupils aged 11 to 13 and their schools.',
  category: 'education',
  links: ['https://example.org/bus-buddy'],
};

/** A draft idea (complete unless overridden) owned by `owner`. */
export async function anIdea(t: TestApp, owner: { auth: Record<string, string> }, competitionId: string, overrides: Record<string, unknown> = {}) {
  const res = await t.http().post(`/api/v1/competitions/${competitionId}/ideas`).set(owner.auth).send({ ...COMPLETE_IDEA, ...overrides });
  if (res.status !== 201) throw new Error(`idea failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body as { id: string; [k: string]: unknown };
}

/** A verified entrant, signed in. */
export async function aSignedInEntrant(t: TestApp, o: Record<string, unknown> = {}) {
  const user = await aVerifiedEntrant(t, o);
  return { ...user, auth: (await session(t, user)).auth };
}

// ---------------------------------------------------------------------------------------------------
// Schools and classes

export type SignedInUser = Registered & { auth: Record<string, string> };

/** A random 6-digit URN. */
export const aUrn = () => String(100000 + (randomBytes(4).readUInt32BE() % 900000));

/** A teacher, signed in (`auth`), registered with a school (new unless `urn` names an existing one): pending. */
export async function aPendingTeacher(t: TestApp, o: { urn?: string; teacher?: Record<string, unknown> } = {}) {
  const teacher = await aTeacher(t, o.teacher);
  const auth = (await session(t, teacher)).auth;
  const urn = o.urn ?? aUrn();
  const res = await t.http().post('/api/v1/schools').set(auth).send({ urn, name: 'Hillside Academy', postcode: 'sw1a1aa' });
  if (res.status !== 201 && res.status !== 200) throw new Error(`school registration failed: ${res.status} ${JSON.stringify(res.body)}`);
  return { ...teacher, auth, schoolId: res.body.id as string, urn };
}

/** A teacher verified by an organiser at a school (new unless `urn` is given). */
export async function aVerifiedTeacher(t: TestApp, o: { urn?: string; organiser?: SignedInUser; teacher?: Record<string, unknown> } = {}) {
  const teacher = await aPendingTeacher(t, o);
  const organiser = o.organiser ?? (await anOrganiser(t));
  const res = await t.http().post(`/api/v1/schools/${teacher.schoolId}/verify`).set(organiser.auth).send({ teacherIds: [teacher.id] });
  if (res.status !== 200) throw new Error(`verification failed: ${res.status} ${JSON.stringify(res.body)}`);
  return teacher;
}

/** A class of the teacher's school; returns the class shape. */
export async function aClass(t: TestApp, teacher: { auth: Record<string, string>; schoolId: string }, o: Record<string, unknown> = {}) {
  const res = await t.http().post('/api/v1/classes').set(teacher.auth).send({ schoolId: teacher.schoolId, name: '7B Computing', yearGroup: 'Year 7', ...o });
  if (res.status !== 201) throw new Error(`class creation failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body as { id: string; joinCode: string; schoolId: string; name: string };
}

export interface RosterLine {
  firstName?: string;
  lastName?: string;
  dateOfBirth?: string;
  parentEmail?: string;
}

/** A roster CSV (header with parentEmail) from rows; fields are quoted. */
export function rosterCsv(rows: RosterLine[], { eol = '\n' } = {}): string {
  const q = (v: string) => `"${v.replace(/"/g, '""')}"`;
  const lines = rows.map((r) => [r.firstName ?? 'Amira', r.lastName ?? 'Khan', r.dateOfBirth ?? bornYearsAgo(12), r.parentEmail ?? ''].map(q).join(','));
  return ['firstName,lastName,dateOfBirth,parentEmail', ...lines].join(eol) + eol;
}

export function postRoster(t: TestApp, auth: Record<string, string>, classId: string, csv: string, query = '') {
  return t.http().post(`/api/v1/classes/${classId}/roster${query}`).set(auth).set('Content-Type', 'text/csv').send(csv);
}

/** Imports one pupil into the class; returns them with their one-time password as `password`. */
export async function aRosterStudent(t: TestApp, teacher: { auth: Record<string, string> }, classId: string, row: RosterLine = {}): Promise<Registered> {
  const res = await postRoster(t, teacher.auth, classId, rosterCsv([{ firstName: `Pupil${unique().replace(/\d/g, '')}`, ...row }]));
  if (res.status !== 201) throw new Error(`roster import failed: ${res.status} ${JSON.stringify(res.body)}`);
  const [created] = res.body.created;
  return { id: created.id, email: null, username: created.username, password: created.initialPassword, body: created };
}

/** Signs a roster pupil in with their one-time password and sets PASSWORD; returns a usable session. */
export async function withOwnPassword(t: TestApp, student: Registered): Promise<Registered & { auth: Record<string, string> }> {
  const first = await signIn(t, student.username, student.password);
  const res = await t.http()
    .post('/api/v1/auth/password/change')
    .set('Authorization', `Bearer ${first.accessToken}`)
    .send({ currentPassword: student.password, newPassword: PASSWORD });
  if (res.status !== 204) throw new Error(`password change failed: ${res.status} ${JSON.stringify(res.body)}`);
  return { ...student, password: PASSWORD, auth: { Authorization: `Bearer ${first.accessToken}` } };
}

export type VerifiedTeacher = Awaited<ReturnType<typeof aVerifiedTeacher>>;

/** POST /auth/login's whole answer (mustChangePassword included). */
export async function loginAnswer(t: TestApp, login: string, password: string): Promise<{ accessToken: string; refreshToken: string; mustChangePassword: boolean }> {
  const res = await t.http().post('/api/v1/auth/login').send({ login, password });
  if (res.status !== 200) throw new Error(`sign-in failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

/** The fields a 400 names, each once (a field can break several rules), in order. */
export const errorFields = (res: { body: { errors: { field: string }[] } }): string[] => [...new Set(res.body.errors.map((e) => e.field))];

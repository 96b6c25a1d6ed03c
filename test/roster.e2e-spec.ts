import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startTestApp, type TestApp } from './support/test-app.js';
import {
  PASSWORD,
  aClass,
  aPendingTeacher,
  aRosterStudent,
  aVerifiedTeacher,
  anEntrant,
  anOrganiser,
  bornYearsAgo,
  postRoster,
  rosterCsv,
  session,
  signIn,
  loginAnswer,
  type SignedInUser,
  type VerifiedTeacher,
} from './support/builders.js';
import { waitFor } from './support/mail-capture.js';

let t: TestApp;
let organiser: SignedInUser;
let teacher: VerifiedTeacher;
beforeAll(async () => {
  t = await startTestApp();
  organiser = await anOrganiser(t);
  teacher = await aVerifiedTeacher(t, { organiser, teacher: { region: 'north-west' } });
});
afterAll(async () => {
  await t?.close();
});
const login = (username: string, password: string) => loginAnswer(t, username, password);

const userCount = async () => (await t.db.query(`SELECT count(*)::int AS n FROM users`))[0].n as number;
const lockWaiters = `SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`;
const classView = async (classId: string) => (await t.http().get(`/api/v1/classes/${classId}`).set(teacher.auth).expect(200)).body;

describe('importing a roster', () => {
  it('reads a BOM, CRLF line ends, quoted names with commas and accents, and both date formats', async () => {
    const cls = await aClass(t, teacher);
    const dob = bornYearsAgo(12);
    const [y, m, d] = dob.split('-');
    const csv =
      '\uFEFFfirstName,lastName,dateOfBirth,parentEmail\r\n' +
      `"Zoë","O'Brien, Jr",${dob},\r\n` +
      `Amélie,"Núñez-García",${d}/${m}/${y},\r\n` +
      `"Siân","Ap Rhys-Jones",${bornYearsAgo(14)},\r\n`;
    const res = await postRoster(t, teacher.auth, cls.id, csv).expect(201);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.body.dryRun).toBe(false);
    expect(res.body.rowCount).toBe(3);
    expect(res.body.created.map((c: { displayName: string }) => c.displayName)).toEqual(['Zoë O.', 'Amélie N.', 'Siân A.']);
    for (const c of res.body.created) {
      expect(c.username).toMatch(/^[a-z0-9]+\.[a-z]\d{3,5}$/);
      expect(c.initialPassword).toMatch(/^[a-z2-9]{6}-[a-z2-9]{6}-[a-z2-9]{6}$/);
    }
    expect(res.body.created[0].username).toMatch(/^zoe\.o/);
    const view = await classView(cls.id);
    const zoe = view.students.find((s: { userId: string }) => s.userId === res.body.created[0].id);
    expect(zoe).toMatchObject({ firstName: 'Zoë', lastName: "O'Brien, Jr", ageBand: 'U13', consentStatus: 'pending' });
    const amelie = view.students.find((s: { userId: string }) => s.userId === res.body.created[1].id);
    expect(amelie).toMatchObject({ firstName: 'Amélie', lastName: 'Núñez-García' });
    const sian = view.students.find((s: { userId: string }) => s.userId === res.body.created[2].id);
    expect(sian).toMatchObject({ lastName: 'Ap Rhys-Jones', ageBand: '13-17', consentStatus: 'not_required' });
  });

  it('creates accounts without email in the teacher’s region, with the one-time password kept under a keyed hash', async () => {
    const cls = await aClass(t, teacher);
    const student = await aRosterStudent(t, teacher, cls.id, { firstName: 'Keyed' });
    const [row] = await t.db.query(`SELECT email, password_hash, one_time_password_hash, must_change_password, origin, region FROM users WHERE id = $1`, [student.id]);
    expect(row).toMatchObject({ email: null, password_hash: null, must_change_password: true, origin: 'roster', region: 'north-west' });
    expect(row.one_time_password_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(row.one_time_password_hash).not.toContain(student.password.replace(/-/g, ''));
  });

  it('gives duplicate names distinct usernames', async () => {
    const cls = await aClass(t, teacher);
    const rows = Array.from({ length: 40 }, (_, i) => ({ firstName: 'Amira', lastName: 'Khan', dateOfBirth: bornYearsAgo(11, i + 1) }));
    const res = await postRoster(t, teacher.auth, cls.id, rosterCsv(rows)).expect(201);
    const usernames = res.body.created.map((c: { username: string }) => c.username);
    expect(new Set(usernames).size).toBe(40);
    for (const u of usernames) expect(u).toMatch(/^amira\.k\d+$/);
  });

  it('keeps the CSV’s row order in `created`', async () => {
    const cls = await aClass(t, teacher);
    const names = ['Yusuf', 'Aaron', 'Mia', 'Bea'];
    const res = await postRoster(t, teacher.auth, cls.id, rosterCsv(names.map((firstName) => ({ firstName })))).expect(201);
    expect(res.body.created.map((c: { displayName: string }) => c.displayName.split(' ')[0])).toEqual(names);
  });

  it('creates nothing and names row 17 when row 17 has a bad date', async () => {
    const cls = await aClass(t, teacher);
    const rows = Array.from({ length: 30 }, (_, i) => ({ firstName: 'Pupil', lastName: 'Number', dateOfBirth: bornYearsAgo(12, i) }));
    rows[16].dateOfBirth = '31/02/2013';
    const before = await userCount();
    const res = await postRoster(t, teacher.auth, cls.id, rosterCsv(rows)).expect(400);
    expect(res.body.code).toBe('ROSTER_INVALID');
    expect(res.body.errors).toEqual([{ field: 'row 17.dateOfBirth', message: expect.stringMatching(/^row 17: dateOfBirth must be/) }]);
    expect(await userCount()).toBe(before);
    expect((await classView(cls.id)).students).toEqual([]);
  });

  it('lists every bad row and field at once', async () => {
    const cls = await aClass(t, teacher);
    const csv = rosterCsv([
      { firstName: 'Good' },
      { firstName: '' },
      { firstName: 'Tiny', dateOfBirth: bornYearsAgo(9) },
      { firstName: 'Mail', parentEmail: 'not-an-address' },
      { firstName: 'R2D2' },
      { firstName: 'Good' },
    ]);
    const res = await postRoster(t, teacher.auth, cls.id, csv).expect(400);
    expect(res.body.errors.map((e: { field: string }) => e.field)).toEqual([
      'row 2.firstName',
      'row 3.dateOfBirth',
      'row 4.parentEmail',
      'row 5.firstName',
      'row 6',
    ]);
    expect(res.body.errors[4].message).toMatch(/repeats row 1/);
  });

  it('refuses a roster of 501 rows (400) and takes one of 500', async () => {
    const cls = await aClass(t, teacher);
    const rows = (n: number) => Array.from({ length: n }, (_, i) => ({ firstName: 'Sam', lastName: `Lee${String.fromCharCode(97 + (i % 26))}`, dateOfBirth: bornYearsAgo(12, i) }));
    const tooMany = await postRoster(t, teacher.auth, cls.id, rosterCsv(rows(501))).expect(400);
    expect(tooMany.body.errors).toEqual([{ field: 'rows', message: expect.stringMatching(/at most 500 rows; this one has 501/) }]);
    const started = Date.now();
    const ok = await postRoster(t, teacher.auth, cls.id, rosterCsv(rows(500))).expect(201);
    expect(ok.body.created).toHaveLength(500);
    expect(Date.now() - started).toBeLessThan(10_000);
    // The class is now full: one more row would go past the cap.
    const over = await postRoster(t, teacher.auth, cls.id, rosterCsv([{ firstName: 'Extra' }])).expect(409);
    expect(over.body.code).toBe('CLASS_FULL');
    const dry = await postRoster(t, teacher.auth, cls.id, rosterCsv([{ firstName: 'Extra' }]), '?dryRun=true').expect(409);
    expect(dry.body.code).toBe('CLASS_FULL');
  });

  it('validates only on a dry run (200), creating nothing', async () => {
    const cls = await aClass(t, teacher);
    const before = await userCount();
    const res = await postRoster(t, teacher.auth, cls.id, rosterCsv([{ firstName: 'Dry' }, { firstName: 'Run' }]), '?dryRun=true').expect(200);
    expect(res.body).toEqual({ dryRun: true, rowCount: 2, created: [] });
    expect(await userCount()).toBe(before);
    const bad = await postRoster(t, teacher.auth, cls.id, rosterCsv([{ firstName: 'Dry', dateOfBirth: 'yesterday' }]), '?dryRun=true').expect(400);
    expect(bad.body.errors[0].field).toBe('row 1.dateOfBirth');
  });

  it('refuses to import someone already in the class (same name and date of birth)', async () => {
    const cls = await aClass(t, teacher);
    const row = { firstName: 'Twice', lastName: 'Imported', dateOfBirth: bornYearsAgo(12) };
    await postRoster(t, teacher.auth, cls.id, rosterCsv([row])).expect(201);
    const res = await postRoster(t, teacher.auth, cls.id, rosterCsv([{ firstName: 'New' }, row])).expect(400);
    expect(res.body.errors).toEqual([{ field: 'row 2', message: expect.stringMatching(/already in the class/) }]);
  });

  it('lists the rows naming someone already in the class along with the other bad rows, in row order', async () => {
    const cls = await aClass(t, teacher);
    const row = { firstName: 'Already', lastName: 'Here', dateOfBirth: bornYearsAgo(12) };
    await postRoster(t, teacher.auth, cls.id, rosterCsv([row])).expect(201);
    const csv = rosterCsv([{ firstName: 'Baddate', dateOfBirth: '31/02/2013' }, { firstName: 'New' }, row, { firstName: 'R2D2' }]);
    const res = await postRoster(t, teacher.auth, cls.id, csv).expect(400);
    expect(res.body.errors).toEqual([
      { field: 'row 1.dateOfBirth', message: expect.stringMatching(/^row 1: dateOfBirth must be/) },
      { field: 'row 3', message: 'row 3: this student is already in the class (same name and date of birth)' },
      { field: 'row 4.firstName', message: expect.stringMatching(/^row 4: /) },
    ]);
  });

  it('imports a roster sent twice at once (a double click) once: the other answer is the refusal a repeat gets', async () => {
    const cls = await aClass(t, teacher);
    const parents = ['double.click.1@example.com', 'double.click.2@example.com', 'double.click.3@example.com'];
    const csv = rosterCsv(parents.map((parentEmail, i) => ({ firstName: `Clicked${'abc'[i]}`, lastName: 'Twice', parentEmail })));
    // The worst interleaving, every time: both requests pass the checks made before the import's transaction, then queue for the
    // class's lock, held here until both wait for it.
    const lock = t.db.createQueryRunner();
    await lock.startTransaction();
    await lock.query(`SELECT id FROM school_class WHERE id = $1 FOR UPDATE`, [cls.id]);
    const both = Promise.all([postRoster(t, teacher.auth, cls.id, csv), postRoster(t, teacher.auth, cls.id, csv)]);
    try {
      await waitFor(async () => (await t.db.query(lockWaiters))[0].n === 2, 10_000, 'both imports to wait for the class');
    } finally {
      await lock.commitTransaction();
      await lock.release();
    }
    const answers = await both;
    expect(answers.map((r) => r.status).sort()).toEqual([201, 400]);
    const repeat = await postRoster(t, teacher.auth, cls.id, csv).expect(400);
    expect(answers.find((r) => r.status === 400)!.body).toEqual(repeat.body);
    expect((await classView(cls.id)).students.map((s: { firstName: string }) => s.firstName).sort()).toEqual(['Clickeda', 'Clickedb', 'Clickedc']);
    for (const parent of parents) {
      const [{ n }] = await t.db.query(`SELECT count(*)::int AS n FROM notification WHERE email = $1 AND template = 'consent-request'`, [parent]);
      expect(n).toBe(1);
    }
  });

  it('explains a bad header and an unreadable file', async () => {
    const cls = await aClass(t, teacher);
    const header = await postRoster(t, teacher.auth, cls.id, 'first,last,dob\nA,B,2013-01-01\n').expect(400);
    expect(header.body.errors.map((e: { field: string }) => e.field)).toEqual(['header', 'header']);
    const broken = await postRoster(t, teacher.auth, cls.id, 'firstName,lastName,dateOfBirth\n"Amira,Khan,2013-01-01\n').expect(400);
    expect(broken.body.errors[0]).toEqual({ field: 'csv', message: expect.stringMatching(/cannot be read/) });
    const empty = await postRoster(t, teacher.auth, cls.id, 'firstName,lastName,dateOfBirth\n\n,,\n').expect(400);
    expect(empty.body.errors[0].field).toBe('rows');
  });

  it('sends the consent request to the parent of an under-13 given a parentEmail, and only then', async () => {
    const cls = await aClass(t, teacher);
    const res = await postRoster(
      t,
      teacher.auth,
      cls.id,
      rosterCsv([
        { firstName: 'Young', lastName: 'Surnameless', parentEmail: 'Parent.Of.Young@Example.com' },
        { firstName: 'Noparent', lastName: 'Given' },
        { firstName: 'Teen', lastName: 'Older', dateOfBirth: bornYearsAgo(14), parentEmail: 'parent.of.teen@example.com' },
      ]),
    ).expect(201);
    const mail = await t.mail.waitFor('parent.of.young@example.com');
    expect(mail.subject).toContain('Young S.');
    expect(mail.text).toMatch(/\/consent\?token=/);
    expect(mail.text + mail.html).not.toContain('Surnameless');
    const [young, noParent, teen] = res.body.created.map((c: { id: string }) => c.id);
    const statuses = await t.db.query(`SELECT id, consent_status, parent_email FROM users WHERE id = ANY($1)`, [[young, noParent, teen]]);
    const byId = new Map(statuses.map((r: { id: string }) => [r.id, r]));
    expect(byId.get(young)).toMatchObject({ consent_status: 'pending', parent_email: 'parent.of.young@example.com' });
    expect(byId.get(noParent)).toMatchObject({ consent_status: 'pending', parent_email: null });
    expect(byId.get(teen)).toMatchObject({ consent_status: 'not_required', parent_email: null });
    expect(t.mail.to('parent.of.teen@example.com')).toHaveLength(0);
  });
});

describe('who may import', () => {
  it('refuses entrants (403), unverified teachers (403) and teachers of other schools (404), before reading the body', async () => {
    const cls = await aClass(t, teacher);
    const entrant = await anEntrant(t);
    const entrantAuth = (await session(t, entrant)).auth;
    await postRoster(t, entrantAuth, cls.id, rosterCsv([{}])).expect(403);
    await t.http().get(`/api/v1/classes/${cls.id}`).set(entrantAuth).expect(403);
    const pending = await aPendingTeacher(t, { urn: teacher.urn });
    expect((await postRoster(t, pending.auth, cls.id, 'not even a csv').expect(403)).body.code).toBe('TEACHER_NOT_VERIFIED');
    const stranger = await aVerifiedTeacher(t, { organiser });
    expect((await postRoster(t, stranger.auth, cls.id, 'not even a csv').expect(404)).body.code).toBe('CLASS_NOT_FOUND');
    expect((await classView(cls.id)).students).toEqual([]);
  });

  it('wants text/csv', async () => {
    const cls = await aClass(t, teacher);
    await t.http().post(`/api/v1/classes/${cls.id}/roster`).set(teacher.auth).send({ firstName: 'Json' }).expect(415);
  });
});

describe('first sign-in of a roster pupil', () => {
  it('accepts the one-time password, then allows only /me, password change and logout until it is changed', async () => {
    const cls = await aClass(t, teacher);
    const student = await aRosterStudent(t, teacher, cls.id, { firstName: 'First', dateOfBirth: bornYearsAgo(14) });
    // Typed as printed, or in capitals without hyphens: both work.
    const tokens = await login(student.username, student.password.toUpperCase().replace(/-/g, ''));
    expect(tokens.mustChangePassword).toBe(true);
    const auth = { Authorization: `Bearer ${tokens.accessToken}` };
    const me = await t.http().get('/api/v1/me').set(auth).expect(200);
    expect(me.body).toMatchObject({ mustChangePassword: true, email: null, region: 'north-west', roles: ['entrant'] });
    for (const res of [
      await t.http().patch('/api/v1/me').set(auth).send({ firstName: 'Changed' }),
      await t.http().get('/api/v1/me/notifications').set(auth),
      await t.http().post('/api/v1/classes/join').set(auth).send({ code: cls.joinCode }),
    ]) {
      expect(res.status).toBe(403);
      expect(res.body.code).toBe('PASSWORD_CHANGE_REQUIRED');
    }
    await t.http().post('/api/v1/auth/password/change').set(auth).send({ currentPassword: 'wrong-one-time', newPassword: PASSWORD }).expect(400);
    await t.http().post('/api/v1/auth/password/change').set(auth).send({ currentPassword: student.password, newPassword: PASSWORD }).expect(204);
    await t.http().patch('/api/v1/me').set(auth).send({ firstName: 'Changed' }).expect(200);
    const [row] = await t.db.query(`SELECT password_hash, one_time_password_hash, must_change_password FROM users WHERE id = $1`, [student.id]);
    expect(row.one_time_password_hash).toBeNull();
    expect(row.must_change_password).toBe(false);
    expect(row.password_hash).toMatch(/^\$argon2id\$/);
    // The one-time password is spent; the chosen one works.
    await t.http().post('/api/v1/auth/login').send({ login: student.username, password: student.password }).expect(401);
    const again = await login(student.username, PASSWORD);
    expect(again.mustChangePassword).toBe(false);
  });

  it('lets the pupil log out before changing', async () => {
    const cls = await aClass(t, teacher);
    const student = await aRosterStudent(t, teacher, cls.id, { firstName: 'Leaving' });
    const tokens = await signIn(t, student.username, student.password);
    const auth = { Authorization: `Bearer ${tokens.accessToken}` };
    await t.http().post('/api/v1/auth/logout').set(auth).send({ refreshToken: tokens.refreshToken }).expect(204);
    await t.http().get('/api/v1/me').set(auth).expect(401);
  });
});

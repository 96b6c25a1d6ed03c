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
  errorFields,
  postRoster,
  rosterCsv,
  session,
  signIn,
  withOwnPassword,
  loginAnswer,
  type SignedInUser,
  type VerifiedTeacher,
} from './support/builders.js';
import { JOIN_CODE_ALPHABET } from '@app/schools';

let t: TestApp;
let organiser: SignedInUser;
let teacher: VerifiedTeacher;
let stranger: VerifiedTeacher;
beforeAll(async () => {
  t = await startTestApp();
  organiser = await anOrganiser(t);
  teacher = await aVerifiedTeacher(t, { organiser });
  stranger = await aVerifiedTeacher(t, { organiser });
});
afterAll(async () => {
  await t?.close();
});
const login = (username: string, password: string) => loginAnswer(t, username, password);

const anEntrantSession = async (o: Record<string, unknown> = {}) => {
  const entrant = await anEntrant(t, o);
  return { ...entrant, auth: (await session(t, entrant)).auth };
};
const join = (auth: Record<string, string>, code: string) => t.http().post('/api/v1/classes/join').set(auth).send({ code });
const view = async (classId: string, auth = teacher.auth) => (await t.http().get(`/api/v1/classes/${classId}`).set(auth).expect(200)).body;

describe('classes of verified teachers', () => {
  it('creates a class with a join code from the safe alphabet, and lists and shows it', async () => {
    const cls = await aClass(t, teacher, { name: '8C Computing', yearGroup: 'Year 8' });
    expect(cls).toMatchObject({ schoolId: teacher.schoolId, name: '8C Computing', yearGroup: 'Year 8', locked: false, students: [] });
    expect(cls.joinCode).toMatch(new RegExp(`^[${JOIN_CODE_ALPHABET}]{8}$`));
    const mine = await t.http().get('/api/v1/classes?limit=100').set(teacher.auth).expect(200);
    expect(mine.body.items).toEqual(expect.arrayContaining([expect.objectContaining({ id: cls.id, studentCount: 0, joinCode: cls.joinCode })]));
    expect(mine.body.items[0].id).toBe(cls.id); // newest first
    await t.http().get(`/api/v1/classes/${cls.id}`).set(teacher.auth).expect(200);
  });

  it('pages through the teacher’s classes, and shows none of another teacher’s', async () => {
    const own = await aVerifiedTeacher(t, { organiser });
    const [a, b, c] = [await aClass(t, own, { name: 'A' }), await aClass(t, own, { name: 'B' }), await aClass(t, own, { name: 'C' })];
    const first = await t.http().get('/api/v1/classes?limit=2').set(own.auth).expect(200);
    expect(first.body.items.map((x: { id: string }) => x.id)).toEqual([c.id, b.id]);
    const second = await t.http().get(`/api/v1/classes?limit=2&cursor=${first.body.nextCursor}`).set(own.auth).expect(200);
    expect(second.body).toEqual({ items: [expect.objectContaining({ id: a.id, name: 'A' })], nextCursor: null });
    const strangers = await t.http().get('/api/v1/classes?limit=100').set(stranger.auth).expect(200);
    expect(strangers.body.items.map((x: { id: string }) => x.id)).not.toEqual(expect.arrayContaining([a.id]));
  });

  it('refuses a class at a school where the teacher is not verified (404)', async () => {
    const res = await t.http().post('/api/v1/classes').set(stranger.auth).send({ schoolId: teacher.schoolId, name: 'Sneaky' }).expect(404);
    expect(res.body.code).toBe('SCHOOL_NOT_FOUND');
  });

  it('hides a class from another school’s teacher (404), refuses unverified teachers (403) and entrants (403)', async () => {
    const cls = await aClass(t, teacher);
    const pending = await aPendingTeacher(t, { urn: teacher.urn });
    const entrant = await anEntrantSession();
    const path = `/api/v1/classes/${cls.id}`;
    const attempts = (auth: Record<string, string>) => [
      t.http().get(path).set(auth),
      t.http().patch(path).set(auth).send({ locked: true }),
      t.http().post(`${path}/join-code`).set(auth),
      t.http().post(`${path}/teachers`).set(auth).send({ userId: teacher.id }),
    ];
    for (const res of await Promise.all(attempts(stranger.auth))) {
      expect(res.status).toBe(404);
      expect(res.body.code).toBe('CLASS_NOT_FOUND');
    }
    for (const res of await Promise.all(attempts(pending.auth))) expect([res.status, res.body.code]).toEqual([403, 'TEACHER_NOT_VERIFIED']);
    for (const res of await Promise.all(attempts(entrant.auth))) expect([res.status, res.body.code]).toEqual([403, 'ROLE_REQUIRED']);
    // A class that does not exist looks the same as one of another school.
    const absent = await t.http().get('/api/v1/classes/00000000-0000-4000-8000-000000000000').set(teacher.auth).expect(404);
    expect(absent.body.code).toBe('CLASS_NOT_FOUND');
    const after = await view(cls.id);
    expect(after).toMatchObject({ locked: false, joinCode: cls.joinCode });
  });

  it('renames and locks a class', async () => {
    const cls = await aClass(t, teacher);
    const res = await t.http().patch(`/api/v1/classes/${cls.id}`).set(teacher.auth).send({ name: '7B Enterprise', locked: true }).expect(200);
    expect(res.body).toMatchObject({ name: '7B Enterprise', locked: true });
    await t.http().patch(`/api/v1/classes/${cls.id}`).set(teacher.auth).send({ name: '' }).expect(400);
  });

  it('null for a name or lock → 400 naming it, nothing changes; null clears the year group', async () => {
    const cls = await aClass(t, teacher);
    for (const field of ['name', 'locked']) {
      const res = await t.http().patch(`/api/v1/classes/${cls.id}`).set(teacher.auth).send({ [field]: null }).expect(400);
      expect(errorFields(res)).toEqual([field]);
    }
    expect(await view(cls.id)).toMatchObject({ name: cls.name, locked: false, yearGroup: 'Year 7' });
    expect((await t.http().patch(`/api/v1/classes/${cls.id}`).set(teacher.auth).send({ yearGroup: null }).expect(200)).body.yearGroup).toBeNull();
  });

  it('adds a verified colleague of the same school as a teacher, and nobody else', async () => {
    const cls = await aClass(t, teacher);
    const colleague = await aVerifiedTeacher(t, { organiser, urn: teacher.urn });
    const pendingColleague = await aPendingTeacher(t, { urn: teacher.urn });
    await t.http().get(`/api/v1/classes/${cls.id}`).set(colleague.auth).expect(404);
    await t.http().post(`/api/v1/classes/${cls.id}/teachers`).set(teacher.auth).send({ userId: colleague.id }).expect(204);
    await t.http().post(`/api/v1/classes/${cls.id}/teachers`).set(teacher.auth).send({ userId: colleague.id }).expect(204);
    await view(cls.id, colleague.auth);
    for (const userId of [stranger.id, pendingColleague.id]) {
      const res = await t.http().post(`/api/v1/classes/${cls.id}/teachers`).set(teacher.auth).send({ userId }).expect(404);
      expect(res.body.code).toBe('TEACHER_NOT_FOUND');
    }
  });
});

describe('joining with a code', () => {
  it('lets an entrant join (case and spaces do not matter) and shows them in the class shape', async () => {
    const cls = await aClass(t, teacher);
    const amira = await anEntrantSession({ firstName: 'Amira', lastName: 'Khan' });
    const amir = await anEntrantSession({ firstName: 'Amira', lastName: 'Kerr' });
    const typed = `${cls.joinCode.slice(0, 4).toLowerCase()} ${cls.joinCode.slice(4)}`;
    const res = await join(amira.auth, typed).expect(200);
    expect(res.body).toEqual({ classId: cls.id, className: cls.name });
    await join(amir.auth, cls.joinCode).expect(200);
    await join(amira.auth, cls.joinCode).expect(200); // twice is harmless
    const body = await view(cls.id);
    expect(body.students).toHaveLength(2);
    const entry = body.students.find((s: { userId: string }) => s.userId === amira.id);
    expect(entry).toEqual({
      userId: amira.id,
      firstName: 'Amira',
      lastName: 'Khan',
      displayName: 'Amira Kh.',
      username: amira.username,
      ageBand: '13-17',
      consentStatus: 'not_required',
      ideas: { draft: 0, submitted: 0 },
      badgeCount: 0,
      points: 0,
      level: null,
    });
    expect(body.students.find((s: { userId: string }) => s.userId === amir.id).displayName).toBe('Amira Ke.');
    expect((await t.http().get('/api/v1/classes?limit=100').set(teacher.auth)).body.items.find((c: { id: string }) => c.id === cls.id).studentCount).toBe(2);
  });

  it('refuses a locked class with 423 while its members stay; unknown codes are 404', async () => {
    const cls = await aClass(t, teacher);
    const member = await anEntrantSession();
    await join(member.auth, cls.joinCode).expect(200);
    await t.http().patch(`/api/v1/classes/${cls.id}`).set(teacher.auth).send({ locked: true }).expect(200);
    const late = await anEntrantSession();
    expect((await join(late.auth, cls.joinCode).expect(423)).body.code).toBe('CLASS_LOCKED');
    await join(member.auth, cls.joinCode).expect(200);
    expect((await view(cls.id)).students.map((s: { userId: string }) => s.userId)).toEqual([member.id]);
    expect((await join(late.auth, 'ZZZZZZZZ').expect(404)).body.code).toBe('JOIN_CODE_NOT_FOUND');
    await join(late.auth, 'not-a-code-at-all').expect(404);
  });

  it('counts wrong codes sent at once before looking them up: of 20, 10 are answered 404 and the rest 429', async () => {
    const guesser = await anEntrantSession();
    const statuses = (await Promise.all(Array.from({ length: 20 }, () => join(guesser.auth, 'BBBBBBBB')))).map((r) => r.status);
    expect(statuses.filter((s) => s === 404)).toHaveLength(10);
    expect(statuses.filter((s) => s === 429)).toHaveLength(10);
  });

  it('answers 429 with Retry-After at the 11th failure in an hour, counting locked classes too', async () => {
    const cls = await aClass(t, teacher);
    await t.http().patch(`/api/v1/classes/${cls.id}`).set(teacher.auth).send({ locked: true }).expect(200);
    const open = await aClass(t, teacher);
    const guesser = await anEntrantSession();
    for (let i = 0; i < 5; i++) await join(guesser.auth, 'BBBBBBBB').expect(404);
    for (let i = 0; i < 5; i++) await join(guesser.auth, cls.joinCode).expect(423);
    const limited = await join(guesser.auth, open.joinCode).expect(429);
    expect(limited.body.code).toBe('TOO_MANY_JOIN_ATTEMPTS');
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    // Another account is not affected; an hour later the guesser may try again.
    const other = await anEntrantSession();
    await join(other.auth, open.joinCode).expect(200);
    t.clock.advance(3600_000 + 1000);
    try {
      const fresh = await signIn(t, guesser.email!);
      await join({ Authorization: `Bearer ${fresh.accessToken}` }, open.joinCode).expect(200);
    } finally {
      t.clock.reset();
    }
  });

  it('rotates the join code: the old one stops working', async () => {
    const cls = await aClass(t, teacher);
    const res = await t.http().post(`/api/v1/classes/${cls.id}/join-code`).set(teacher.auth).expect(200);
    expect(res.body.joinCode).not.toBe(cls.joinCode);
    expect(res.body.joinCode).toMatch(new RegExp(`^[${JOIN_CODE_ALPHABET}]{8}$`));
    const entrant = await anEntrantSession();
    await join(entrant.auth, cls.joinCode).expect(404);
    await join(entrant.auth, res.body.joinCode).expect(200);
  });

  it('is for entrants only', async () => {
    const cls = await aClass(t, teacher);
    await join(stranger.auth, cls.joinCode).expect(403);
  });

  it('caps a class at 500: the 501st student is refused with 409', async () => {
    const cls = await aClass(t, teacher);
    const rows = Array.from({ length: 500 }, (_, i) => ({ firstName: 'Sam', lastName: 'Lee', dateOfBirth: bornYearsAgo(12, i) }));
    await postRoster(t, teacher.auth, cls.id, rosterCsv(rows)).expect(201);
    const entrant = await anEntrantSession();
    expect((await join(entrant.auth, cls.joinCode).expect(409)).body.code).toBe('CLASS_FULL');
    // Moving someone in is refused too.
    const other = await aClass(t, teacher);
    const student = await aRosterStudent(t, teacher, other.id);
    await t.http().post(`/api/v1/classes/${other.id}/students/${student.id}/move`).set(teacher.auth).send({ toClassId: cls.id }).expect(409);
  });
});

describe('managing students', () => {
  it('moves a student to another class of the same school only', async () => {
    const from = await aClass(t, teacher);
    const to = await aClass(t, teacher, { name: '7C' });
    const foreign = await aClass(t, stranger);
    const student = await aRosterStudent(t, teacher, from.id);
    const path = `/api/v1/classes/${from.id}/students/${student.id}/move`;
    expect((await t.http().post(path).set(teacher.auth).send({ toClassId: foreign.id }).expect(404)).body.code).toBe('CLASS_NOT_FOUND');
    await t.http().post(path).set(teacher.auth).send({ toClassId: to.id }).expect(204);
    expect((await view(from.id)).students).toEqual([]);
    expect((await view(to.id)).students.map((s: { userId: string }) => s.userId)).toEqual([student.id]);
    await t.http().post(path).set(teacher.auth).send({ toClassId: to.id }).expect(404); // no longer in `from`
  });

  it('refuses to move a student to the class they are in (400), keeping them there', async () => {
    const cls = await aClass(t, teacher);
    const student = await aRosterStudent(t, teacher, cls.id);
    const res = await t.http().post(`/api/v1/classes/${cls.id}/students/${student.id}/move`).set(teacher.auth).send({ toClassId: cls.id }).expect(400);
    expect(res.body.errors).toEqual([{ field: 'toClassId', message: 'the pupil is already in this class' }]);
    expect((await view(cls.id)).students.map((s: { userId: string }) => s.userId)).toEqual([student.id]);
    const [{ n }] = await t.db.query(`SELECT count(*)::int AS n FROM audit_log WHERE action = 'class.student_moved' AND subject_id = $1`, [student.id]);
    expect(n).toBe(0);
  });

  it('removes a student; students cannot leave by themselves', async () => {
    const cls = await aClass(t, teacher);
    const entrant = await anEntrantSession();
    await join(entrant.auth, cls.joinCode).expect(200);
    await t.http().delete(`/api/v1/classes/${cls.id}/students/${entrant.id}`).set(entrant.auth).expect(403);
    await t.http().delete(`/api/v1/classes/${cls.id}/students/${entrant.id}`).set(stranger.auth).expect(404);
    await t.http().delete(`/api/v1/classes/${cls.id}/students/${entrant.id}`).set(teacher.auth).expect(204);
    await t.http().delete(`/api/v1/classes/${cls.id}/students/${entrant.id}`).set(teacher.auth).expect(404);
    expect((await view(cls.id)).students).toEqual([]);
  });

  it('resets the password of a roster account without email only, ending its sessions', async () => {
    const cls = await aClass(t, teacher);
    const student = await withOwnPassword(t, await aRosterStudent(t, teacher, cls.id));
    const reset = await t.http().post(`/api/v1/classes/${cls.id}/students/${student.id}/reset-password`).set(teacher.auth).expect(200);
    expect(reset.body.initialPassword).toMatch(/^[a-z2-9]{6}-[a-z2-9]{6}-[a-z2-9]{6}$/);
    expect(reset.headers['cache-control']).toBe('no-store');
    await t.http().get('/api/v1/me').set(student.auth).expect(401);
    await t.http().post('/api/v1/auth/login').send({ login: student.username, password: PASSWORD }).expect(401);
    const tokens = await login(student.username, reset.body.initialPassword);
    expect(tokens.mustChangePassword).toBe(true);

    const withEmail = await anEntrantSession();
    await join(withEmail.auth, cls.joinCode).expect(200);
    const refused = await t.http().post(`/api/v1/classes/${cls.id}/students/${withEmail.id}/reset-password`).set(teacher.auth).expect(403);
    expect(refused.body.code).toBe('NOT_A_ROSTER_ACCOUNT');
    await t.http().post(`/api/v1/classes/${cls.id}/students/${withEmail.id}/unlock`).set(teacher.auth).expect(403);
    await t.http().post(`/api/v1/classes/${cls.id}/students/${student.id}/reset-password`).set(stranger.auth).expect(404);
  });

  it('unlocks a roster pupil locked out by failed sign-ins', async () => {
    const cls = await aClass(t, teacher);
    const student = await withOwnPassword(t, await aRosterStudent(t, teacher, cls.id));
    for (let i = 0; i < 5; i++) await t.http().post('/api/v1/auth/login').send({ login: student.username, password: 'wrong-password-x' }).expect(401);
    await t.http().post('/api/v1/auth/login').send({ login: student.username, password: PASSWORD }).expect(429);
    await t.http().post(`/api/v1/classes/${cls.id}/students/${student.id}/unlock`).set(teacher.auth).expect(204);
    await signIn(t, student.username, PASSWORD);
  });

  it('corrects a date of birth (audited with age bands only); foreign teachers cannot', async () => {
    const cls = await aClass(t, teacher);
    const student = await aRosterStudent(t, teacher, cls.id, { firstName: 'Dobby', dateOfBirth: bornYearsAgo(14) });
    const path = `/api/v1/classes/${cls.id}/students/${student.id}`;
    await t.http().patch(path).set(stranger.auth).send({ dateOfBirth: bornYearsAgo(12) }).expect(404);
    await t.http().patch(path).set(teacher.auth).send({ dateOfBirth: bornYearsAgo(9) }).expect(400);
    await t.http().patch(path).set(teacher.auth).send({ dateOfBirth: '12/05/2013' }).expect(400);
    const res = await t.http().patch(path).set(teacher.auth).send({ dateOfBirth: bornYearsAgo(12) }).expect(200);
    // Found to be under 13: consent is needed again.
    expect(res.body).toMatchObject({ userId: student.id, ageBand: 'U13', consentStatus: 'pending', displayName: 'Dobby K.' });
    const audit = await t.http().get(`/api/v1/audit?action=user.date_of_birth_corrected&subjectId=${student.id}`).set(organiser.auth).expect(200);
    expect(audit.body.items).toEqual([expect.objectContaining({ actorId: teacher.id, data: { fromAgeBand: '13-17', toAgeBand: 'U13' } })]);
  });

  it('answers 404 for a student who is not in the class', async () => {
    const cls = await aClass(t, teacher);
    const other = await aClass(t, teacher);
    const student = await aRosterStudent(t, teacher, other.id);
    await t.http().post(`/api/v1/classes/${cls.id}/students/${student.id}/reset-password`).set(teacher.auth).expect(404);
    await t.http().patch(`/api/v1/classes/${cls.id}/students/${student.id}`).set(teacher.auth).send({ dateOfBirth: bornYearsAgo(12) }).expect(404);
  });
});

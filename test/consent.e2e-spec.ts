import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ConsentService } from '@app/identity';
import { startTestApp, type TestApp } from './support/test-app.js';
import {
  aClass,
  aPendingTeacher,
  aRosterStudent,
  aVerifiedTeacher,
  anOrganiser,
  bornYearsAgo,
  register,
  session,
  signIn,
  withOwnPassword,
  type SignedInUser,
  type VerifiedTeacher,
} from './support/builders.js';
import { tokenFrom } from './support/mail-capture.js';

let t: TestApp;
let organiser: SignedInUser;
let teacher: VerifiedTeacher;
beforeAll(async () => {
  t = await startTestApp();
  organiser = await anOrganiser(t);
  teacher = await aVerifiedTeacher(t, { organiser });
});
afterAll(async () => {
  await t?.close();
});

let parents = 0;
const aParentAddress = () => `parent-${++parents}-${Date.now().toString(36)}@example.com`;

/** A self-registered under-13 and the consent link emailed to their parent. */
async function anUnder13(o: Record<string, unknown> = {}) {
  const parentEmail = aParentAddress();
  const child = await register(t, { email: undefined, dateOfBirth: bornYearsAgo(12), parentEmail, firstName: 'Amira', lastName: 'Khan', ...o });
  const mail = await t.mail.waitFor(parentEmail, (m) => /take part/.test(m.subject));
  return { ...child, parentEmail, mail, token: tokenFrom(mail, 'consent'), auth: (await session(t, child)).auth };
}

const me = async (auth: Record<string, string>) => (await t.http().get('/api/v1/me').set(auth).expect(200)).body;
const auditOf = async (action: string, subjectId: string) =>
  (await t.http().get(`/api/v1/audit?action=${action}&subjectId=${subjectId}`).set(organiser.auth).expect(200)).body.items;

describe('the parent’s link', () => {
  it('is emailed at registration, shows the child without surname or email, and grants consent once', async () => {
    const child = await anUnder13({ email: 'amira.child@example.com' });
    expect(child.mail.subject).toBe('Amira K. would like to take part in Young Ideas');
    expect(child.mail.text + child.mail.html).not.toMatch(/Khan|amira\.child/);
    expect(child.mail.text).toContain(`http://young-ideas.test/consent?token=`);

    const page = await t.http().get(`/consent?token=${encodeURIComponent(child.token)}`).expect(200);
    expect(page.headers['content-type']).toMatch(/text\/html/);
    expect(page.text).toContain('Amira K.');
    expect(page.text).not.toContain('Khan');
    expect(page.text).toContain('/api/v1/consent/{token}');

    const preview = await t.http().get(`/api/v1/consent/${child.token}`).expect(200);
    expect(preview.body).toEqual({ displayName: 'Amira K.', ageBand: 'U13', expiresAt: expect.any(String), processing: expect.any(Array) });
    expect(preview.body.processing.length).toBeGreaterThan(2);
    expect(JSON.stringify(preview.body)).not.toMatch(/Khan|amira\.child/);
    // Reading changes nothing.
    expect((await me(child.auth)).consentStatus).toBe('pending');

    await t.http().post(`/api/v1/consent/${child.token}`).send({ decision: 'grant', parentName: 'Farah Khan' }).expect(204);
    expect((await me(child.auth)).consentStatus).toBe('granted');
    const again = await t.http().post(`/api/v1/consent/${child.token}`).send({ decision: 'refuse', parentName: 'Farah Khan' }).expect(410);
    expect(again.body.code).toBe('TOKEN_USED');
    await t.http().get(`/api/v1/consent/${child.token}`).expect(410);
    expect((await me(child.auth)).consentStatus).toBe('granted');

    const [row] = await t.db.query(`SELECT consent_method, consent_actor_id, consent_parent_name, consent_at FROM users WHERE id = $1`, [child.id]);
    expect(row).toMatchObject({ consent_method: 'parent_link', consent_actor_id: null, consent_parent_name: 'Farah Khan', consent_at: expect.any(Date) });
    expect(await auditOf('consent.granted', child.id)).toEqual([expect.objectContaining({ actorId: null, data: { method: 'parent_link', actor: 'parent' } })]);
    expect(await auditOf('consent.requested', child.id)).toEqual([expect.objectContaining({ actorId: child.id, data: { method: 'parent_link' } })]);

    // The parent gets a record of the decision, the child hears of it (inbox, and email as they have one).
    await t.mail.waitFor(child.parentEmail, (m) => /You gave consent/.test(m.subject));
    await t.mail.waitFor('amira.child@example.com', (m) => /all set/.test(m.subject));
    const inbox = await t.http().get('/api/v1/me/notifications').set(child.auth).expect(200);
    expect(inbox.body.items.map((i: { kind: string }) => i.kind)).toContain('consent-outcome');
  });

  it('records a refusal, and tells a child without email in their inbox', async () => {
    const child = await anUnder13();
    await t.http().post(`/api/v1/consent/${child.token}`).send({ decision: 'refuse', parentName: 'Farah Khan' }).expect(204);
    expect((await me(child.auth)).consentStatus).toBe('refused');
    const inbox = await t.http().get('/api/v1/me/notifications').set(child.auth).expect(200);
    expect(inbox.body.items[0]).toMatchObject({ kind: 'consent-outcome', title: 'Your parent or guardian said no' });
    expect(await auditOf('consent.refused', child.id)).toHaveLength(1);
  });

  it('refuses a bad decision (400) and an unknown token (404)', async () => {
    const child = await anUnder13();
    const bad = await t.http().post(`/api/v1/consent/${child.token}`).send({ decision: 'maybe', parentName: ' ' }).expect(400);
    expect(bad.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['decision', 'parentName']);
    await t.http().post(`/api/v1/consent/${'x'.repeat(43)}`).send({ decision: 'grant', parentName: 'A Parent' }).expect(404);
    const page = await t.http().get('/consent?token=nonsense').expect(200);
    expect(page.text).toContain('This link is not valid');
  });

  it('expires after 7 days (410)', async () => {
    const child = await anUnder13();
    t.clock.advance(7 * 24 * 3600_000 + 60_000);
    try {
      expect((await t.http().get(`/api/v1/consent/${child.token}`).expect(410)).body.code).toBe('TOKEN_EXPIRED');
      await t.http().post(`/api/v1/consent/${child.token}`).send({ decision: 'grant', parentName: 'Farah Khan' }).expect(410);
    } finally {
      t.clock.reset();
    }
    expect((await me(child.auth)).consentStatus).toBe('pending');
  });
});

describe('asking again', () => {
  it('sends at most 3 resends a day (429 with Retry-After), each replacing the last link', async () => {
    const child = await anUnder13();
    const tokens: string[] = [];
    for (let i = 1; i <= 3; i++) {
      await t.http().post('/api/v1/me/consent/resend').set(child.auth).send({}).expect(202);
      const mails = await t.mail.waitFor(child.parentEmail, () => t.mail.to(child.parentEmail).length === i + 1);
      expect(mails).toBeTruthy();
      tokens.push(tokenFrom(t.mail.to(child.parentEmail)[i], 'consent'));
    }
    const fourth = await t.http().post('/api/v1/me/consent/resend').set(child.auth).send({}).expect(429);
    expect(fourth.body.code).toBe('TOO_MANY_CONSENT_REQUESTS');
    const retryAfter = Number(fourth.headers['retry-after']);
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(24 * 3600);
    // Only the newest link works.
    for (const old of [child.token, ...tokens.slice(0, 2)]) await t.http().get(`/api/v1/consent/${old}`).expect(410);
    await t.http().get(`/api/v1/consent/${tokens[2]}`).expect(200);
    // A new London day brings a new allowance.
    t.clock.advance(retryAfter * 1000 + 1000);
    try {
      const fresh = await signIn(t, child.username);
      await t.http().post('/api/v1/me/consent/resend').set({ Authorization: `Bearer ${fresh.accessToken}` }).send({}).expect(202);
    } finally {
      t.clock.reset();
    }
  });

  it('sends at most 3 when many resends arrive at once', async () => {
    const child = await anUnder13();
    const statuses = (await Promise.all(Array.from({ length: 20 }, () => t.http().post('/api/v1/me/consent/resend').set(child.auth).send({})))).map((r) => r.status);
    expect(statuses.filter((s) => s === 202)).toHaveLength(3);
    expect(statuses.filter((s) => s === 429)).toHaveLength(17);
  });

  it('may correct the parent’s address', async () => {
    const child = await anUnder13();
    const corrected = aParentAddress();
    await t.http().post('/api/v1/me/consent/resend').set(child.auth).send({ parentEmail: corrected.toUpperCase() }).expect(202);
    const token = tokenFrom(await t.mail.waitFor(corrected), 'consent');
    await t.http().get(`/api/v1/consent/${child.token}`).expect(410);
    await t.http().post(`/api/v1/consent/${token}`).send({ decision: 'grant', parentName: 'Sam Khan' }).expect(204);
    expect((await me(child.auth)).consentStatus).toBe('granted');
    const [row] = await t.db.query(`SELECT parent_email FROM users WHERE id = $1`, [child.id]);
    expect(row.parent_email).toBe(corrected);
    await t.http().post('/api/v1/me/consent/resend').set(child.auth).send({}).expect(409);
  });

  it('holds to 3 a day under concurrent requests, leaving exactly one live link, to the address on file', async () => {
    const child = await anUnder13();
    const addresses = [aParentAddress(), aParentAddress(), aParentAddress()];
    // Called side by side in one process, past the HTTP pipeline that would spread them out in time.
    const consent = t.app.get(ConsentService);
    const outcomes = await Promise.allSettled(Array.from({ length: 12 }, (_, i) => consent.resend(child.id, addresses[i % 3])));
    expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(3);
    const refusals = outcomes.flatMap((o) => (o.status === 'rejected' ? [(o.reason as { code: string }).code] : []));
    expect(refusals).toEqual(Array(9).fill('TOO_MANY_CONSENT_REQUESTS'));
    expect((await t.http().post('/api/v1/me/consent/resend').set(child.auth).send({}).expect(429)).body.code).toBe('TOO_MANY_CONSENT_REQUESTS');
    const live = await t.db.query(
      `SELECT t.data->>'parentEmail' AS "sentTo", u.parent_email AS "onFile"
         FROM single_use_token t JOIN users u ON u.id = t.subject_id
        WHERE t.purpose = 'parental_consent' AND t.subject_id = $1 AND t.used_at IS NULL`,
      [child.id],
    );
    expect(live).toHaveLength(1);
    expect(live[0].sentTo).toBe(live[0].onFile);
    expect(await auditOf('consent.requested', child.id)).toHaveLength(4);
  });

  it('once a parent refused, goes only to the address on file: the child cannot redirect it and grant it themselves (409)', async () => {
    const child = await anUnder13();
    await t.http().post(`/api/v1/consent/${child.token}`).send({ decision: 'refuse', parentName: 'Farah Khan' }).expect(204);
    const own = aParentAddress();
    const redirected = await t.http().post('/api/v1/me/consent/resend').set(child.auth).send({ parentEmail: own }).expect(409);
    expect(redirected.body.code).toBe('CONSENT_REFUSED');
    const [row] = await t.db.query(`SELECT parent_email, consent_status FROM users WHERE id = $1`, [child.id]);
    expect(row).toEqual({ parent_email: child.parentEmail, consent_status: 'refused' });
    expect(await auditOf('consent.parent_email_changed', child.id)).toEqual([]);
    expect((await me(child.auth)).consentStatus).toBe('refused');

    // The parent who refused may be asked again (their own address, however it is written) and change their mind.
    await t.http().post('/api/v1/me/consent/resend').set(child.auth).send({ parentEmail: child.parentEmail.toUpperCase() }).expect(202);
    const asked = await t.mail.waitFor(child.parentEmail, (m) => /take part/.test(m.subject) && tokenFrom(m, 'consent') !== child.token);
    await t.http().post(`/api/v1/consent/${tokenFrom(asked, 'consent')}`).send({ decision: 'grant', parentName: 'Farah Khan' }).expect(204);
    expect((await me(child.auth)).consentStatus).toBe('granted');
    expect(t.mail.to(own)).toEqual([]);
  });

  it('racing a parent’s refusal, either the refusal stands (409) or the parent’s link is replaced first (410): never both, never a deadlock', async () => {
    for (let i = 0; i < 5; i++) {
      const child = await anUnder13();
      const [decided, resent] = await Promise.all([
        t.http().post(`/api/v1/consent/${child.token}`).send({ decision: 'refuse', parentName: 'Farah Khan' }),
        t.http().post('/api/v1/me/consent/resend').set(child.auth).send({ parentEmail: aParentAddress() }),
      ]);
      expect([[204, 409], [410, 202]]).toContainEqual([decided.status, resent.status]);
    }
  });

  it('is for under-13 entrants', async () => {
    const teen = await register(t, { dateOfBirth: bornYearsAgo(14) });
    const teenAuth = (await session(t, teen)).auth;
    expect((await t.http().post('/api/v1/me/consent/resend').set(teenAuth).send({}).expect(409)).body.code).toBe('CONSENT_NOT_REQUIRED');
    await t.http().post('/api/v1/me/consent/resend').set(teacher.auth).send({}).expect(403);
  });
});

describe('teacher attestation', () => {
  const attest = (auth: Record<string, string>, classId: string, userId: string, body: object = { attestation: 'school_holds_parental_consent' }) =>
    t.http().post(`/api/v1/classes/${classId}/students/${userId}/consent`).set(auth).send(body);

  it('grants consent when a verified teacher of the class attests, audited with method and actor', async () => {
    const cls = await aClass(t, teacher);
    const pupil = await aRosterStudent(t, teacher, cls.id, { firstName: 'Attested' });
    await attest(teacher.auth, cls.id, pupil.id).expect(204);
    const view = await t.http().get(`/api/v1/classes/${cls.id}`).set(teacher.auth).expect(200);
    expect(view.body.students[0]).toMatchObject({ userId: pupil.id, consentStatus: 'granted' });
    expect(await auditOf('consent.granted', pupil.id)).toEqual([
      expect.objectContaining({
        actorId: teacher.id,
        data: { method: 'school_attestation', actor: 'teacher', attestation: 'school_holds_parental_consent' },
      }),
    ]);
    const [row] = await t.db.query(`SELECT consent_method, consent_actor_id FROM users WHERE id = $1`, [pupil.id]);
    expect(row).toEqual({ consent_method: 'school_attestation', consent_actor_id: teacher.id });
    const student = await withOwnPassword(t, pupil);
    const inbox = await t.http().get('/api/v1/me/notifications').set(student.auth).expect(200);
    expect(inbox.body.items.map((i: { kind: string }) => i.kind)).toContain('consent-outcome');
  });

  it('refuses an unverified teacher and a teacher of another class with 403, before reading the body', async () => {
    const cls = await aClass(t, teacher);
    const pupil = await aRosterStudent(t, teacher, cls.id, { firstName: 'Guarded' });
    const pending = await aPendingTeacher(t, { urn: teacher.urn });
    const foreign = await aVerifiedTeacher(t, { organiser });
    const colleague = await aVerifiedTeacher(t, { organiser, urn: teacher.urn }); // same school, not this class
    expect((await attest(pending.auth, cls.id, pupil.id).expect(403)).body.code).toBe('TEACHER_NOT_VERIFIED');
    expect((await attest(pending.auth, cls.id, pupil.id, { attestation: 'nonsense' }).expect(403)).body.code).toBe('TEACHER_NOT_VERIFIED');
    for (const who of [foreign, colleague]) {
      expect((await attest(who.auth, cls.id, pupil.id).expect(403)).body.code).toBe('NOT_CLASS_TEACHER');
      await attest(who.auth, cls.id, pupil.id, {}).expect(403);
    }
    // A class that does not exist answers the same.
    await attest(foreign.auth, '00000000-0000-4000-8000-000000000000', pupil.id).expect(403);
    const [row] = await t.db.query(`SELECT consent_status FROM users WHERE id = $1`, [pupil.id]);
    expect(row.consent_status).toBe('pending');
    // The class's teacher with a bad body: 400.
    expect((await attest(teacher.auth, cls.id, pupil.id, { attestation: 'nonsense' }).expect(400)).body.errors[0].field).toBe('attestation');
  });

  it('answers 404 for a pupil outside the class and 409 when a parent refused or consent is not needed', async () => {
    const cls = await aClass(t, teacher);
    const other = await aClass(t, teacher);
    const elsewhere = await aRosterStudent(t, teacher, other.id, { firstName: 'Elsewhere' });
    await attest(teacher.auth, cls.id, elsewhere.id).expect(404);
    const teen = await aRosterStudent(t, teacher, cls.id, { firstName: 'Teen', dateOfBirth: bornYearsAgo(15) });
    expect((await attest(teacher.auth, cls.id, teen.id).expect(409)).body.code).toBe('CONSENT_NOT_REQUIRED');

    const child = await anUnder13({ firstName: 'Refused' });
    const pupil = await session(t, child);
    const [{ joinCode }] = await t.db.query(`SELECT join_code AS "joinCode" FROM school_class WHERE id = $1`, [cls.id]);
    await t.http().post('/api/v1/classes/join').set(pupil.auth).send({ code: joinCode }).expect(200);
    await t.http().post(`/api/v1/consent/${child.token}`).send({ decision: 'refuse', parentName: 'Farah Khan' }).expect(204);
    expect((await attest(teacher.auth, cls.id, child.id).expect(409)).body.code).toBe('CONSENT_REFUSED');
  });
});

describe('turning 13', () => {
  it('makes a pending under-13 not_required everywhere once their birthday passes', async () => {
    const cls = await aClass(t, teacher);
    const pupil = await withOwnPassword(t, await aRosterStudent(t, teacher, cls.id, { firstName: 'Birthday', dateOfBirth: bornYearsAgo(13, -5) }));
    expect((await me(pupil.auth)).consentStatus).toBe('pending');
    t.clock.advance(6 * 24 * 3600_000);
    try {
      const pupilAuth = { Authorization: `Bearer ${(await signIn(t, pupil.username, pupil.password)).accessToken}` };
      expect(await me(pupilAuth)).toMatchObject({ ageBand: '13-17', consentStatus: 'not_required' });
      const teacherAuth = { Authorization: `Bearer ${(await signIn(t, teacher.email!)).accessToken}` };
      const view = await t.http().get(`/api/v1/classes/${cls.id}`).set(teacherAuth).expect(200);
      expect(view.body.students[0]).toMatchObject({ ageBand: '13-17', consentStatus: 'not_required' });
      expect((await t.http().post('/api/v1/me/consent/resend').set(pupilAuth).send({ parentEmail: aParentAddress() }).expect(409)).body.code).toBe(
        'CONSENT_NOT_REQUIRED',
      );
    } finally {
      t.clock.reset();
    }
  });
});

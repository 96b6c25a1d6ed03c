import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { PeopleDirectory } from '@app/identity';
import { startTestApp, type TestApp } from './support/test-app.js';
import { PASSWORD, aTeacher, aVerifiedEntrant, anEntrant, anOrganiser, bornYearsAgo, errorFields, register, session, signIn, verifyEmail } from './support/builders.js';
import { aJudge } from './support/judging.js';
import { tokenFrom } from './support/mail-capture.js';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  await t?.close();
});

describe('GET and PATCH /me', () => {
  it('changes names, region and privacy, and nothing else', async () => {
    const user = await anEntrant(t);
    const { auth } = await session(t, user);
    const res = await t.http()
      .patch('/api/v1/me')
      .set(auth)
      .send({ firstName: 'Amíra', lastName: "O'Neil", region: 'wales', privacy: { profileVisibility: 'public' } })
      .expect(200);
    expect(res.body).toMatchObject({
      firstName: 'Amíra',
      lastName: "O'Neil",
      displayName: 'Amíra O.',
      region: 'wales',
      privacy: { profileVisibility: 'public', marketingOptIn: false },
    });
    const audit = await t.db.query(`SELECT action, data FROM audit_log WHERE subject_id = $1 AND action = 'user.privacy_changed'`, [user.id]);
    expect(audit).toEqual([{ action: 'user.privacy_changed', data: { profileVisibility: 'public' } }]);
  });

  it.each([
    ['dateOfBirth', { dateOfBirth: bornYearsAgo(20) }],
    ['roles', { roles: ['organiser'] }],
    ['consentStatus', { consentStatus: 'granted' }],
    ['username', { username: 'someone' }],
  ])('refuses to change %s (400) and changes nothing', async (field, body) => {
    const user = await anEntrant(t);
    const { auth } = await session(t, user);
    const res = await t.http().patch('/api/v1/me').set(auth).send({ firstName: 'Changed', ...body }).expect(400);
    expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
    const me = await t.http().get('/api/v1/me').set(auth).expect(200);
    expect(me.body.firstName).toBe('Amira');
  });

  it('refuses an empty region for an entrant and names with digits or markup', async () => {
    const user = await anEntrant(t);
    const { auth } = await session(t, user);
    await t.http().patch('/api/v1/me').set(auth).send({ region: null }).expect(400);
    const res = await t.http().patch('/api/v1/me').set(auth).send({ firstName: '<script>', lastName: 'x1' }).expect(400);
    expect(res.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['firstName', 'lastName']);
  });

  it.each([
    ['firstName', { firstName: null }],
    ['lastName', { lastName: null }],
    ['email', { email: null }],
    ['privacy.profileVisibility', { privacy: { profileVisibility: null } }],
    ['privacy.marketingOptIn', { privacy: { marketingOptIn: null } }],
    ['privacy', { privacy: null }],
  ])('null for %s → 400 naming it; nothing changes', async (field, patch) => {
    const user = await anEntrant(t);
    const { auth } = await session(t, user);
    const before = (await t.http().get('/api/v1/me').set(auth).expect(200)).body;
    const res = await t.http().patch('/api/v1/me').set(auth).send(patch).expect(400);
    expect(errorFields(res)).toEqual([field]);
    expect((await t.http().get('/api/v1/me').set(auth).expect(200)).body).toEqual(before);
  });

  it('a new email must be verified again, through a link sent to the new address', async () => {
    const user = await anEntrant(t);
    const { auth } = await session(t, user);
    const res = await t.http().patch('/api/v1/me').set(auth).send({ email: 'New.Address@Example.com' }).expect(200);
    expect(res.body).toMatchObject({ email: 'new.address@example.com', emailVerified: false });
    // Until then, notifications reach the person in the app only: nothing is emailed to an unproven address.
    const people = t.app.get(PeopleDirectory);
    expect((await people.contacts([user.id])).get(user.id)).toMatchObject({ email: null });
    expect((await people.fact(user.id))!.mailbox).toBeNull();
    const mail = await t.mail.waitFor('new.address@example.com');
    await t.http().post('/api/v1/auth/verify-email').send({ token: tokenFrom(mail, 'verify-email') }).expect(204);
    expect((await t.http().get('/api/v1/me').set(auth)).body.emailVerified).toBe(true);
    expect((await people.contacts([user.id])).get(user.id)).toMatchObject({ email: 'new.address@example.com' });
    expect((await people.fact(user.id))!.mailbox).toBe('new.address@example.com');
  });

  it('a link for an address the account no longer uses is refused (410)', async () => {
    const user = await anEntrant(t);
    const { auth } = await session(t, user);
    const first = await t.mail.waitFor(user.email!);
    await t.http().patch('/api/v1/me').set(auth).send({ email: `changed-${user.username}@example.com` }).expect(200);
    await t.http().post('/api/v1/auth/verify-email').send({ token: tokenFrom(first, 'verify-email') }).expect(410);
  });

  it('taking an email already registered → 409', async () => {
    const a = await anEntrant(t);
    const b = await anEntrant(t);
    const { auth } = await session(t, b);
    const res = await t.http().patch('/api/v1/me').set(auth).send({ email: a.email }).expect(409);
    expect(res.body.code).toBe('EMAIL_TAKEN');
  });
});

describe('in-app inbox', () => {
  it('lists my notifications newest first, pages them, and marks one read; another user cannot', async () => {
    const user = await anEntrant(t);
    const { auth } = await session(t, user);
    let password = PASSWORD;
    for (const next of ['first-new-secret-pw', 'second-new-secret-pw']) {
      await t.http().post('/api/v1/auth/password/change').set(auth).send({ currentPassword: password, newPassword: next }).expect(204);
      password = next;
    }
    const page1 = await t.http().get('/api/v1/me/notifications?limit=1').set(auth).expect(200);
    expect(page1.body.items).toHaveLength(1);
    expect(page1.body.items[0]).toMatchObject({ kind: 'password-changed', title: 'Your password was changed', readAt: null });
    expect(page1.body.nextCursor).toEqual(expect.any(String));
    const page2 = await t.http().get(`/api/v1/me/notifications?limit=1&cursor=${page1.body.nextCursor}`).set(auth).expect(200);
    expect(page2.body.items).toHaveLength(1);
    expect(page2.body.items[0].id).not.toBe(page1.body.items[0].id);
    expect(page2.body.nextCursor).toBeNull();

    const other = await anEntrant(t);
    const otherAuth = (await session(t, other)).auth;
    await t.http().post(`/api/v1/me/notifications/${page1.body.items[0].id}/read`).set(otherAuth).expect(404);
    await t.http().post(`/api/v1/me/notifications/${page1.body.items[0].id}/read`).set(auth).expect(204);
    const after = await t.http().get('/api/v1/me/notifications').set(auth).expect(200);
    expect(after.body.items[0].readAt).not.toBeNull();
  });

  it('rejects a bad limit or cursor with 400', async () => {
    const { auth } = await session(t, await anEntrant(t));
    await t.http().get('/api/v1/me/notifications?limit=101').set(auth).expect(400);
    await t.http().get('/api/v1/me/notifications?cursor=garbage').set(auth).expect(400);
  });
});

describe('organisers and the audit log', () => {
  it('an organiser adds another organiser, who can sign in; the grant is audited', async () => {
    const org = await anOrganiser(t);
    const res = await t.http()
      .post('/api/v1/organisers')
      .set(org.auth)
      .send({ email: 'new.organiser@example.com', firstName: 'Noor', lastName: 'Haddad', password: 'tidal-granite-orchid' })
      .expect(201);
    expect(res.body.roles).toEqual(['organiser']);
    await signIn(t, 'new.organiser@example.com', 'tidal-granite-orchid');
    const audit = await t.http().get(`/api/v1/audit?action=user.role_granted&subjectId=${res.body.id}`).set(org.auth).expect(200);
    expect(audit.body.items).toEqual([
      expect.objectContaining({ action: 'user.role_granted', actorId: org.id, subjectId: res.body.id, data: { role: 'organiser' } }),
    ]);
  });

  it('an existing teacher account with a verified email gains the organiser role; a child cannot be made one', async () => {
    const org = await anOrganiser(t);
    const teacher = await verifyEmail(t, await aTeacher(t));
    const res = await t.http()
      .post('/api/v1/organisers')
      .set(org.auth)
      .send({ email: teacher.email, firstName: 'Grace', lastName: 'Hopper', password: 'ignored-for-existing' })
      .expect(201);
    expect(res.body.roles.sort()).toEqual(['organiser', 'teacher']);
    const child = await register(t, { dateOfBirth: bornYearsAgo(14) });
    const refused = await t.http()
      .post('/api/v1/organisers')
      .set(org.auth)
      .send({ email: child.email, firstName: 'A', lastName: 'B', password: 'ignored-for-existing' })
      .expect(409);
    expect(refused.body.code).toBe('NOT_AN_ADULT');
  });

  it('refuses the role to an account whose email was never verified (409, nothing changed), until its holder proves the address', async () => {
    const org = await anOrganiser(t);
    // Someone registers a future staff address they do not hold, and never verifies it.
    const email = 'future.staff@example.com';
    const squatter = await register(t, { email, firstName: 'Eve', lastName: 'Mallory', dateOfBirth: bornYearsAgo(22) });
    const add = () => t.http().post('/api/v1/organisers').set(org.auth).send({ email, firstName: 'Dana', lastName: 'Staff', password: 'ignored-for-existing' });
    const refused = await add().expect(409);
    expect(refused.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(refused.body).toMatchObject({ status: 409, code: 'EMAIL_NOT_VERIFIED' });
    expect(refused.body.detail).toMatch(/verif.*reset the account's password/);
    const squatterAuth = (await session(t, squatter)).auth;
    expect((await t.http().get('/api/v1/me').set(squatterAuth).expect(200)).body.roles).toEqual(['entrant']);
    await t.http().get('/api/v1/users').set(squatterAuth).expect(403);
    const granted = () => t.http().get(`/api/v1/audit?action=user.role_granted&subjectId=${squatter.id}`).set(org.auth).expect(200);
    expect((await granted()).body.items).toEqual([]);

    // The address's real holder resets the password through the emailed link, which proves the address: now the role can be given.
    await t.http().post('/api/v1/auth/password/forgot').send({ email }).expect(202);
    const reset = await t.mail.waitFor(email, (m) => /reset/i.test(m.subject));
    await t.http().post('/api/v1/auth/password/reset').send({ token: tokenFrom(reset, 'reset-password'), password: 'dana-owns-this-address' }).expect(204);
    expect((await add().expect(201)).body.roles.sort()).toEqual(['entrant', 'organiser']);
    expect((await granted()).body.items).toEqual([expect.objectContaining({ actorId: org.id, data: { role: 'organiser' } })]);
    await t.http().get('/api/v1/me').set(squatterAuth).expect(401);
    await t.http().post('/api/v1/auth/login').send({ login: email, password: PASSWORD }).expect(401);
    await signIn(t, email, 'dana-owns-this-address');
  });

  it('documents the 409 of POST /organisers', async () => {
    const doc = (await t.http().get('/api/docs-json').expect(200)).body;
    expect(doc.paths['/api/v1/organisers'].post.responses['409'].description).toContain('EMAIL_NOT_VERIFIED');
  });

  it('records sign-ins and password changes, filters by actor and since, newest first', async () => {
    const org = await anOrganiser(t);
    const user = await anEntrant(t);
    const { auth } = await session(t, user);
    await t.http().post('/api/v1/auth/password/change').set(auth).send({ currentPassword: PASSWORD, newPassword: 'river-stone-echo-7' }).expect(204);
    const res = await t.http().get(`/api/v1/audit?actorId=${user.id}`).set(org.auth).expect(200);
    expect(res.body.items.map((e: { action: string }) => e.action)).toEqual(['auth.password_changed', 'auth.login', 'user.registered']);
    const future = new Date(Date.now() + 3600_000).toISOString();
    expect((await t.http().get(`/api/v1/audit?actorId=${user.id}&since=${future}`).set(org.auth)).body.items).toEqual([]);
    await t.http().get('/api/v1/audit?actorId=not-a-uuid').set(org.auth).expect(400);
  });

  it('cannot be changed, even by the database owner', async () => {
    await expect(t.db.query(`UPDATE audit_log SET action = 'x'`)).rejects.toThrow(/append-only/);
    await expect(t.db.query(`DELETE FROM audit_log`)).rejects.toThrow(/append-only/);
  });
});

describe('pages for emailed links', () => {
  it('opening a verification page changes nothing; the page posts to the API', async () => {
    const user = await anEntrant(t);
    const token = tokenFrom(await t.mail.waitFor(user.email!), 'verify-email');
    const page = await t.http().get(`/verify-email?token=${token}`).expect(200).expect('Content-Type', /text\/html/);
    expect(page.text).toContain('/api/v1/auth/verify-email');
    expect(page.headers['content-security-policy']).toMatch(/script-src 'nonce-[^']+'/);
    expect(page.headers['cache-control']).toBe('no-store');
    const { auth } = await session(t, user);
    expect((await t.http().get('/api/v1/me').set(auth)).body.emailVerified).toBe(false);
    await t.http().post('/api/v1/auth/verify-email').send({ token }).expect(204);
  });

  it('escapes whatever the token query holds', async () => {
    const page = await t.http().get('/reset-password?token=%22%3E%3Cscript%3Ealert(1)%3C/script%3E').expect(200);
    expect(page.text).not.toContain('<script>alert(1)</script>');
  });
});

describe('finding people (organisers)', () => {
  it('searches names, usernames and emails, filters by role, pages; others are refused', async () => {
    const org = await anOrganiser(t);
    const zed = await register(t, { firstName: 'Zebedee', lastName: 'Quill', email: 'zq-search@example.com' });
    await aTeacher(t, { firstName: 'Zebedee', lastName: 'Quarry' });
    const byName = await t.http().get('/api/v1/users?q=zebedee').set(org.auth).expect(200);
    expect(byName.body.items.map((p: { lastName: string }) => p.lastName).sort()).toEqual(['Quarry', 'Quill']);
    const teachers = await t.http().get('/api/v1/users?q=zebedee&role=teacher').set(org.auth).expect(200);
    expect(teachers.body.items).toHaveLength(1);
    expect(teachers.body.items[0]).toMatchObject({ displayName: 'Zebedee Q.', roles: ['teacher'], ageBand: '18+' });
    const byEmail = await t.http().get('/api/v1/users?q=zq-search@').set(org.auth).expect(200);
    expect(byEmail.body.items.map((p: { id: string }) => p.id)).toEqual([zed.id]);
    const paged = await t.http().get('/api/v1/users?q=zebedee&limit=1').set(org.auth).expect(200);
    expect(paged.body.nextCursor).toEqual(expect.any(String));
    expect((await t.http().get('/api/v1/users?q=%25').set(org.auth).expect(200)).body.items).toEqual([]); // % is literal
    await t.http().get('/api/v1/users?q=zebedee').set((await session(t, zed)).auth).expect(403);
  });
});

describe('date of birth corrections by organisers', () => {
  it('an organiser corrects an entrant (audited, age bands only); others cannot; bad dates and non-entrants are refused', async () => {
    const org = await anOrganiser(t);
    const teen = await register(t, { dateOfBirth: bornYearsAgo(16), parentEmail: undefined });
    const res = await t.http().patch(`/api/v1/users/${teen.id}`).set(org.auth).send({ dateOfBirth: bornYearsAgo(14) }).expect(200);
    expect(res.body).toMatchObject({ id: teen.id, ageBand: '13-17' });
    const audit = await t.http().get(`/api/v1/audit?action=user.date_of_birth_corrected&subjectId=${teen.id}`).set(org.auth).expect(200);
    expect(audit.body.items[0]).toMatchObject({ actorId: org.id, data: { fromAgeBand: '13-17', toAgeBand: '13-17' } });
    expect(JSON.stringify(audit.body.items[0].data)).not.toMatch(/\d{4}-\d{2}-\d{2}/); // no dates of birth in the log
    await t.http().patch(`/api/v1/users/${teen.id}`).set(org.auth).send({ dateOfBirth: bornYearsAgo(9) }).expect(400);
    await t.http().patch(`/api/v1/users/${teen.id}`).set((await session(t, teen)).auth).send({ dateOfBirth: bornYearsAgo(20) }).expect(403);
    const teacher = await aTeacher(t);
    await t.http().patch(`/api/v1/users/${teacher.id}`).set(org.auth).send({ dateOfBirth: bornYearsAgo(20) }).expect(404);
  });

  it('shows a refused under-13 corrected to 14 as not_required; corrected back, the refusal stands (no new request)', async () => {
    const org = await anOrganiser(t);
    const parentEmail = `refusing-parent-${Date.now()}@example.com`;
    const child = await register(t, { email: undefined, dateOfBirth: bornYearsAgo(12), parentEmail });
    const token = tokenFrom(await t.mail.waitFor(parentEmail, (m) => /take part/.test(m.subject)), 'consent');
    await t.http().post(`/api/v1/consent/${token}`).send({ decision: 'refuse', parentName: 'Farah Khan' }).expect(204);
    const { auth } = await session(t, child);

    await t.http().patch(`/api/v1/users/${child.id}`).set(org.auth).send({ dateOfBirth: bornYearsAgo(14) }).expect(200);
    expect((await t.http().get('/api/v1/me').set(auth).expect(200)).body).toMatchObject({ ageBand: '13-17', consentStatus: 'not_required' });

    await t.http().patch(`/api/v1/users/${child.id}`).set(org.auth).send({ dateOfBirth: bornYearsAgo(12) }).expect(200);
    expect((await t.http().get('/api/v1/me').set(auth).expect(200)).body).toMatchObject({ ageBand: 'U13', consentStatus: 'refused' });
    const requests = await t.db.query(`SELECT 1 FROM audit_log WHERE action = 'consent.requested' AND subject_id = $1`, [child.id]);
    expect(requests).toHaveLength(1);
  });

  it('takes every adult role from someone found to be under 18: judge routes answer 403 at once, each removal audited', async () => {
    const org = await anOrganiser(t);
    const adult = await aVerifiedEntrant(t, { dateOfBirth: bornYearsAgo(18) });
    const judge = await aJudge(t, org, { existing: adult });
    await t.http().post('/api/v1/organisers').set(org.auth).send({ email: adult.email, firstName: 'Amira', lastName: 'Khan', password: PASSWORD }).expect(201);
    await t.http().get('/api/v1/judge/assignments').set(judge.auth).expect(200);

    const res = await t.http().patch(`/api/v1/users/${adult.id}`).set(org.auth).send({ dateOfBirth: bornYearsAgo(16) }).expect(200);
    expect(res.body).toMatchObject({ ageBand: '13-17', roles: ['entrant'] });
    expect((await t.http().get('/api/v1/judge/assignments').set(judge.auth).expect(403)).body.code).toBe('ROLE_REQUIRED');
    await t.http().get('/api/v1/audit').set(judge.auth).expect(403);
    expect((await t.http().get('/api/v1/me').set(judge.auth).expect(200)).body.roles).toEqual(['entrant']);
    const audit = await t.http().get(`/api/v1/audit?action=user.role_removed&subjectId=${adult.id}`).set(org.auth).expect(200);
    expect(audit.body.items.map((i: { actorId: string; data: object }) => ({ actorId: i.actorId, data: i.data }))).toEqual(
      expect.arrayContaining([
        { actorId: org.id, data: { role: 'judge', reason: 'under_18' } },
        { actorId: org.id, data: { role: 'organiser', reason: 'under_18' } },
      ]),
    );
    expect(audit.body.items).toHaveLength(2);
  });
});

describe('keyset pagination', () => {
  it('pages through rows created within one millisecond without skipping any, and refuses a forged cursor', async () => {
    const org = await anOrganiser(t);
    await t.db.query(
      `INSERT INTO audit_log (at, action, data) VALUES
         ('2026-01-01T10:00:00.123100Z', 'test.same_ms', '{}'), ('2026-01-01T10:00:00.123200Z', 'test.same_ms', '{}'),
         ('2026-01-01T10:00:00.123300Z', 'test.same_ms', '{}'), ('2026-01-01T10:00:00.123400Z', 'test.same_ms', '{}')`,
    );
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const res: { body: { items: { id: string }[]; nextCursor: string | null } } = await t.http()
        .get('/api/v1/audit')
        .query({ action: 'test.same_ms', limit: 1, ...(cursor ? { cursor } : {}) })
        .set(org.auth)
        .expect(200);
      seen.push(...res.body.items.map((i) => i.id));
      cursor = res.body.nextCursor;
    } while (cursor);
    expect(new Set(seen).size).toBe(4);
    const forged = Buffer.from(JSON.stringify({ at: '2026-01-01T10:00:00Z', id: "x' OR 1=1" })).toString('base64url');
    expect((await t.http().get(`/api/v1/audit?cursor=${forged}`).set(org.auth).expect(400)).body.errors[0].field).toBe('cursor');
  });
});

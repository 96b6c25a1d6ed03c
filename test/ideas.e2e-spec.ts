import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { tokenFrom } from './support/mail-capture.js';
import { startTestApp, type TestApp } from './support/test-app.js';
import {
  COMPLETE_IDEA,
  aClass,
  aCompetition,
  aPendingTeacher,
  aSignedInEntrant,
  aTeacher,
  aVerifiedTeacher,
  anIdea,
  anOrganiser,
  bornYearsAgo,
  errorFields,
  register,
  session,
} from './support/builders.js';

let t: TestApp;
let org: Awaited<ReturnType<typeof anOrganiser>>;
let comp: Awaited<ReturnType<typeof aCompetition>>;
beforeAll(async () => {
  t = await startTestApp();
  org = await anOrganiser(t);
  comp = await aCompetition(t, org);
});
afterAll(async () => {
  await t?.close();
});

describe('drafts', () => {
  it('a draft needs only a title; submitting lists every missing field', async () => {
    const owner = await aSignedInEntrant(t);
    const idea = await t.http().post(`/api/v1/competitions/${comp.id}/ideas`).set(owner.auth).send({ title: 'Just a title' }).expect(201);
    expect(idea.body).toMatchObject({ status: 'draft', version: 0, hidden: false, outcome: null, hasUnsubmittedChanges: false, links: [] });
    expect(idea.body.members).toEqual([{ userId: owner.id, displayName: 'Amira K.', role: 'owner', accepted: true }]);
    const res = await t.http().post(`/api/v1/ideas/${idea.body.id}/submit`).set(owner.auth).expect(400);
    expect(res.body.code).toBe('IDEA_INCOMPLETE');
    expect(res.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['audience', 'category', 'problem', 'solution', 'summary']);
  });

  it('refuses a 10 KB title, non-https links, too many links and an unknown category (400, nothing saved)', async () => {
    const owner = await aSignedInEntrant(t);
    const res = await t.http()
      .post(`/api/v1/competitions/${comp.id}/ideas`)
      .set(owner.auth)
      .send({ title: 'x'.repeat(10_000), links: ['http://insecure.example', 'https://a.example', 'https://b.example', 'https://c.example', 'https://d.example', 'https://e.example'] })
      .expect(400);
    expect(res.body.errors.map((e: { field: string }) => e.field)).toEqual(expect.arrayContaining(['title', 'links']));
    const cat = await t.http().post(`/api/v1/competitions/${comp.id}/ideas`).set(owner.auth).send({ title: 'Ok', category: 'sport' }).expect(400);
    expect(cat.body.errors[0].field).toBe('category');
    expect((await t.http().get('/api/v1/me/ideas').set(owner.auth)).body.items).toEqual([]);
  });

  it('only entrants create ideas, and only in published competitions', async () => {
    const teacher = await aTeacher(t);
    await t.http().post(`/api/v1/competitions/${comp.id}/ideas`).set((await session(t, teacher)).auth).send({ title: 'x' }).expect(403);
    const draft = await t.http().post('/api/v1/competitions').set(org.auth).send({
      title: 'Unpublished', slug: `unpublished-${Date.now()}`, minAge: 11, maxAge: 25,
      opensAt: new Date().toISOString(), closesAt: new Date(Date.now() + 86400_000).toISOString(), categories: ['a'],
    });
    const owner = await aSignedInEntrant(t);
    await t.http().post(`/api/v1/competitions/${draft.body.id}/ideas`).set(owner.auth).send({ title: 'x' }).expect(404);
  });

  it('is visible to its members and organisers; anyone else gets 404 for reading and editing', async () => {
    const owner = await aSignedInEntrant(t);
    const idea = await anIdea(t, owner, comp.id);
    const stranger = await aSignedInEntrant(t);
    await t.http().get(`/api/v1/ideas/${idea.id}`).set(stranger.auth).expect(404);
    await t.http().patch(`/api/v1/ideas/${idea.id}`).set(stranger.auth).send({ title: 'Mine now' }).expect(404);
    await t.http().get(`/api/v1/ideas/${idea.id}`).set(org.auth).expect(200);
    const edited = await t.http().patch(`/api/v1/ideas/${idea.id}`).set(owner.auth).send({ title: 'Bus buddy 2' }).expect(200);
    expect(edited.body.title).toBe('Bus buddy 2');
    const mine = await t.http().get('/api/v1/me/ideas').set(owner.auth).expect(200);
    expect(mine.body.items.map((i: { id: string }) => i.id)).toEqual([idea.id]);
  });

  it.each(['title', 'summary', 'problem', 'solution', 'audience', 'links'])('null for %s → 400 naming it (creating or editing); nothing changes', async (field) => {
    const owner = await aSignedInEntrant(t);
    const idea = await anIdea(t, owner, comp.id);
    const edit = await t.http().patch(`/api/v1/ideas/${idea.id}`).set(owner.auth).send({ [field]: null }).expect(400);
    expect(errorFields(edit)).toEqual([field]);
    expect((await t.http().get(`/api/v1/ideas/${idea.id}`).set(owner.auth).expect(200)).body).toMatchObject(COMPLETE_IDEA);
    const create = await t.http().post(`/api/v1/competitions/${comp.id}/ideas`).set(owner.auth).send({ title: 'Another', [field]: null }).expect(400);
    expect(errorFields(create)).toEqual([field]);
    expect((await t.http().get('/api/v1/me/ideas').set(owner.auth)).body.items).toHaveLength(1);
  });

  it('a category may be cleared with null', async () => {
    const owner = await aSignedInEntrant(t);
    const idea = await anIdea(t, owner, comp.id);
    expect((await t.http().patch(`/api/v1/ideas/${idea.id}`).set(owner.auth).send({ category: null }).expect(200)).body.category).toBeNull();
  });
});

describe('submitting', () => {
  it('takes a new immutable version at each submit and emails a receipt to every member', async () => {
    const owner = await aSignedInEntrant(t);
    const idea = await anIdea(t, owner, comp.id);
    const v1 = await t.http().post(`/api/v1/ideas/${idea.id}/submit`).set(owner.auth).expect(200);
    expect(v1.body).toMatchObject({ status: 'submitted', version: 1, hasUnsubmittedChanges: false });
    expect(v1.body.submittedAt).toEqual(expect.any(String));
    await t.mail.waitFor(owner.email!, (m) => m.subject.startsWith('Received'));

    const edited = await t.http().patch(`/api/v1/ideas/${idea.id}`).set(owner.auth).send({ summary: 'Sharper summary.' }).expect(200);
    expect(edited.body.hasUnsubmittedChanges).toBe(true);
    const v2 = await t.http().post(`/api/v1/ideas/${idea.id}/submit`).set(owner.auth).expect(200);
    expect(v2.body).toMatchObject({ version: 2, hasUnsubmittedChanges: false });
    const versions = await t.db.query(`SELECT version, content->>'summary' AS summary, content_hash FROM idea_version WHERE idea_id = $1 ORDER BY version`, [idea.id]);
    expect(versions.map((v: { summary: string }) => v.summary)).toEqual([COMPLETE_IDEA.summary, 'Sharper summary.']);
    expect(versions[0].content_hash).not.toBe(versions[1].content_hash);
  });

  it('refuses submitting one second after closesAt (409) and any change after the deadline', async () => {
    const c = await aCompetition(t, org, { closesAt: new Date(Date.now() + 10 * 60_000).toISOString() }); // within the access token's life
    const owner = await aSignedInEntrant(t);
    const idea = await anIdea(t, owner, c.id);
    t.clock.set(new Date(new Date(c.closesAt).getTime() + 1000));
    try {
      expect((await t.http().post(`/api/v1/ideas/${idea.id}/submit`).set(owner.auth).expect(409)).body.code).toBe('COMPETITION_NOT_OPEN');
      expect((await t.http().patch(`/api/v1/ideas/${idea.id}`).set(owner.auth).send({ title: 'Late' }).expect(409)).body.code).toBe('DEADLINE_PASSED');
      await t.http().post(`/api/v1/ideas/${idea.id}/withdraw`).set(owner.auth).expect(409);
    } finally {
      t.clock.reset();
    }
  });

  it('an under-13 without consent cannot submit: 403 with a code naming consent', async () => {
    const child = await register(t, { email: undefined, dateOfBirth: bornYearsAgo(12), parentEmail: 'parent-of-child@example.com' });
    const auth = (await session(t, child)).auth;
    const idea = await anIdea(t, { auth }, comp.id);
    const res = await t.http().post(`/api/v1/ideas/${idea.id}/submit`).set(auth).expect(403);
    expect(res.body.code).toBe('CONSENT_REQUIRED');
    expect(res.body.errors.map((e: { message: string }) => e.message).join(' ')).toMatch(/consent/);
  });

  it('a child without email whose parent granted consent still counts as verified at 13 (date of birth corrected)', async () => {
    const parentEmail = `granting-parent-${Date.now()}@example.com`;
    const child = await register(t, { email: undefined, dateOfBirth: bornYearsAgo(12), parentEmail });
    const token = tokenFrom(await t.mail.waitFor(parentEmail, (m) => /take part/.test(m.subject)), 'consent');
    await t.http().post(`/api/v1/consent/${token}`).send({ decision: 'grant', parentName: 'Farah Khan' }).expect(204);
    await t.http().patch(`/api/v1/users/${child.id}`).set(org.auth).send({ dateOfBirth: bornYearsAgo(14) }).expect(200);
    const auth = (await session(t, child)).auth;
    expect((await t.http().get('/api/v1/me').set(auth).expect(200)).body.consentStatus).toBe('not_required');
    const idea = await anIdea(t, { auth }, comp.id);
    await t.http().post(`/api/v1/ideas/${idea.id}/submit`).set(auth).expect(200);
  });

  it('an unverified email or an age outside the competition is listed (403)', async () => {
    const adultsOnly = await aCompetition(t, org, { minAge: 11, maxAge: 16 });
    const unverified = await register(t, { dateOfBirth: bornYearsAgo(20) });
    const auth = (await session(t, unverified)).auth;
    const idea = await anIdea(t, { auth }, adultsOnly.id);
    const res = await t.http().post(`/api/v1/ideas/${idea.id}/submit`).set(auth).expect(403);
    expect(res.body.code).toBe('REQUIREMENTS_NOT_MET');
    expect(res.body.errors).toHaveLength(2);
  });

  it('an entrant is in at most one submitted idea per competition (409); withdrawing frees them', async () => {
    const a = await aSignedInEntrant(t);
    const first = await anIdea(t, a, comp.id);
    const second = await anIdea(t, a, comp.id, { title: 'Another' });
    await t.http().post(`/api/v1/ideas/${first.id}/submit`).set(a.auth).expect(200);
    expect((await t.http().post(`/api/v1/ideas/${second.id}/submit`).set(a.auth).expect(409)).body.code).toBe('ALREADY_IN_SUBMITTED_IDEA');
    const withdrawn = await t.http().post(`/api/v1/ideas/${first.id}/withdraw`).set(a.auth).expect(200);
    expect(withdrawn.body.status).toBe('withdrawn');
    await t.http().post(`/api/v1/ideas/${second.id}/submit`).set(a.auth).expect(200);
  });
});

describe('Idempotency-Key on submit', () => {
  it('replays the first answer for a repeat, with exactly one version per key, even when sent at once', async () => {
    const owner = await aSignedInEntrant(t);
    const idea = await anIdea(t, owner, comp.id);
    const send = () => t.http().post(`/api/v1/ideas/${idea.id}/submit`).set(owner.auth).set('Idempotency-Key', 'submit-once-1');
    const [a, b] = await Promise.all([send(), send()]);
    expect([a.status, b.status].sort()).toEqual(expect.arrayContaining([200]));
    for (const r of [a, b]) expect([200, 409]).toContain(r.status);
    const replay = await send().expect(200);
    expect(replay.headers['idempotent-replayed']).toBe('true');
    expect(replay.body.version).toBe(1);
    const [{ count }] = await t.db.query(`SELECT count(*)::int AS count FROM idea_version WHERE idea_id = $1`, [idea.id]);
    expect(count).toBe(1);
  });

  it('different keys at once give one version each, in order', async () => {
    const owner = await aSignedInEntrant(t);
    const idea = await anIdea(t, owner, comp.id);
    const results = await Promise.all(['k-a', 'k-b'].map((k) => t.http().post(`/api/v1/ideas/${idea.id}/submit`).set(owner.auth).set('Idempotency-Key', k)));
    expect(results.map((r) => r.status)).toEqual([200, 200]);
    expect(results.map((r) => r.body.version).sort()).toEqual([1, 2]);
  });

  it('replays errors too, and refuses the key on another idea with 422', async () => {
    const owner = await aSignedInEntrant(t);
    const incomplete = await anIdea(t, owner, comp.id, { summary: '' });
    const first = await t.http().post(`/api/v1/ideas/${incomplete.id}/submit`).set(owner.auth).set('Idempotency-Key', 'err-1').expect(400);
    await t.http().patch(`/api/v1/ideas/${incomplete.id}`).set(owner.auth).send({ summary: 'Now complete.' }).expect(200);
    const again = await t.http().post(`/api/v1/ideas/${incomplete.id}/submit`).set(owner.auth).set('Idempotency-Key', 'err-1').expect(400);
    expect(again.body).toEqual(first.body);
    const other = await anIdea(t, owner, comp.id, { title: 'Other' });
    expect((await t.http().post(`/api/v1/ideas/${other.id}/submit`).set(owner.auth).set('Idempotency-Key', 'err-1').expect(422)).body.code).toBe('IDEMPOTENCY_KEY_REUSED');
    // another user may use the same key for themselves
    const someoneElse = await aSignedInEntrant(t);
    const theirs = await anIdea(t, someoneElse, comp.id);
    await t.http().post(`/api/v1/ideas/${theirs.id}/submit`).set(someoneElse.auth).set('Idempotency-Key', 'err-1').expect(200);
  });
});

describe('teams', () => {
  it('invites by username, lists the invitation, accepts; the invitee is told by email', async () => {
    const owner = await aSignedInEntrant(t);
    const friend = await aSignedInEntrant(t, { firstName: 'Ben', lastName: 'Ode' });
    const idea = await anIdea(t, owner, comp.id);
    const invited = await t.http().post(`/api/v1/ideas/${idea.id}/members`).set(owner.auth).send({ username: friend.username }).expect(201);
    expect(invited.body.members).toContainEqual({ userId: friend.id, displayName: 'Ben O.', role: 'member', accepted: false });
    await t.mail.waitFor(friend.email!, (m) => /invited you/.test(m.subject));
    const inv = await t.http().get('/api/v1/me/invitations').set(friend.auth).expect(200);
    expect(inv.body.items).toEqual([expect.objectContaining({ ideaId: idea.id, ideaTitle: 'Bus buddy', invitedBy: 'Amira K.' })]);
    await t.http().get(`/api/v1/ideas/${idea.id}`).set(friend.auth).expect(404); // not a member yet
    const accepted = await t.http().post(`/api/v1/ideas/${idea.id}/members/accept`).set(friend.auth).expect(200);
    expect(accepted.body.members.find((m: { userId: string }) => m.userId === friend.id).accepted).toBe(true);
    await t.http().patch(`/api/v1/ideas/${idea.id}`).set(friend.auth).send({ solution: 'Edited by a teammate.' }).expect(200);
    const submitted = await t.http().post(`/api/v1/ideas/${idea.id}/submit`).set(friend.auth).expect(200);
    expect(submitted.body.version).toBe(1);
    await t.mail.waitFor(owner.email!, (m) => m.subject.startsWith('Received'));
    await t.mail.waitFor(friend.email!, (m) => m.subject.startsWith('Received'));
  });

  it('counts pending invitations toward maxTeamSize: a 5th member when the maximum is 4 → 409', async () => {
    const owner = await aSignedInEntrant(t);
    const idea = await anIdea(t, owner, comp.id);
    for (let i = 0; i < 3; i++) {
      const m = await aSignedInEntrant(t);
      await t.http().post(`/api/v1/ideas/${idea.id}/members`).set(owner.auth).send({ email: m.email }).expect(201);
    }
    const fifth = await aSignedInEntrant(t);
    expect((await t.http().post(`/api/v1/ideas/${idea.id}/members`).set(owner.auth).send({ username: fifth.username }).expect(409)).body.code).toBe('TEAM_FULL');
  });

  it('a 25-year-old inviting a 14-year-old from another class → 403', async () => {
    const adult = await aSignedInEntrant(t, { dateOfBirth: bornYearsAgo(25) });
    const teen = await aSignedInEntrant(t, { dateOfBirth: bornYearsAgo(14) });
    const idea = await anIdea(t, adult, comp.id);
    expect((await t.http().post(`/api/v1/ideas/${idea.id}/members`).set(adult.auth).send({ username: teen.username }).expect(403)).body.code).toBe('MIXED_AGE_TEAM');
  });

  it('null for username or email → 400 naming it (both when both are null); nobody is invited', async () => {
    const owner = await aSignedInEntrant(t);
    const friend = await aSignedInEntrant(t);
    const idea = await anIdea(t, owner, comp.id);
    const invite = (body: object) => t.http().post(`/api/v1/ideas/${idea.id}/members`).set(owner.auth).send(body);
    expect(errorFields(await invite({ username: null, email: null }).expect(400))).toEqual(['username', 'email']);
    expect(errorFields(await invite({ username: friend.username, email: null }).expect(400))).toEqual(['email']);
    expect(errorFields(await invite({ username: null, email: friend.email }).expect(400))).toEqual(['username']);
    expect((await t.http().get('/api/v1/me/invitations').set(friend.auth).expect(200)).body.items).toEqual([]);
  });

  it('only the owner invites; unknown people → 404; duplicates → 409; members leave, the owner cannot', async () => {
    const owner = await aSignedInEntrant(t);
    const member = await aSignedInEntrant(t);
    const other = await aSignedInEntrant(t);
    const idea = await anIdea(t, owner, comp.id);
    await t.http().post(`/api/v1/ideas/${idea.id}/members`).set(owner.auth).send({ username: 'nobody.x999' }).expect(404);
    await t.http().post(`/api/v1/ideas/${idea.id}/members`).set(owner.auth).send({ username: member.username }).expect(201);
    await t.http().post(`/api/v1/ideas/${idea.id}/members`).set(owner.auth).send({ username: member.username }).expect(409);
    await t.http().post(`/api/v1/ideas/${idea.id}/members/accept`).set(member.auth).expect(200);
    await t.http().post(`/api/v1/ideas/${idea.id}/members`).set(member.auth).send({ username: other.username }).expect(403);
    await t.http().delete(`/api/v1/ideas/${idea.id}/members/${owner.id}`).set(owner.auth).expect(409);
    await t.http().delete(`/api/v1/ideas/${idea.id}/members/${owner.id}`).set(member.auth).expect(403);
    await t.http().delete(`/api/v1/ideas/${idea.id}/members/${member.id}`).set(member.auth).expect(204);
    await t.http().get(`/api/v1/ideas/${idea.id}`).set(member.auth).expect(404);
  });

  it('declining removes the invitation; accepting needs one', async () => {
    const owner = await aSignedInEntrant(t);
    const friend = await aSignedInEntrant(t);
    const idea = await anIdea(t, owner, comp.id);
    await t.http().post(`/api/v1/ideas/${idea.id}/members`).set(owner.auth).send({ username: friend.username }).expect(201);
    await t.http().post(`/api/v1/ideas/${idea.id}/members/decline`).set(friend.auth).expect(204);
    await t.http().post(`/api/v1/ideas/${idea.id}/members/accept`).set(friend.auth).expect(404);
    expect((await t.http().get(`/api/v1/ideas/${idea.id}`).set(owner.auth)).body.members).toHaveLength(1);
  });

  it('an under-13 without consent cannot form a team: their invitation → 403 CONSENT_REQUIRED, nothing stored; granted consent lifts it', async () => {
    const parentEmail = 'parent-of-team-owner@example.com';
    const child = await register(t, { email: undefined, dateOfBirth: bornYearsAgo(12), parentEmail });
    const auth = (await session(t, child)).auth;
    const idea = await anIdea(t, { auth }, comp.id);
    const teen = await aSignedInEntrant(t, { dateOfBirth: bornYearsAgo(14) });
    const res = await t.http().post(`/api/v1/ideas/${idea.id}/members`).set(auth).send({ username: teen.username }).expect(403);
    expect(res.body.code).toBe('CONSENT_REQUIRED');
    expect((await t.http().get('/api/v1/me/invitations').set(teen.auth).expect(200)).body.items).toEqual([]);
    await t.http().post(`/api/v1/ideas/${idea.id}/members/accept`).set(teen.auth).expect(404);
    expect((await t.http().get(`/api/v1/ideas/${idea.id}`).set(auth).expect(200)).body.members).toHaveLength(1);

    const token = tokenFrom(await t.mail.waitFor(parentEmail, (m) => /take part/.test(m.subject)), 'consent');
    await t.http().post(`/api/v1/consent/${token}`).send({ decision: 'grant', parentName: 'Farah Khan' }).expect(204);
    await t.http().post(`/api/v1/ideas/${idea.id}/members`).set(auth).send({ username: teen.username }).expect(201);
    await t.http().post(`/api/v1/ideas/${idea.id}/members/accept`).set(teen.auth).expect(200);
  });

  it('nobody joins a team one of whose members lacks consent: accepting → 403 CONSENT_REQUIRED until it is given', async () => {
    const teacher = await aVerifiedTeacher(t, { organiser: org });
    const klass = await aClass(t, teacher);
    const owner = await aSignedInEntrant(t, { dateOfBirth: bornYearsAgo(14) });
    const friend = await aSignedInEntrant(t, { dateOfBirth: bornYearsAgo(14) });
    await t.http().post('/api/v1/classes/join').set(owner.auth).send({ code: klass.joinCode }).expect(200);
    const idea = await anIdea(t, owner, comp.id);
    await t.http().post(`/api/v1/ideas/${idea.id}/members`).set(owner.auth).send({ username: friend.username }).expect(201);
    // the owner's date of birth is corrected after the invitation: they are 12, so consent is pending
    await t.http().patch(`/api/v1/classes/${klass.id}/students/${owner.id}`).set(teacher.auth).send({ dateOfBirth: bornYearsAgo(12) }).expect(200);
    expect((await t.http().post(`/api/v1/ideas/${idea.id}/members/accept`).set(friend.auth).expect(403)).body.code).toBe('CONSENT_REQUIRED');
    const team = (await t.http().get(`/api/v1/ideas/${idea.id}`).set(owner.auth).expect(200)).body.members;
    expect(team).toContainEqual(expect.objectContaining({ userId: friend.id, accepted: false }));

    await t.http().post(`/api/v1/classes/${klass.id}/students/${owner.id}/consent`).set(teacher.auth).send({ attestation: 'school_holds_parental_consent' }).expect(204);
    await t.http().post(`/api/v1/ideas/${idea.id}/members/accept`).set(friend.auth).expect(200);
  });

  /** An owner's idea with `member` in its team, submitted. */
  async function submittedWith(member: { username: string; auth: Record<string, string> }) {
    const owner = await aSignedInEntrant(t);
    const idea = await anIdea(t, owner, comp.id, { title: 'Idea A' });
    await t.http().post(`/api/v1/ideas/${idea.id}/members`).set(owner.auth).send({ username: member.username }).expect(201);
    await t.http().post(`/api/v1/ideas/${idea.id}/members/accept`).set(member.auth).expect(200);
    await t.http().post(`/api/v1/ideas/${idea.id}/submit`).set(owner.auth).expect(200);
    return { owner, idea };
  }

  it('a member of the submitted team cannot leave or be removed (409 WITHDRAW_FIRST), so cannot enter another idea', async () => {
    const lena = await aSignedInEntrant(t, { firstName: 'Lena', lastName: 'Berg' });
    const { owner, idea } = await submittedWith(lena);
    expect((await t.http().delete(`/api/v1/ideas/${idea.id}/members/${lena.id}`).set(lena.auth).expect(409)).body.code).toBe('WITHDRAW_FIRST');
    expect((await t.http().delete(`/api/v1/ideas/${idea.id}/members/${lena.id}`).set(owner.auth).expect(409)).body.code).toBe('WITHDRAW_FIRST');
    const team = (await t.http().get(`/api/v1/ideas/${idea.id}`).set(lena.auth).expect(200)).body.members;
    expect(team).toContainEqual(expect.objectContaining({ userId: lena.id, accepted: true }));
    const own = await anIdea(t, lena, comp.id, { title: 'Idea F' });
    expect((await t.http().post(`/api/v1/ideas/${own.id}/submit`).set(lena.auth).expect(409)).body.code).toBe('ALREADY_IN_SUBMITTED_IDEA');
  });

  it('withdraw, remove, resubmit: the new snapshot is judged without the member, who is then free to enter', async () => {
    const lena = await aSignedInEntrant(t, { firstName: 'Lena', lastName: 'Berg' });
    const { owner, idea } = await submittedWith(lena);
    await t.http().post(`/api/v1/ideas/${idea.id}/withdraw`).set(owner.auth).expect(200);
    await t.http().delete(`/api/v1/ideas/${idea.id}/members/${lena.id}`).set(owner.auth).expect(204);
    expect((await t.http().post(`/api/v1/ideas/${idea.id}/submit`).set(owner.auth).expect(200)).body).toMatchObject({ status: 'submitted', version: 2 });
    const snapshots = await t.db.query(`SELECT version, member_ids FROM idea_version WHERE idea_id = $1 ORDER BY version`, [idea.id]);
    expect(snapshots).toEqual([{ version: 1, member_ids: expect.arrayContaining([owner.id, lena.id]) }, { version: 2, member_ids: [owner.id] }]);
    const own = await anIdea(t, lena, comp.id, { title: 'Idea F' });
    await t.http().post(`/api/v1/ideas/${own.id}/submit`).set(lena.auth).expect(200);
  });

  it('someone who joined a submitted idea since its last submit is not in the judged team, and may leave', async () => {
    const { owner, idea } = await submittedWith(await aSignedInEntrant(t));
    const late = await aSignedInEntrant(t);
    await t.http().post(`/api/v1/ideas/${idea.id}/members`).set(owner.auth).send({ username: late.username }).expect(201);
    await t.http().post(`/api/v1/ideas/${idea.id}/members/accept`).set(late.auth).expect(200);
    await t.http().delete(`/api/v1/ideas/${idea.id}/members/${late.id}`).set(late.auth).expect(204);
    const own = await anIdea(t, late, comp.id);
    await t.http().post(`/api/v1/ideas/${own.id}/submit`).set(late.auth).expect(200);
  });

  it('joining a submitted idea is refused when the invitee already has a submitted idea (409)', async () => {
    const owner = await aSignedInEntrant(t);
    const friend = await aSignedInEntrant(t);
    const idea = await anIdea(t, owner, comp.id);
    const theirs = await anIdea(t, friend, comp.id);
    await t.http().post(`/api/v1/ideas/${theirs.id}/submit`).set(friend.auth).expect(200);
    await t.http().post(`/api/v1/ideas/${idea.id}/submit`).set(owner.auth).expect(200);
    await t.http().post(`/api/v1/ideas/${idea.id}/members`).set(owner.auth).send({ username: friend.username }).expect(201);
    await t.http().post(`/api/v1/ideas/${idea.id}/members/accept`).set(friend.auth).expect(409);
  });
});

describe('moderation', () => {
  it('a member reports; an organiser sees it, hides the idea (team told, submit refused) and unhides it; all audited', async () => {
    const owner = await aSignedInEntrant(t);
    const idea = await anIdea(t, owner, comp.id);
    const stranger = await aSignedInEntrant(t);
    await t.http().post(`/api/v1/ideas/${idea.id}/report`).set(stranger.auth).send({ reason: 'Looks copied' }).expect(404);
    const report = await t.http().post(`/api/v1/ideas/${idea.id}/report`).set(owner.auth).send({ reason: 'Testing the report button' }).expect(201);
    await t.http().get('/api/v1/reports').set(owner.auth).expect(403);
    const reports = await t.http().get('/api/v1/reports').set(org.auth).expect(200);
    expect(reports.body.items[0]).toMatchObject({ id: report.body.id, ideaId: idea.id, reason: 'Testing the report button', ideaHidden: false });

    await t.http().post(`/api/v1/ideas/${idea.id}/hide`).set(owner.auth).send({ reason: 'nope' }).expect(403);
    const hidden = await t.http().post(`/api/v1/ideas/${idea.id}/hide`).set(org.auth).send({ reason: 'Contains personal details' }).expect(200);
    expect(hidden.body.hidden).toBe(true);
    await t.mail.waitFor(owner.email!, (m) => /hidden/.test(m.subject));
    expect((await t.http().post(`/api/v1/ideas/${idea.id}/submit`).set(owner.auth).expect(409)).body.code).toBe('IDEA_HIDDEN');
    await t.http().post(`/api/v1/ideas/${idea.id}/hide`).set(org.auth).send({ reason: 'again' }).expect(409);
    await t.http().post(`/api/v1/ideas/${idea.id}/unhide`).set(org.auth).send({ reason: 'Details removed' }).expect(200);
    await t.http().post(`/api/v1/ideas/${idea.id}/submit`).set(owner.auth).expect(200);
    const audit = await t.http().get(`/api/v1/audit?subjectId=${idea.id}`).set(org.auth).expect(200);
    expect(audit.body.items.map((e: { action: string }) => e.action)).toEqual(expect.arrayContaining(['idea.hidden', 'idea.unhidden', 'idea.reported', 'idea.submitted']));
  });
});

describe('classes and ideas', () => {
  it('a verified teacher reads their students\' ideas (read-only), sees the counts in the class view; another teacher gets 404', async () => {
    const teacher = await aVerifiedTeacher(t, { organiser: org });
    const klass = await aClass(t, teacher);
    const pupil = await aSignedInEntrant(t);
    await t.http().post('/api/v1/classes/join').set(pupil.auth).send({ code: klass.joinCode }).expect(200);
    const idea = await anIdea(t, pupil, comp.id);
    await anIdea(t, pupil, comp.id, { title: 'Second draft' });
    await t.http().post(`/api/v1/ideas/${idea.id}/submit`).set(pupil.auth).expect(200);

    const seen = await t.http().get(`/api/v1/ideas/${idea.id}`).set(teacher.auth).expect(200);
    expect(seen.body.title).toBe('Bus buddy');
    expect((await t.http().patch(`/api/v1/ideas/${idea.id}`).set(teacher.auth).send({ title: 'Teacher edit' }).expect(403)).body.code).toBe('READ_ONLY');
    const view = await t.http().get(`/api/v1/classes/${klass.id}`).set(teacher.auth).expect(200);
    expect(view.body.students.find((s: { userId: string }) => s.userId === pupil.id).ideas).toEqual({ draft: 1, submitted: 1 });

    const otherTeacher = await aVerifiedTeacher(t, { organiser: org });
    await t.http().get(`/api/v1/ideas/${idea.id}`).set(otherTeacher.auth).expect(404);
  });

  it('an adult and an under-18 of the same class may team up', async () => {
    const teacher = await aVerifiedTeacher(t, { organiser: org });
    const klass = await aClass(t, teacher, { name: 'Sixth form' });
    const adult = await aSignedInEntrant(t, { dateOfBirth: bornYearsAgo(18) });
    const teen = await aSignedInEntrant(t, { dateOfBirth: bornYearsAgo(16) });
    for (const u of [adult, teen]) await t.http().post('/api/v1/classes/join').set(u.auth).send({ code: klass.joinCode }).expect(200);
    const idea = await anIdea(t, adult, comp.id);
    await t.http().post(`/api/v1/ideas/${idea.id}/members`).set(adult.auth).send({ username: teen.username }).expect(201);
    await t.http().post(`/api/v1/ideas/${idea.id}/members/accept`).set(teen.auth).expect(200);
  });
});


describe('GET /me/ideas', () => {
  it('lists each idea with its own team, newest first', async () => {
    const owner = await aSignedInEntrant(t, { firstName: 'Lina', lastName: 'Moreau' });
    const mate = await aSignedInEntrant(t, { firstName: 'Omar', lastName: 'Said' });
    const solo = await anIdea(t, owner, comp.id, { title: 'Solo' });
    const team = await anIdea(t, owner, comp.id, { title: 'Team' });
    await t.http().post(`/api/v1/ideas/${team.id}/members`).set(owner.auth).send({ username: mate.username }).expect(201);
    await t.http().post(`/api/v1/ideas/${team.id}/members/accept`).set(mate.auth).expect(200);
    const res = await t.http().get('/api/v1/me/ideas').set(owner.auth).expect(200);
    expect(res.body.items.map((i: { id: string }) => i.id)).toEqual([team.id, solo.id]);
    expect(res.body.items[0].members.map((m: { displayName: string }) => m.displayName)).toEqual(['Lina M.', 'Omar S.']);
    expect(res.body.items[1].members.map((m: { displayName: string }) => m.displayName)).toEqual(['Lina M.']);
  });
  /** The ids on each page of GET /me/ideas at `?limit=`, following nextCursor. */
  async function idsByPage(auth: Record<string, string>, query: Record<string, string | number> = {}) {
    const pages: string[][] = [];
    let cursor: string | null = null;
    do {
      const { body }: { body: { items: { id: string }[]; nextCursor: string | null } } = await t.http()
        .get('/api/v1/me/ideas')
        .query({ ...query, ...(cursor ? { cursor } : {}) })
        .set(auth)
        .expect(200);
      pages.push(body.items.map((i) => i.id));
      cursor = body.nextCursor;
    } while (cursor && pages.length < 10);
    return pages;
  }

  /** A verified teacher with a class, a pupil of it, and that pupil's two ideas (the newest first). */
  async function aTeacherWithPupilIdeas() {
    const teacher = await aVerifiedTeacher(t, { organiser: org });
    const klass = await aClass(t, teacher);
    const pupil = await aSignedInEntrant(t);
    await t.http().post('/api/v1/classes/join').set(pupil.auth).send({ code: klass.joinCode }).expect(200);
    const first = await anIdea(t, pupil, comp.id, { title: 'First' });
    await t.http().post(`/api/v1/ideas/${first.id}/submit`).set(pupil.auth).expect(200);
    const second = await anIdea(t, pupil, comp.id, { title: 'Second draft' });
    return { teacher, klass, pupil, ideaIds: [second.id, first.id] };
  }

  it("a verified teacher lists their pupils' ideas, drafts too, read-only and paged; not another school's pupils' nor ideas a pupil is only invited to", async () => {
    const { teacher, pupil, ideaIds } = await aTeacherWithPupilIdeas();
    const otherTeacher = await aVerifiedTeacher(t, { organiser: org });
    const otherPupil = await aSignedInEntrant(t);
    await t.http().post('/api/v1/classes/join').set(otherPupil.auth).send({ code: (await aClass(t, otherTeacher)).joinCode }).expect(200);
    const elsewhere = await anIdea(t, otherPupil, comp.id, { title: 'Elsewhere' });
    await t.http().post(`/api/v1/ideas/${elsewhere.id}/members`).set(otherPupil.auth).send({ username: pupil.username }).expect(201);

    const res = await t.http().get('/api/v1/me/ideas').set(teacher.auth).expect(200);
    expect(res.body.items.map((i: { id: string }) => i.id)).toEqual(ideaIds);
    expect(res.body.items.map((i: { status: string }) => i.status)).toEqual(['draft', 'submitted']);
    for (const idea of res.body.items) expect(idea.members).toEqual([{ userId: pupil.id, displayName: 'Amira K.', role: 'owner', accepted: true }]);
    expect(await idsByPage(teacher.auth, { limit: 1 })).toEqual([[ideaIds[0]], [ideaIds[1]]]);
    expect((await t.http().patch(`/api/v1/ideas/${ideaIds[0]}`).set(teacher.auth).send({ title: 'Teacher edit' }).expect(403)).body.code).toBe('READ_ONLY');
    expect(await idsByPage(otherTeacher.auth)).toEqual([[elsewhere.id]]);
  });

  it('a teacher not yet verified lists nothing of a class they are recorded on, until their school verifies them', async () => {
    const { teacher, klass, ideaIds } = await aTeacherWithPupilIdeas();
    const colleague = await aPendingTeacher(t, { urn: teacher.urn });
    await t.db.query(`INSERT INTO class_teacher (class_id, teacher_id) VALUES ($1, $2)`, [klass.id, colleague.id]);
    expect(await idsByPage(colleague.auth)).toEqual([[]]);
    await t.http().get(`/api/v1/ideas/${ideaIds[0]}`).set(colleague.auth).expect(404);
    await t.http().post(`/api/v1/schools/${teacher.schoolId}/teachers/${colleague.id}/approve`).set(teacher.auth).expect(204);
    expect(await idsByPage(colleague.auth)).toEqual([ideaIds]);
  });

  it('an organiser lists every idea, drafts included, newest first; ?competitionId= keeps one competition', async () => {
    const other = await aCompetition(t, org);
    const [a, b] = [await aSignedInEntrant(t), await aSignedInEntrant(t)];
    const submitted = await anIdea(t, a, other.id, { title: 'Submitted' });
    await t.http().post(`/api/v1/ideas/${submitted.id}/submit`).set(a.auth).expect(200);
    const draft = await anIdea(t, b, other.id, { title: 'Draft' });
    const newest = await anIdea(t, a, comp.id, { title: 'Newest' });
    expect(await idsByPage(org.auth, { competitionId: other.id, limit: 1 })).toEqual([[draft.id], [submitted.id]]);
    expect((await t.http().get('/api/v1/me/ideas').query({ limit: 3 }).set(org.auth).expect(200)).body.items.map((i: { id: string }) => i.id)).toEqual([
      newest.id,
      draft.id,
      submitted.id,
    ]);
    expect(await idsByPage(a.auth, { competitionId: other.id })).toEqual([[submitted.id]]);
    expect(errorFields(await t.http().get('/api/v1/me/ideas').query({ competitionId: 'nope' }).set(org.auth).expect(400))).toEqual(['competitionId']);
  });
});

describe('authorisation before validation (SPEC §3)', () => {
  const outcome = (route: string, res: { status: number; body: { code?: string } }) => ({ route, status: res.status, code: res.body.code });

  it('a stranger gets 404 on every idea route that changes it, however bad what they send; nothing changes', async () => {
    const owner = await aSignedInEntrant(t);
    const idea = await anIdea(t, owner, comp.id);
    const stranger = await aSignedInEntrant(t);
    const path = `/api/v1/ideas/${idea.id}`;
    const attempts: [string, () => Promise<{ status: number; body: { code?: string } }>][] = [
      ['PATCH', () => t.http().patch(path).set(stranger.auth).send({ title: 'x'.repeat(500) })],
      ['invite', () => t.http().post(`${path}/members`).set(stranger.auth).send({ username: 42, email: 'not-an-email' })],
      ['remove', () => t.http().delete(`${path}/members/not-a-uuid`).set(stranger.auth)],
      ['submit', () => t.http().post(`${path}/submit`).set(stranger.auth).set('Idempotency-Key', 'not a valid key')],
      ['withdraw', () => t.http().post(`${path}/withdraw`).set(stranger.auth).set('Idempotency-Key', 'not a valid key')],
      ['report', () => t.http().post(`${path}/report`).set(stranger.auth).send({ reason: '' })],
    ];
    const answers = [];
    for (const [route, send] of attempts) answers.push(outcome(route, await send()));
    expect(answers).toEqual(attempts.map(([route]) => ({ route, status: 404, code: 'IDEA_NOT_FOUND' })));
    const after = (await t.http().get(path).set(owner.auth).expect(200)).body;
    expect(after).toMatchObject({ title: 'Bus buddy', status: 'draft', members: [expect.objectContaining({ userId: owner.id })] });
    expect(after.members).toHaveLength(1);
  });

  it('someone who may only read, or a member who is not the owner, gets 403 before validation; members still get 400', async () => {
    const owner = await aSignedInEntrant(t);
    const member = await aSignedInEntrant(t);
    const idea = await anIdea(t, owner, comp.id);
    const path = `/api/v1/ideas/${idea.id}`;
    await t.http().post(`${path}/members`).set(owner.auth).send({ username: member.username }).expect(201);
    await t.http().post(`${path}/members/accept`).set(member.auth).expect(200);
    const res = [
      outcome('organiser PATCH', await t.http().patch(path).set(org.auth).send({ title: 'x'.repeat(500) })),
      outcome('organiser submit', await t.http().post(`${path}/submit`).set(org.auth).set('Idempotency-Key', 'not a valid key')),
      outcome('member invites', await t.http().post(`${path}/members`).set(member.auth).send({})),
    ];
    expect(res).toEqual([
      { route: 'organiser PATCH', status: 403, code: 'READ_ONLY' },
      { route: 'organiser submit', status: 403, code: 'READ_ONLY' },
      { route: 'member invites', status: 403, code: 'OWNER_ONLY' },
    ]);
    expect((await t.http().patch(path).set(member.auth).send({ title: 'x'.repeat(500) }).expect(400)).body.errors[0].field).toBe('title');
    await t.http().post(`${path}/members`).set(owner.auth).send({}).expect(400);
    await t.http().post(`${path}/report`).set(member.auth).send({ reason: '' }).expect(400);
  });

  it('entering an idea in a draft or unknown competition is 404 however bad the body; in a published one, 400', async () => {
    const owner = await aSignedInEntrant(t);
    const draft = await t.http().post('/api/v1/competitions').set(org.auth).send({
      title: 'Not yet', slug: `not-yet-${Date.now()}`, minAge: 11, maxAge: 25,
      opensAt: new Date().toISOString(), closesAt: new Date(Date.now() + 86400_000).toISOString(), categories: ['a'],
    }).expect(201);
    const answers = [];
    for (const id of [draft.body.id, '00000000-0000-4000-8000-000000000000'])
      for (const body of [{}, { title: 'x'.repeat(500), links: 'nope' }]) {
        const res = await t.http().post(`/api/v1/competitions/${id}/ideas`).set(owner.auth).send(body);
        answers.push([res.status, res.body.code]);
      }
    expect(answers).toEqual(Array(4).fill([404, 'COMPETITION_NOT_FOUND']));
    expect(errorFields(await t.http().post(`/api/v1/competitions/${comp.id}/ideas`).set(owner.auth).send({}).expect(400))).toEqual(['title']);
    await t.http().post('/api/v1/competitions/not-a-uuid/ideas').set(owner.auth).send({}).expect(400);
  });

  it('an organiser hiding an idea that does not exist gets 404 whatever the reason', async () => {
    const missing = '00000000-0000-4000-8000-000000000000';
    expect((await t.http().post(`/api/v1/ideas/${missing}/hide`).set(org.auth).send({ reason: '' }).expect(404)).body.code).toBe('IDEA_NOT_FOUND');
    expect((await t.http().post(`/api/v1/ideas/${missing}/unhide`).set(org.auth).send({}).expect(404)).body.code).toBe('IDEA_NOT_FOUND');
  });
});

describe('GET /me/invitations', () => {
  /** Every page of the invitee's invitations at `limit`, following nextCursor: the titles in order. */
  async function walk(auth: Record<string, string>, limit: number) {
    const titles: string[] = [];
    let cursor: string | null = null;
    do {
      const { body }: { body: { items: { ideaTitle: string }[]; nextCursor: string | null } } = await t.http()
        .get('/api/v1/me/invitations')
        .query({ limit, ...(cursor ? { cursor } : {}) })
        .set(auth)
        .expect(200);
      expect(body.items.length).toBeLessThanOrEqual(limit);
      titles.push(...body.items.map((i) => i.ideaTitle));
      cursor = body.nextCursor;
    } while (cursor && titles.length < 10);
    return titles;
  }

  async function invitedThrice() {
    const invitee = await aSignedInEntrant(t);
    const ideaIds: string[] = [];
    for (const title of ['First', 'Second', 'Third']) {
      const owner = await aSignedInEntrant(t);
      const idea = await anIdea(t, owner, comp.id, { title });
      await t.http().post(`/api/v1/ideas/${idea.id}/members`).set(owner.auth).send({ username: invitee.username }).expect(201);
      ideaIds.push(idea.id);
    }
    return { invitee, ideaIds };
  }

  it('takes ?limit= and ?cursor= and answers {items, nextCursor}, newest first; a bad cursor or limit → 400', async () => {
    const { invitee } = await invitedThrice();
    const all = await t.http().get('/api/v1/me/invitations').set(invitee.auth).expect(200);
    expect(all.body.nextCursor).toBeNull();
    expect(all.body.items.map((i: { ideaTitle: string }) => i.ideaTitle)).toEqual(['Third', 'Second', 'First']);
    const first = await t.http().get('/api/v1/me/invitations?limit=1').set(invitee.auth).expect(200);
    expect(first.body).toEqual({ items: [expect.objectContaining({ ideaTitle: 'Third', invitedBy: 'Amira K.' })], nextCursor: expect.any(String) });
    expect(await walk(invitee.auth, 1)).toEqual(['Third', 'Second', 'First']);
    expect(await walk(invitee.auth, 2)).toEqual(['Third', 'Second', 'First']);
    expect((await t.http().get('/api/v1/me/invitations?cursor=not-a-cursor').set(invitee.auth).expect(400)).body.code).toBe('INVALID_CURSOR');
    await t.http().get('/api/v1/me/invitations?limit=0').set(invitee.auth).expect(400);
    await t.http().get('/api/v1/me/invitations?limit=101').set(invitee.auth).expect(400);
  });

  it('misses nothing when invitations fall within one millisecond', async () => {
    const { invitee, ideaIds } = await invitedThrice();
    for (const [i, ideaId] of ideaIds.entries())
      await t.db.query(`UPDATE idea_member SET invited_at = $1 WHERE idea_id = $2 AND user_id = $3`, [`2026-01-01T00:00:00.000${i + 1}00Z`, ideaId, invitee.id]);
    expect(await walk(invitee.auth, 1)).toEqual(['Third', 'Second', 'First']);
  });
});

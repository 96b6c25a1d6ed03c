import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ERASED_REASON, decodeStatusList, hashIdentity, isRevoked, verifyCredential } from '@app/badges';
import { JobQueue } from '@app/platform';
import { startTestApp, type TestApp } from './support/test-app.js';
import { waitFor } from './support/mail-capture.js';
import {
  aClass,
  aCompetition,
  aPendingTeacher,
  aRosterStudent,
  aSignedInEntrant,
  aVerifiedTeacher,
  anIdea,
  anOrganiser,
  bornYearsAgo,
  errorFields,
  session,
  aTeacher,
  PASSWORD,
  withOwnPassword,
  type SignedInUser,
  type VerifiedTeacher,
} from './support/builders.js';
import { aBadge, achievementCredentialValidator, fetchPublic, verifierLoader } from './support/open-badges.js';

const validate = achievementCredentialValidator();

let t: TestApp;
let org: SignedInUser;
let teacher: VerifiedTeacher;
let classId: string;
let teacherBadge: Awaited<ReturnType<typeof aBadge>>;
beforeAll(async () => {
  t = await startTestApp();
  org = await anOrganiser(t);
  teacher = await aVerifiedTeacher(t, { organiser: org });
  classId = (await aClass(t, teacher)).id;
  teacherBadge = await aBadge(t, org, { teacherAwardable: true, category: 'worker', name: 'Helping hand', points: 30 });
});
afterAll(async () => {
  await t?.close();
});

const award = (auth: Record<string, string>, badgeId: string, recipientId: string, evidence: object = { narrative: 'Helped the class set up their project boards.' }) =>
  t.http().post(`/api/v1/badges/${badgeId}/awards`).set(auth).send({ recipientId, evidence });

const attest = (userId: string) =>
  t.http().post(`/api/v1/classes/${classId}/students/${userId}/consent`).set(teacher.auth).send({ attestation: 'school_holds_parental_consent' }).expect(204);

async function myBadges(auth: Record<string, string>) {
  return (await t.http().get('/api/v1/me/badges').set(auth).expect(200)).body;
}

describe('teachers award teacherAwardable badges to their own students', () => {
  it('awards a pupil of their class (201); the pupil without email is identified by a hashed platform URN', async () => {
    const pupil = await aRosterStudent(t, teacher, classId, { dateOfBirth: bornYearsAgo(14) });
    const res = await award(teacher.auth, teacherBadge.id, pupil.id).expect(201);
    expect(res.body).toMatchObject({ method: 'teacher', recipientId: pupil.id, badge: { slug: teacherBadge.slug, points: 30 } });

    const credential = (await fetchPublic(t, res.body.openBadges.credentialUrl)).json;
    expect(validate(credential).valid).toBe(true);
    const [identifier] = credential.credentialSubject.identifier;
    expect(identifier).toMatchObject({ identityType: 'identifier', hashed: true });
    expect(identifier.identityHash).toBe(hashIdentity(`urn:uuid:${pupil.id}`, identifier.salt));
    expect((await verifyCredential(credential, { documentLoader: await verifierLoader(t, credential) })).verified).toBe(true);

    const assertion = (await fetchPublic(t, res.body.openBadges.assertionUrl)).json;
    expect(assertion.recipient).toEqual({ type: 'id', hashed: true, salt: expect.any(String), identity: hashIdentity(`urn:uuid:${pupil.id}`, assertion.recipient.salt) });
  });

  it('null for the evidence url → 400 naming it; nothing is awarded', async () => {
    const pupil = await aRosterStudent(t, teacher, classId);
    const res = await award(teacher.auth, teacherBadge.id, pupil.id, { narrative: 'Helped the class set up their project boards.', url: null }).expect(400);
    expect(errorFields(res)).toEqual(['evidence.url']);
    expect((await t.db.query(`SELECT count(*)::int AS n FROM badge_award WHERE recipient_id = $1`, [pupil.id]))[0].n).toBe(0);
  });

  it("refuses another school's pupil, badges that are not teacherAwardable, unverified teachers and entrants (403)", async () => {
    const otherTeacher = await aVerifiedTeacher(t, { organiser: org });
    const otherClass = await aClass(t, otherTeacher);
    const stranger = await aRosterStudent(t, otherTeacher, otherClass.id, { dateOfBirth: bornYearsAgo(14) });
    const refused = await award(teacher.auth, teacherBadge.id, stranger.id);
    expect(refused.status).toBe(403);
    expect(refused.body.code).toBe('NOT_YOUR_STUDENT');

    const pupil = await aRosterStudent(t, teacher, classId, { dateOfBirth: bornYearsAgo(14) });
    const organiserOnly = await aBadge(t, org);
    expect((await award(teacher.auth, organiserOnly.id, pupil.id)).body.code).toBe('BADGE_NOT_TEACHER_AWARDABLE');

    const pending = await aPendingTeacher(t);
    expect((await award(pending.auth, teacherBadge.id, pupil.id)).status).toBe(403);
    const entrant = await aSignedInEntrant(t);
    expect((await award(entrant.auth, teacherBadge.id, pupil.id)).status).toBe(403);
    await t.http().post(`/api/v1/badges/${teacherBadge.id}/awards`).send({ recipientId: pupil.id, evidence: { narrative: 'x' } }).expect(401);
    // Authorisation comes before validation: a teacher cannot probe with a bad body either.
    await t.http().post(`/api/v1/badges/${teacherBadge.id}/awards`).set(entrant.auth).send({}).expect(403);

    // An organiser may award anyone; an unknown person is 404 to them.
    await award(org.auth, teacherBadge.id, stranger.id).expect(201);
    await award(org.auth, teacherBadge.id, '00000000-0000-4000-8000-000000000000').expect(404);
    await award(org.auth, '00000000-0000-4000-8000-000000000000', stranger.id).expect(404);
    const invalid = await t.http().post(`/api/v1/badges/${teacherBadge.id}/awards`).set(org.auth).send({ recipientId: 'nope', evidence: {} });
    expect(invalid.status).toBe(400);
    expect([...new Set(invalid.body.errors.map((e: { field: string }) => e.field))].sort()).toEqual(['evidence.narrative', 'recipientId']);
  });
});

describe('authorisation before validation (SPEC §3)', () => {
  const send = (auth: Record<string, string>, badgeId: string, body: object) => t.http().post(`/api/v1/badges/${badgeId}/awards`).set(auth).send(body);
  const missing = '00000000-0000-4000-8000-000000000000';

  it('a teacher who may not award the badge gets 403 (or 404 for no badge) however bad the body; those who may get 400 (evidence left out too, not 500)', async () => {
    const organiserOnly = await aBadge(t, org);
    const pending = await aPendingTeacher(t);
    const pupil = await aRosterStudent(t, teacher, classId);
    const bodies = [{}, { recipientId: 'nope', evidence: { narrative: '' } }];
    const cases: [string, Record<string, string>, string][] = [
      ['pending teacher', pending.auth, teacherBadge.id],
      ['pending teacher, organiser-only badge', pending.auth, organiserOnly.id],
      ['verified teacher, organiser-only badge', teacher.auth, organiserOnly.id],
      ['verified teacher, no such badge', teacher.auth, missing],
      ['organiser, no such badge', org.auth, missing],
    ];
    const answers = [];
    for (const [who, auth, badgeId] of cases) for (const body of bodies) answers.push([who, (await send(auth, badgeId, body)).body.code]);
    expect(answers).toEqual(
      [
        ['pending teacher', 'TEACHER_NOT_VERIFIED'],
        ['pending teacher, organiser-only badge', 'BADGE_NOT_TEACHER_AWARDABLE'],
        ['verified teacher, organiser-only badge', 'BADGE_NOT_TEACHER_AWARDABLE'],
        ['verified teacher, no such badge', 'BADGE_NOT_FOUND'],
        ['organiser, no such badge', 'BADGE_NOT_FOUND'],
      ].flatMap((answer) => [answer, answer]),
    );
    // With a valid body the service answers the same.
    expect((await award(pending.auth, teacherBadge.id, pupil.id).expect(403)).body.code).toBe('TEACHER_NOT_VERIFIED');
    expect((await award(teacher.auth, organiserOnly.id, pupil.id).expect(403)).body.code).toBe('BADGE_NOT_TEACHER_AWARDABLE');
    expect((await award(teacher.auth, missing, pupil.id).expect(404)).body.code).toBe('BADGE_NOT_FOUND');

    expect(errorFields(await send(teacher.auth, teacherBadge.id, {}).expect(400))).toEqual(['recipientId', 'evidence']);
    expect(errorFields(await send(org.auth, organiserOnly.id, {}).expect(400))).toEqual(['recipientId', 'evidence']);
    for (const evidence of [undefined, null, [], 'Helped'])
      expect(errorFields(await send(org.auth, organiserOnly.id, { recipientId: pupil.id, evidence }).expect(400))).toEqual(['evidence']);
    await send(teacher.auth, 'not-a-uuid', {}).expect(400);
    expect((await t.db.query(`SELECT count(*)::int AS n FROM badge_award WHERE recipient_id = $1`, [pupil.id]))[0].n).toBe(0);
  });
});

describe('an under-13 without consent', () => {
  it('has the award recorded, but no public credential until consent; then the documents appear and verify', async () => {
    const pupil = await aRosterStudent(t, teacher, classId, { firstName: 'Nia', lastName: 'Underwood' });
    const res = await award(teacher.auth, teacherBadge.id, pupil.id).expect(201);
    expect(res.body.openBadges).toEqual({ assertionUrl: null, credentialUrl: null });
    const credentialUrl = `http://young-ideas.test/ob/v3/credentials/${res.body.id}`;
    const assertionUrl = `http://young-ideas.test/ob/v2/assertions/${res.body.id}`;
    for (const url of [credentialUrl, assertionUrl, `${credentialUrl}/image`, `${assertionUrl}/image`])
      expect((await fetchPublic(t, url)).status).toBe(404);

    const signedIn = await withOwnPassword(t, pupil);
    const before = await myBadges(signedIn.auth);
    expect(before).toEqual({
      items: [expect.objectContaining({ id: res.body.id, badge: { slug: teacherBadge.slug, name: 'Helping hand', category: 'worker', points: 30 }, revoked: false, openBadges: { assertionUrl: null, credentialUrl: null } })],
      points: 30,
      level: null,
    });
    expect((await t.db.query(`SELECT credential, published_at FROM badge_award WHERE id = $1`, [res.body.id]))[0]).toEqual({ credential: null, published_at: null });

    await attest(pupil.id);
    const credential = await fetchPublic(t, credentialUrl);
    expect(credential.status).toBe(200);
    expect(validate(credential.json).valid).toBe(true);
    expect(await verifyCredential(credential.json, { documentLoader: await verifierLoader(t, credential.json) })).toMatchObject({ verified: true });
    expect((await fetchPublic(t, assertionUrl)).status).toBe(200);
    expect((await myBadges(signedIn.auth)).items[0].openBadges).toEqual({ assertionUrl, credentialUrl });
    expect(credential.text).not.toContain('Underwood');
  });
});

describe('points and levels', () => {
  it('adds up live badges on /me, /me/badges and the class view; crossing a level notifies in the inbox and by email', async () => {
    const big = await aBadge(t, org, { points: 200, teacherAwardable: true });
    const small = await aBadge(t, org, { points: 60, teacherAwardable: true });
    const entrant = await aSignedInEntrant(t);
    const joined = await t.http().post('/api/v1/classes/join').set(entrant.auth).send({ code: (await t.http().get(`/api/v1/classes/${classId}`).set(teacher.auth)).body.joinCode });
    expect(joined.status).toBe(200);

    await award(org.auth, big.id, entrant.id).expect(201);
    expect((await t.http().get('/api/v1/me').set(entrant.auth).expect(200)).body).toMatchObject({ points: 200, level: null });
    const second = await award(teacher.auth, small.id, entrant.id).expect(201);
    const me = (await t.http().get('/api/v1/me').set(entrant.auth).expect(200)).body;
    expect(me).toMatchObject({ points: 260, level: 'bronze' });
    const mine = await myBadges(entrant.auth);
    expect(mine).toMatchObject({ points: 260, level: 'bronze' });
    expect(mine.items.map((i: { badge: { points: number } }) => i.badge.points)).toEqual([60, 200]);

    const mail = await t.mail.waitFor(entrant.email!, (m) => /You reached Bronze/.test(m.subject));
    expect(mail.text).toContain('260 points');
    await t.mail.waitFor(entrant.email!, (m) => /You earned the Pitch perfect badge/.test(m.subject));
    const inbox = (await t.http().get('/api/v1/me/notifications').set(entrant.auth).expect(200)).body.items;
    expect(inbox.filter((n: { kind: string }) => n.kind === 'level-reached')).toHaveLength(1);
    expect(inbox.filter((n: { kind: string }) => n.kind === 'badge-awarded')).toHaveLength(2);

    const view = (await t.http().get(`/api/v1/classes/${classId}`).set(teacher.auth).expect(200)).body;
    expect(view.students.find((s: { userId: string }) => s.userId === entrant.id)).toMatchObject({ badgeCount: 2, points: 260, level: 'bronze' });

    await t.http().post(`/api/v1/badge-awards/${second.body.id}/revoke`).set(org.auth).send({ reason: 'Counted twice.' }).expect(204);
    expect((await t.http().get('/api/v1/me').set(entrant.auth).expect(200)).body).toMatchObject({ points: 200, level: null });
    expect((await t.http().get(`/api/v1/classes/${classId}`).set(teacher.auth)).body.students.find((s: { userId: string }) => s.userId === entrant.id)).toMatchObject({ badgeCount: 1, points: 200, level: null });
  });
});

describe('built-in badges from domain events', () => {
  const badgeSlugs = async (auth: Record<string, string>) => (await myBadges(auth)).items.map((i: { badge: { slug: string } }) => i.badge.slug).sort();

  it('submitting an idea earns idea-maker for every member, and team-player in a team of two or more, through the worker', async () => {
    const competition = await aCompetition(t, org);
    const owner = await aSignedInEntrant(t);
    const friend = await aSignedInEntrant(t, { firstName: 'Ben', lastName: 'Ode' });
    const idea = await anIdea(t, owner, competition.id);
    await t.http().post(`/api/v1/ideas/${idea.id}/members`).set(owner.auth).send({ username: friend.username }).expect(201);
    await t.http().post(`/api/v1/ideas/${idea.id}/members/accept`).set(friend.auth).expect(200);
    await t.http().post(`/api/v1/ideas/${idea.id}/submit`).set(owner.auth).expect(200);
    for (const member of [owner, friend]) {
      await waitFor(async () => (await badgeSlugs(member.auth)).length === 2, 15_000, 'two built-in badges');
      expect(await badgeSlugs(member.auth)).toEqual(['idea-maker', 'team-player']);
      const item = (await myBadges(member.auth)).items[0];
      expect(item.openBadges.credentialUrl).toMatch(/^http:\/\/young-ideas\.test\/ob\/v3\/credentials\//);
      expect((await fetchPublic(t, item.openBadges.credentialUrl)).status).toBe(200);
    }
    expect((await myBadges(owner.auth)).points).toBe(100);

    const solo = await aSignedInEntrant(t);
    const soloIdea = await anIdea(t, solo, competition.id);
    await t.http().post(`/api/v1/ideas/${soloIdea.id}/submit`).set(solo.auth).expect(200);
    await waitFor(async () => (await badgeSlugs(solo.auth)).length > 0, 15_000, 'idea-maker');
    // Submitting again earns nothing more.
    await t.http().patch(`/api/v1/ideas/${soloIdea.id}`).set(solo.auth).send({ summary: 'Sharper.' }).expect(200);
    await t.http().post(`/api/v1/ideas/${soloIdea.id}/submit`).set(solo.auth).expect(200);
    await waitFor(async () => Number((await t.db.query(`SELECT count(*) FROM outbox WHERE relayed_at IS NULL`))[0].count) === 0, 15_000, 'the outbox to drain');
    await waitFor(async () => (await t.app.get(JobQueue).queue('badges').getJobCounts('active', 'waiting')).active === 0, 15_000, 'the badge queue');
    expect(await badgeSlugs(solo.auth)).toEqual(['idea-maker']);
  });

  it('awards exactly once per person and badge, even when the job runs twice (concurrently and again later)', async () => {
    const judge = await aTeacher(t);
    const jobs = t.app.get(JobQueue);
    const data = { badge: 'judge' as const, userIds: [judge.id], source: { competitionId: '00000000-0000-4000-8000-000000000001', roundId: '00000000-0000-4000-8000-000000000002' } };
    const queue = jobs.queue('badges');
    const finished = async (ids: string[]) => {
      await waitFor(async () => (await Promise.all(ids.map(async (id) => (await queue.getJob(id))?.isCompleted()))).every(Boolean), 15_000, 'the award jobs');
    };
    await finished(await Promise.all([jobs.enqueue('awardBuiltInBadge', data), jobs.enqueue('awardBuiltInBadge', data)]));
    await finished([await jobs.enqueue('awardBuiltInBadge', data)]);

    const rows = await t.db.query(`SELECT a.id, a.method, a.published_at FROM badge_award a JOIN badge_class b ON b.id = a.badge_id WHERE b.slug = 'judge' AND a.recipient_id = $1`, [judge.id]);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ method: 'automatic', published_at: expect.any(Date) });
    const notes = await t.db.query(`SELECT count(*)::int AS n FROM notification WHERE user_id = $1 AND template = 'badge-awarded'`, [judge.id]);
    expect(notes[0].n).toBe(1);
    const auth = (await session(t, judge)).auth;
    expect(await myBadges(auth)).toMatchObject({ points: 100, items: [expect.objectContaining({ method: 'automatic', evidence: { narrative: expect.stringMatching(/Scored every idea/) } })] });

    // After a revocation, the event does not award it again (an organiser still can, by hand).
    await t.http().post(`/api/v1/badge-awards/${rows[0].id}/revoke`).set(org.auth).send({ reason: 'Did not finish the round.' }).expect(204);
    await finished([await jobs.enqueue('awardBuiltInBadge', data)]);
    expect(await t.db.query(`SELECT id FROM badge_award a WHERE a.recipient_id = $1 AND a.revoked_at IS NULL`, [judge.id])).toEqual([]);
  });
});

describe('export and erasure', () => {
  it('exports my badges with the hash that names me; erasure revokes and unpublishes them, keeping the count', async () => {
    const me = await aSignedInEntrant(t);
    const badge = await aBadge(t, org, { points: 70 });
    const awarded = (await award(org.auth, badge.id, me.id, { narrative: 'Ran the school coding club stall.' }).expect(201)).body;
    const credential = (await fetchPublic(t, awarded.openBadges.credentialUrl)).json;

    const exported = (await t.http().get('/api/v1/me/export').set(me.auth).expect(200)).body.badges;
    expect(exported).toMatchObject({ points: 70, level: null, awards: [expect.objectContaining({ id: awarded.id, evidence: { narrative: 'Ran the school coding club stall.' } })] });
    expect(exported.awards[0].recipientIdentity).toEqual({ type: 'email', hash: credential.credentialSubject.identifier[0].identityHash, salt: credential.credentialSubject.identifier[0].salt });

    await t.http().delete('/api/v1/me').set(me.auth).send({ password: PASSWORD }).expect(204);

    expect((await fetchPublic(t, awarded.openBadges.credentialUrl)).status).toBe(404);
    const assertion = await fetchPublic(t, awarded.openBadges.assertionUrl);
    expect([assertion.status, assertion.json]).toEqual([410, { id: awarded.openBadges.assertionUrl, revoked: true, revocationReason: ERASED_REASON }]);
    const list = (await fetchPublic(t, credential.credentialStatus.statusListCredential)).json;
    expect(isRevoked(await decodeStatusList(list.credentialSubject.encodedList), Number(credential.credentialStatus.statusListIndex))).toBe(true);
    expect(await verifyCredential(credential, { documentLoader: await verifierLoader(t, credential) })).toMatchObject({ verified: false, revoked: true });
    const [row] = await t.db.query(`SELECT credential, recipient_hash, evidence FROM badge_award WHERE id = $1`, [awarded.id]);
    expect(row).toEqual({ credential: null, recipient_hash: null, evidence: { narrative: '[removed]' } });

    // A domain event arriving after the erasure awards nothing and notifies nobody.
    const jobs = t.app.get(JobQueue);
    const id = await jobs.enqueue('awardBuiltInBadge', { badge: 'idea-maker', userIds: [me.id], source: { competitionId: '00000000-0000-4000-8000-000000000003' } });
    await waitFor(async () => (await jobs.queue('badges').getJob(id))?.isCompleted(), 15_000, 'the award job');
    expect(await t.db.query(`SELECT id FROM badge_award WHERE recipient_id = $1 AND revoked_at IS NULL`, [me.id])).toEqual([]);
    const notes = await t.db.query(`SELECT count(*)::int AS n FROM notification WHERE user_id = $1 AND (email IS NOT NULL OR data <> '{}')`, [me.id]);
    expect(notes[0].n).toBe(0);
  });
});

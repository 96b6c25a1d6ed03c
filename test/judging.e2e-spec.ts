import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startTestApp, type TestApp } from './support/test-app.js';
import {
  COMPLETE_IDEA,
  aClass,
  aCompetition,
  aRosterStudent,
  aSignedInEntrant,
  aVerifiedTeacher,
  anIdea,
  anOrganiser,
  bornYearsAgo,
  errorFields,
  register,
  session,
  signIn,
  verifyEmail,
  withOwnPassword,
  type SignedInUser,
} from './support/builders.js';
import { tokenFrom, waitFor } from './support/mail-capture.js';
import { BLIND_DENY_LIST, aJudge, invitationToken, keysOf, runReminders, waitForJob } from './support/judging.js';

/**
 * A whole competition, from judge invitations to published results, through the API with the worker
 * running the real jobs: nine entries, a screening round (3 judges an idea, shortlist of 5), a final
 * panel, confirmation with an override, publication (twice), awards, public results and feedback.
 */
let t: TestApp;
let org: Awaited<ReturnType<typeof anOrganiser>>;
let comp: Awaited<ReturnType<typeof aCompetition>>;
type Judge = Awaited<ReturnType<typeof aJudge>>;
type Entry = { owner: SignedInUser; ideaId: string; title: string; quality: number; surname: string };

const entries: Entry[] = [];
const judges: Judge[] = [];
let teacherJudge: Judge;
let entrantJudge: Judge;
let pupilEntry: Entry;
let ownEntry: Entry;
let teacher: Awaited<ReturnType<typeof aVerifiedTeacher>>;
let screeningId: string;
let finalId: string;

const SURNAMES = ['Adeyemi', 'Brennan', 'Chowdhury', 'Dlamini', 'Evans', 'Fitzgerald', 'Gallagher'];
const feedbackFor = (title: string) => `A clear and thoughtful idea in "${title}". Test it with real users next.`;

/** All criteria at `q` (the rubric is 1–10): judges agree on quality, so the ranking is known. */
const scoresOf = (q: number) => ({ innovation: q, impact: q, feasibility: q, digital: q, presentation: q });

async function queue(judge: Judge, roundId: string): Promise<any[]> {
  const items: any[] = [];
  let cursor: string | null = null;
  do {
    const res: { body: { items: any[]; nextCursor: string | null } } = await t.http()
      .get('/api/v1/judge/assignments')
      .query({ roundId, limit: 100, ...(cursor ? { cursor } : {}) })
      .set(judge.auth)
      .expect(200);
    items.push(...res.body.items);
    cursor = res.body.nextCursor;
  } while (cursor);
  return items;
}

async function scoreEverything(roundId: string, quality: (title: string) => number): Promise<void> {
  for (const judge of judges) {
    for (const a of await queue(judge, roundId)) {
      if (a.status === 'conflicted') continue;
      await t.http()
        .put(`/api/v1/judge/assignments/${a.id}/score`)
        .set(judge.auth)
        .send({ scores: scoresOf(quality(a.idea.title)), feedback: feedbackFor(a.idea.title) })
        .expect(200);
    }
  }
}

beforeAll(async () => {
  t = await startTestApp();
  org = await anOrganiser(t);
  comp = await aCompetition(t, org, { closesAt: new Date(t.clock.now().getTime() + 5 * 60_000).toISOString(), prizeAmountPence: 1_500_000 });

  // Seven entrants with ideas of known quality (10 = best).
  for (let i = 0; i < 7; i++) {
    const owner = await aSignedInEntrant(t, { firstName: 'Sam', lastName: SURNAMES[i], dateOfBirth: bornYearsAgo(16) });
    const title = `Idea ${String.fromCharCode(65 + i)}`;
    const idea = await anIdea(t, owner, comp.id, { title });
    await t.http().post(`/api/v1/ideas/${idea.id}/submit`).set(owner.auth).expect(200);
    entries.push({ owner, ideaId: idea.id, title, quality: 10 - i, surname: SURNAMES[i] });
  }

  // A pupil of a school where a judge teaches.
  teacher = await aVerifiedTeacher(t, { organiser: org });
  const klass = await aClass(t, teacher);
  const pupil = await withOwnPassword(t, await aRosterStudent(t, teacher, klass.id, { firstName: 'Nia', lastName: 'Okonkwo', dateOfBirth: bornYearsAgo(14) }));
  const pupilIdea = await anIdea(t, pupil, comp.id, { title: 'Idea Pupil' });
  await t.http().post(`/api/v1/ideas/${pupilIdea.id}/submit`).set(pupil.auth).expect(200);
  pupilEntry = { owner: pupil, ideaId: pupilIdea.id, title: 'Idea Pupil', quality: 2, surname: 'Okonkwo' };
  entries.push(pupilEntry);

  // An adult entrant who will also judge: never their own idea.
  const adult = await aSignedInEntrant(t, { firstName: 'Ola', lastName: 'Martins', dateOfBirth: bornYearsAgo(22) });
  const adultIdea = await anIdea(t, adult, comp.id, { title: 'Idea Own' });
  await t.http().post(`/api/v1/ideas/${adultIdea.id}/submit`).set(adult.auth).expect(200);
  ownEntry = { owner: adult, ideaId: adultIdea.id, title: 'Idea Own', quality: 1, surname: 'Martins' };
  entries.push(ownEntry);

  // Judges: three new accounts, the teacher (existing account), the adult entrant (existing account).
  for (let i = 0; i < 3; i++) judges.push(await aJudge(t, org, { firstName: 'Judge', lastName: `Number${'ABC'[i]}` }));
  teacherJudge = await aJudge(t, org, { existing: await verifyEmail(t, teacher) });
  entrantJudge = await aJudge(t, org, { existing: adult });
  judges.push(teacherJudge, entrantJudge);

  // Past the deadline (access tokens stay valid: they were issued minutes ago).
  t.clock.advance(6 * 60_000);
}, 120_000);

afterAll(async () => {
  await t?.close();
});

describe('judge invitations', () => {
  it('created an adult judge account from {password}, and gave existing adult accounts the role (audited)', async () => {
    const me = await t.http().get('/api/v1/me').set(judges[0].auth).expect(200);
    expect(me.body.roles).toEqual(['judge']);
    expect(me.body.ageBand).toBe('18+');
    const teacherMe = await t.http().get('/api/v1/me').set(teacherJudge.auth).expect(200);
    expect(teacherMe.body.roles.sort()).toEqual(['judge', 'teacher']);
    const audit = await t.http().get('/api/v1/audit').query({ action: 'user.role_granted', subjectId: teacherJudge.id }).set(org.auth).expect(200);
    expect(audit.body.items).toEqual([expect.objectContaining({ data: { role: 'judge' } })]);
  });

  it('the emailed link opens a page that changes nothing; a used link → 410', async () => {
    const email = `page-judge-${Date.now()}@example.com`;
    await t.http().post('/api/v1/judges/invitations').set(org.auth).send({ email, firstName: 'Page', lastName: 'Judge' }).expect(201);
    const token = await invitationToken(t, email);
    const page = await t.http().get('/judge-invitation').query({ token }).expect(200);
    expect(page.headers['content-type']).toMatch(/text\/html/);
    expect(page.text).toContain('Hello Page');
    expect(page.text).toContain('/api/v1/judges/invitations/{token}/accept');
    await t.http().post(`/api/v1/judges/invitations/${token}/accept`).send({ password: 'another-violet-harbour' }).expect(204);
    const again = await t.http().post(`/api/v1/judges/invitations/${token}/accept`).send({ password: 'another-violet-harbour' }).expect(410);
    expect(again.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(again.body.code).toBe('TOKEN_USED');
  });

  it('an expired invitation → 410; a new account needs a password; only organisers invite', async () => {
    const email = `late-judge-${Date.now()}@example.com`;
    await t.http().post('/api/v1/judges/invitations').set(org.auth).send({ email, firstName: 'Late', lastName: 'Judge' }).expect(201);
    const token = await invitationToken(t, email);
    expect((await t.http().post(`/api/v1/judges/invitations/${token}/accept`).send({}).expect(400)).body.errors[0].field).toBe('password');
    t.clock.advance(15 * 24 * 3600_000);
    try {
      expect((await t.http().post(`/api/v1/judges/invitations/${token}/accept`).send({ password: 'violet-harbour-lantern-2' }).expect(410)).body.code).toBe('TOKEN_EXPIRED');
    } finally {
      t.clock.advance(-15 * 24 * 3600_000);
    }
    await t.http().post('/api/v1/judges/invitations').set(judges[0].auth).send({ email: 'x@example.com', firstName: 'X', lastName: 'Y' }).expect(403);
  });

  it("a child's account can never become a judge", async () => {
    const child = await register(t, { dateOfBirth: bornYearsAgo(15) });
    const refused = await t.http().post('/api/v1/judges/invitations').set(org.auth).send({ email: child.email, firstName: 'Kid', lastName: 'Person' }).expect(409);
    expect(refused.body.code).toBe('NOT_AN_ADULT');
    // Invited before the address had an account, which a child then registered: acceptance is refused.
    const email = `becomes-child-${Date.now()}@example.com`;
    await t.http().post('/api/v1/judges/invitations').set(org.auth).send({ email, firstName: 'Kid', lastName: 'Later' }).expect(201);
    const token = await invitationToken(t, email);
    const late = await register(t, { email, dateOfBirth: bornYearsAgo(14) });
    expect((await t.http().post(`/api/v1/judges/invitations/${token}/accept`).send({}).expect(403)).body.code).toBe('NOT_AN_ADULT');
    const me = await t.http().get('/api/v1/me').set((await session(t, late)).auth).expect(200);
    expect(me.body.roles).toEqual(['entrant']);
  });

  it('an account whose email was never verified does not become a judge (409, the link still works) until the address is proved', async () => {
    // Someone registers the address before its holder is invited, and never verifies it.
    const email = `squatted-${Date.now()}@example.com`;
    const squatter = await register(t, { email, firstName: 'Eve', lastName: 'Mallory', dateOfBirth: bornYearsAgo(22) });
    await t.http().post('/api/v1/judges/invitations').set(org.auth).send({ email, firstName: 'Dana', lastName: 'Staff' }).expect(201);
    const token = await invitationToken(t, email);
    const accept = () => t.http().post(`/api/v1/judges/invitations/${token}/accept`).send({});
    const refused = await accept().expect(409);
    expect(refused.body).toMatchObject({ status: 409, code: 'EMAIL_NOT_VERIFIED' });
    expect(refused.body.detail).toMatch(/verif.*reset the account's password/);
    const squatterAuth = (await session(t, squatter)).auth;
    expect((await t.http().get('/api/v1/me').set(squatterAuth).expect(200)).body.roles).toEqual(['entrant']);
    await t.http().get('/api/v1/judge/conflicts').set(squatterAuth).expect(403);
    const audit = (action: string, subjectId: string) => t.http().get('/api/v1/audit').query({ action, subjectId }).set(org.auth).expect(200);
    expect((await audit('user.role_granted', squatter.id)).body.items).toEqual([]);

    // The address's holder resets the account's password through the emailed link, which proves the address; then the same link works.
    await t.http().post('/api/v1/auth/password/forgot').send({ email }).expect(202);
    const reset = tokenFrom(await t.mail.waitFor(email, (m) => /reset/i.test(m.subject)), 'reset-password');
    await t.http().post('/api/v1/auth/password/reset').send({ token: reset, password: 'dana-owns-this-address' }).expect(204);
    await accept().expect(204);
    await t.http().get('/api/v1/me').set(squatterAuth).expect(401);
    const owner = { Authorization: `Bearer ${(await signIn(t, email, 'dana-owns-this-address')).accessToken}` };
    expect((await t.http().get('/api/v1/me').set(owner).expect(200)).body.roles.sort()).toEqual(['entrant', 'judge']);
    expect((await audit('user.role_granted', squatter.id)).body.items).toEqual([expect.objectContaining({ data: { role: 'judge' } })]);
  });

  it('PUT /judge/conflicts replaces the declaration (judges only, URNs are 6 digits)', async () => {
    const res = await t.http().put('/api/v1/judge/conflicts').set(judges[2].auth).send({ urns: ['999991', '999991'], organisations: ['Acme Ventures'] }).expect(200);
    expect(res.body).toEqual({ urns: ['999991'], organisations: ['Acme Ventures'] });
    expect((await t.http().get('/api/v1/judge/conflicts').set(judges[2].auth).expect(200)).body.urns).toEqual(['999991']);
    const bad = await t.http().put('/api/v1/judge/conflicts').set(judges[2].auth).send({ urns: ['12'], organisations: [] }).expect(400);
    expect(bad.body.errors[0].field).toBe('urns');
    await t.http().put('/api/v1/judge/conflicts').set(entries[0].owner.auth).send({ urns: [], organisations: [] }).expect(403);
  });
});

describe('screening round', () => {
  it('is refused before the deadline (409) and to non-organisers (403)', async () => {
    const open = await aCompetition(t, org);
    expect((await t.http().post(`/api/v1/competitions/${open.id}/rounds`).set(org.auth).send({ kind: 'screening', name: 'Too early' }).expect(409)).body.code).toBe(
      'COMPETITION_NOT_CLOSED',
    );
    await t.http().post(`/api/v1/competitions/${comp.id}/rounds`).set(judges[0].auth).send({ kind: 'screening', name: 'Nope' }).expect(403);
    const bad = await t.http().post(`/api/v1/competitions/${comp.id}/rounds`).set(org.auth).send({ kind: 'screening', name: 'x', judgeIds: [entries[0].owner.id] }).expect(400);
    expect(bad.body.errors).toEqual([{ field: 'judgeIds[0]', message: 'not an active judge' }]);
  });

  it.each(['judgesPerIdea', 'shortlistSize', 'criteria', 'judgeIds'])('null for %s → 400 naming it; no round is created', async (field) => {
    const res = await t.http().post(`/api/v1/competitions/${comp.id}/rounds`).set(org.auth).send({ kind: 'screening', name: 'Screening', [field]: null }).expect(400);
    expect(errorFields(res)).toEqual([field]);
    expect((await t.http().get(`/api/v1/competitions/${comp.id}/rounds`).set(org.auth).expect(200)).body.items).toEqual([]);
  });

  it('creates the round (competition now judging) and assigns it through a job', async () => {
    const created = await t.http()
      .post(`/api/v1/competitions/${comp.id}/rounds`)
      .set(org.auth)
      .send({ kind: 'screening', name: 'Screening', shortlistSize: 5, judgeIds: judges.map((j) => j.id) })
      .expect(201);
    expect(created.body).toMatchObject({
      kind: 'screening',
      status: 'setup',
      judgesPerIdea: 3,
      shortlistSize: 5,
      seed: null,
      stats: { ideas: 0, assignments: 0, unassignable: [], loadMin: 0, loadMax: 0 },
    });
    expect(created.body.criteria.map((c: { key: string }) => c.key)).toEqual(['innovation', 'impact', 'feasibility', 'digital', 'presentation']);
    screeningId = created.body.id;
    expect((await t.http().get(`/api/v1/competitions/${comp.id}`).expect(200)).body.status).toBe('judging');

    expect(errorFields(await t.http().post(`/api/v1/rounds/${screeningId}/assign`).set(org.auth).send({ seed: null }).expect(400))).toEqual(['seed']);
    expect((await t.http().get(`/api/v1/rounds/${screeningId}`).set(org.auth).expect(200)).body).toMatchObject({ status: 'setup', seed: null });
    const accepted = await t.http().post(`/api/v1/rounds/${screeningId}/assign`).set(org.auth).send({}).expect(202);
    const job = await waitForJob(t, org.auth, accepted.body.jobId);
    expect(job).toMatchObject({ id: accepted.body.jobId, name: 'assign-judges', state: 'completed', progress: 100, failedReason: null });
    // Ids that are no job's: 404, never a database error on the outbox's uuid column.
    for (const id of ['abc', 'repeat:abc', '00000000-0000-4000-8000-000000000000'])
      expect((await t.http().get(`/api/v1/jobs/${id}`).set(org.auth).expect(404)).body.code).toBe('JOB_NOT_FOUND');
    // Not the requester, not an organiser: the job is invisible.
    await t.http().get(`/api/v1/jobs/${accepted.body.jobId}`).set(judges[0].auth).expect(404);
    await t.http().post(`/api/v1/rounds/${screeningId}/assign`).set(org.auth).send({}).expect(409);

    const round = (await t.http().get(`/api/v1/rounds/${screeningId}`).set(org.auth).expect(200)).body;
    expect(round.status).toBe('scoring');
    expect(round.seed).toEqual(expect.any(String));
    expect(round.stats).toMatchObject({ ideas: 9, assignments: 27, unassignable: [] });
    expect(round.stats.loadMax - round.stats.loadMin).toBeLessThanOrEqual(1);
    const list = await t.http().get(`/api/v1/competitions/${comp.id}/rounds`).set(org.auth).expect(200);
    expect(list.body.items.map((r: { id: string }) => r.id)).toEqual([screeningId]);
  });

  it('honours conflicts: the teacher never sees their pupil’s idea, the entrant-judge never their own', async () => {
    const seenBy = async (judge: Judge) => (await queue(judge, screeningId)).map((a) => a.idea.title);
    expect(await seenBy(teacherJudge)).not.toContain(pupilEntry.title);
    expect(await seenBy(entrantJudge)).not.toContain(ownEntry.title);
    let total = 0;
    for (const judge of judges) total += (await seenBy(judge)).length;
    expect(total).toBe(27);
  });

  it('pages through a judge’s queue: small pages give every assignment once, in the order of one big page', async () => {
    for (const judge of judges) {
      const all = (await t.http().get('/api/v1/judge/assignments').query({ roundId: screeningId, limit: 100 }).set(judge.auth).expect(200)).body.items;
      expect(all.length).toBeGreaterThan(2);
      const paged: string[] = [];
      let cursor: string | null = null;
      do {
        const page: { body: { items: { id: string }[]; nextCursor: string | null } } = await t.http()
          .get('/api/v1/judge/assignments')
          .query({ roundId: screeningId, limit: 2, ...(cursor ? { cursor } : {}) })
          .set(judge.auth)
          .expect(200);
        paged.push(...page.body.items.map((a) => a.id));
        cursor = page.body.nextCursor;
      } while (cursor);
      expect(paged).toEqual(all.map((a: { id: string }) => a.id));
    }
    await t.http().get('/api/v1/judge/assignments').query({ cursor: 'not-a-cursor' }).set(judges[0].auth).expect(400);
  });

  it('is blind: queue and assignment payloads hold none of the deny-listed keys, and no entrant’s name', async () => {
    for (const judge of judges) {
      const res = await t.http().get('/api/v1/judge/assignments').query({ roundId: screeningId }).set(judge.auth).expect(200);
      const one = await t.http().get(`/api/v1/judge/assignments/${res.body.items[0].id}`).set(judge.auth).expect(200);
      for (const body of [res.body, one.body]) {
        const keys = keysOf(body);
        expect(keys.filter((k) => BLIND_DENY_LIST.includes(k))).toEqual([]);
        const text = JSON.stringify(body);
        for (const e of entries) {
          expect(text).not.toContain(e.surname);
          expect(text).not.toContain(e.owner.username);
          if (e.owner.email) expect(text).not.toContain(e.owner.email);
        }
      }
      expect(one.body).toMatchObject({ alias: expect.stringMatching(/^Entry [BCDFGHJKLMNPQRSTVWXZ2-9]{4}$/), status: 'open', score: null, roundStatus: 'scoring' });
      expect(Object.keys(one.body.idea).sort()).toEqual(['audience', 'category', 'leadAgeBand', 'links', 'problem', 'solution', 'summary', 'title']);
    }
  });

  it('refuses bad scores (400 listing each), another judge’s assignment (404) and non-judges (403)', async () => {
    const [mine] = await queue(judges[0], screeningId);
    const url = `/api/v1/judge/assignments/${mine.id}/score`;
    const feedback = feedbackFor(mine.idea.title);
    const range = await t.http().put(url).set(judges[0].auth).send({ scores: { ...scoresOf(5), innovation: 11, impact: 2.5 }, feedback }).expect(400);
    expect(range.body.errors.map((e: { field: string }) => e.field)).toEqual(['scores.innovation', 'scores.impact']);
    const missing = await t.http().put(url).set(judges[0].auth).send({ scores: { innovation: 5, extra: 3 }, feedback }).expect(400);
    expect(missing.body.errors.map((e: { field: string }) => e.field)).toEqual(['scores.impact', 'scores.feasibility', 'scores.digital', 'scores.presentation', 'scores.extra']);
    for (const contact of ['See https://example.org for a similar app idea.', 'Email me at mentor@example.com to talk more about it.', 'Call me on 07700 900123 and we can discuss your plan.', 'Look at coolstartup.io for a very similar product.']) {
      const res = await t.http().put(url).set(judges[0].auth).send({ scores: scoresOf(5), feedback: contact }).expect(400);
      expect(res.body.errors).toEqual([expect.objectContaining({ field: 'feedback', message: expect.stringMatching(/contact details/) })]);
    }
    expect((await t.http().put(url).set(judges[0].auth).send({ scores: scoresOf(5), feedback: 'Too short.' }).expect(400)).body.errors[0].field).toBe('feedback');
    await t.http().put(url).set(judges[1].auth).send({ scores: scoresOf(5), feedback }).expect(404);
    await t.http().get(`/api/v1/judge/assignments/${mine.id}`).set(judges[1].auth).expect(404);
    // Another judge's assignment is a 404 before the body is looked at (SPEC §3).
    for (const body of [{}, { reason: 'x' }]) await t.http().post(`/api/v1/judge/assignments/${mine.id}/conflict`).set(judges[1].auth).send(body).expect(404);
    await t.http().post(`/api/v1/judge/assignments/${mine.id}/conflict`).set(judges[0].auth).send({}).expect(400);
    await t.http().get('/api/v1/judge/assignments').set(entries[0].owner.auth).expect(403);
  });

  it('honours Idempotency-Key on score saves and lets a judge edit until the round closes', async () => {
    const [mine] = await queue(judges[1], screeningId);
    const url = `/api/v1/judge/assignments/${mine.id}/score`;
    const body = { scores: scoresOf(3), feedback: feedbackFor(mine.idea.title) };
    const first = await t.http().put(url).set(judges[1].auth).set('Idempotency-Key', 'score-1').send(body).expect(200);
    const replay = await t.http().put(url).set(judges[1].auth).set('Idempotency-Key', 'score-1').send(body).expect(200);
    expect(replay.headers['idempotent-replayed']).toBe('true');
    expect(replay.body).toEqual(first.body);
    expect(first.body.score).toEqual(body);
    await t.http().put(url).set(judges[1].auth).set('Idempotency-Key', 'score-1').send({ ...body, scores: scoresOf(4) }).expect(422);
    const edited = await t.http().put(url).set(judges[1].auth).send({ ...body, scores: scoresOf(4) }).expect(200);
    expect(edited.body.score.scores.innovation).toBe(4);
  });

  it('a scheduled reminder emails judges with open assignments once a round has scored for a day, at most daily', async () => {
    expect((await runReminders(t)).result).toEqual({ reminded: 0 }); // the round has been scoring for minutes only
    t.clock.advance(25 * 3600_000);
    try {
      const first = await runReminders(t);
      expect((first.result as { reminded: number }).reminded).toBe(judges.length);
      await t.mail.waitFor(judges[2].email!, (m) => /A reminder/.test(m.subject));
      expect((await runReminders(t)).result).toEqual({ reminded: 0 }); // same London day: nothing more
    } finally {
      t.clock.advance(-25 * 3600_000);
    }
  });

  it('a conflict declared on an assignment reassigns it to the least-loaded eligible judge', async () => {
    const best = entries[0];
    let declaring: Judge | undefined;
    let assignment: any;
    for (const judge of judges) {
      assignment = (await queue(judge, screeningId)).find((a) => a.idea.title === best.title);
      if (assignment) {
        declaring = judge;
        break;
      }
    }
    expect(declaring).toBeDefined();
    await t.http().post(`/api/v1/judge/assignments/${assignment.id}/conflict`).set(declaring!.auth).send({ reason: 'I mentor one of the team' }).expect(204);
    expect((await t.http().get(`/api/v1/judge/assignments/${assignment.id}`).set(declaring!.auth).expect(200)).body.status).toBe('conflicted');
    await t.http().post(`/api/v1/judge/assignments/${assignment.id}/conflict`).set(declaring!.auth).send({ reason: 'again' }).expect(409);
    await t.http().put(`/api/v1/judge/assignments/${assignment.id}/score`).set(declaring!.auth).send({ scores: scoresOf(9), feedback: feedbackFor(best.title) }).expect(409);
    const holders: Judge[] = [];
    for (const judge of judges) if ((await queue(judge, screeningId)).some((a) => a.idea.title === best.title && a.status !== 'conflicted')) holders.push(judge);
    expect(holders).toHaveLength(3);
    expect(holders).not.toContain(declaring);
    (globalThis as Record<string, unknown>).__declaring = declaring!.id;
  });

  it('an idea hidden during scoring leaves the judges’ queues (404 on it, no reminder for it) and comes back when unhidden', async () => {
    const g = entries.find((e) => e.title === 'Idea G')!;
    const holding: { judge: Judge; id: string; status: string }[] = [];
    for (const judge of judges) for (const a of await queue(judge, screeningId)) if (a.idea.title === g.title) holding.push({ judge, id: a.id, status: a.status });
    expect(holding).toHaveLength(3);
    await t.http().post(`/api/v1/ideas/${g.ideaId}/hide`).set(org.auth).send({ reason: 'Checking a report' }).expect(200);
    for (const { judge, id } of holding) {
      expect((await queue(judge, screeningId)).map((a) => a.idea.title)).not.toContain(g.title);
      await t.http().get(`/api/v1/judge/assignments/${id}`).set(judge.auth).expect(404);
      await t.http().put(`/api/v1/judge/assignments/${id}/score`).set(judge.auth).send({ scores: scoresOf(5), feedback: feedbackFor(g.title) }).expect(404);
      await t.http().post(`/api/v1/judge/assignments/${id}/conflict`).set(judge.auth).send({ reason: 'I know them' }).expect(404);
    }
    // A reminder on a later day counts what the judge can still score: not the hidden idea.
    const { judge } = holding.find((h) => h.status === 'open')!;
    const open = (await queue(judge, screeningId)).filter((a) => a.status === 'open').length;
    t.clock.advance(49 * 3600_000);
    try {
      const reminders = () => t.mail.to(judge.email!).filter((m) => /A reminder/.test(m.subject));
      const before = reminders().length;
      await runReminders(t);
      const reminder = await waitFor(() => reminders()[before], 10_000, 'a second reminder');
      expect(reminder.text).toContain(`you still have ${open} ${open === 1 ? 'entry' : 'entries'} to score`);
    } finally {
      t.clock.advance(-49 * 3600_000);
    }
    await t.http().post(`/api/v1/ideas/${g.ideaId}/unhide`).set(org.auth).send({ reason: 'Report dismissed' }).expect(200);
    for (const { judge, id, status } of holding) {
      expect((await queue(judge, screeningId)).map((a) => a.id)).toContain(id);
      // As it was: the Idempotency-Key spec above may have scored it (judges[1]'s first queued entry, which is random).
      expect((await t.http().get(`/api/v1/judge/assignments/${id}`).set(judge.auth).expect(200)).body.status).toBe(status);
    }
  });

  it('scoring everything, closing and tallying: ranked results with judge severities', async () => {
    await scoreEverything(screeningId, (title) => entries.find((e) => e.title === title)!.quality);
    // Hidden by an organiser during judging: the idea leaves judging (its scores do not count).
    const g = entries.find((e) => e.title === 'Idea G')!;
    await t.http().post(`/api/v1/ideas/${g.ideaId}/hide`).set(org.auth).send({ reason: 'Under review' }).expect(200);
    const closed = await t.http().post(`/api/v1/rounds/${screeningId}/close`).set(org.auth).expect(202);
    await waitForJob(t, org.auth, closed.body.jobId);
    const [any] = await queue(judges[0], screeningId);
    expect((await t.http().put(`/api/v1/judge/assignments/${any.id}/score`).set(judges[0].auth).send({ scores: scoresOf(5), feedback: feedbackFor('x') }).expect(409)).body.code).toBe(
      'ROUND_NOT_SCORING',
    );
    const results = await t.http().get(`/api/v1/rounds/${screeningId}/results`).set(org.auth).expect(200);
    expect(results.body.roundId).toBe(screeningId);
    expect(results.body.items).toHaveLength(9);
    const byIdea = new Map(entries.map((e) => [e.ideaId, e]));
    expect(results.body.items.map((i: { ideaId: string }) => byIdea.get(i.ideaId)!.title)).toEqual(['Idea A', 'Idea B', 'Idea C', 'Idea D', 'Idea E', 'Idea F', 'Idea Pupil', 'Idea Own', 'Idea G']);
    expect(results.body.items[8]).toMatchObject({ judgeCount: 0, adjustedScore: null, rawMean: null, flags: ['too_few_scores'], outcome: null });
    expect(results.body.items.slice(0, 5).every((i: { outcome: string }) => i.outcome === 'shortlisted')).toBe(true);
    expect(results.body.items.slice(5).every((i: { outcome: string | null }) => i.outcome === null)).toBe(true);
    const top = results.body.items[0];
    expect(top).toMatchObject({ rank: 1, judgeCount: 3, rawMean: 100, flags: [], alias: expect.stringMatching(/^Entry /) });
    expect(Number.isInteger(top.adjustedScore * 100)).toBe(true);
    expect(results.body.judges).toHaveLength(5);
    for (const j of results.body.judges) expect(j).toEqual({ judgeId: expect.any(String), severity: expect.any(Number), scoreCount: expect.any(Number) });
    await t.http().get(`/api/v1/rounds/${screeningId}/results`).set(judges[0].auth).expect(403);
  });

  it('publishing before a confirmed final → 409', async () => {
    expect((await t.http().post(`/api/v1/competitions/${comp.id}/results/publish`).set(org.auth).expect(409)).body.code).toBe('RESULTS_NOT_CONFIRMED');
  });
});

describe('final round', () => {
  it('covers the shortlist; each panel judge scores every finalist they are not conflicted with', async () => {
    const created = await t.http()
      .post(`/api/v1/competitions/${comp.id}/rounds`)
      .set(org.auth)
      .send({ kind: 'final', name: 'Final', judgeIds: judges.map((j) => j.id) })
      .expect(201);
    finalId = created.body.id;
    expect(created.body.previousRoundId).toBe(screeningId);
    // The competition's rounds, in order, a page at a time.
    const first = await t.http().get(`/api/v1/competitions/${comp.id}/rounds`).query({ limit: 1 }).set(org.auth).expect(200);
    expect(first.body.items.map((r: { id: string }) => r.id)).toEqual([screeningId]);
    const second = await t.http().get(`/api/v1/competitions/${comp.id}/rounds`).query({ limit: 1, cursor: first.body.nextCursor }).set(org.auth).expect(200);
    expect(second.body).toMatchObject({ items: [expect.objectContaining({ id: finalId })], nextCursor: null });
    await t.http().get(`/api/v1/competitions/${comp.id}/rounds`).query({ cursor: 'nonsense' }).set(org.auth).expect(400);
    await t.http().get(`/api/v1/competitions/${comp.id}/rounds`).query({ limit: 0 }).set(org.auth).expect(400);
    await waitForJob(t, org.auth, (await t.http().post(`/api/v1/rounds/${finalId}/assign`).set(org.auth).send({ seed: 'final-seed' }).expect(202)).body.jobId);
    const round = (await t.http().get(`/api/v1/rounds/${finalId}`).set(org.auth).expect(200)).body;
    expect(round).toMatchObject({ status: 'scoring', seed: 'final-seed' });
    expect(round.stats.ideas).toBe(5);
    const declaring = (globalThis as Record<string, unknown>).__declaring as string;
    for (const judge of judges) {
      const titles = (await queue(judge, finalId)).map((a) => a.idea.title).sort();
      const expected = ['Idea A', 'Idea B', 'Idea C', 'Idea D', 'Idea E'].filter((title) => !(judge.id === declaring && title === 'Idea A'));
      expect(titles).toEqual(expected);
    }
    expect(round.stats.assignments).toBe(24);
  });

  it('scores, tallies, confirms with an override (audited), and only then publishes', async () => {
    // In the final, D outshines C.
    const finalQuality: Record<string, number> = { 'Idea A': 10, 'Idea B': 9, 'Idea C': 6, 'Idea D': 8, 'Idea E': 5 };
    await scoreEverything(finalId, (title) => finalQuality[title]);
    await waitForJob(t, org.auth, (await t.http().post(`/api/v1/rounds/${finalId}/close`).set(org.auth).expect(202)).body.jobId);
    const results = (await t.http().get(`/api/v1/rounds/${finalId}/results`).set(org.auth).expect(200)).body;
    const title = (id: string) => entries.find((e) => e.ideaId === id)!.title;
    expect(results.items.filter((i: { outcome: string }) => i.outcome === 'winner').map((i: { ideaId: string }) => title(i.ideaId))).toEqual(['Idea A', 'Idea B', 'Idea D']);

    expect((await t.http().post(`/api/v1/competitions/${comp.id}/results/publish`).set(org.auth).expect(409)).body.code).toBe('RESULTS_NOT_CONFIRMED');
    const ideaD = entries.find((e) => e.title === 'Idea D')!;
    const ideaC = entries.find((e) => e.title === 'Idea C')!;
    const badOverride = await t.http().post(`/api/v1/rounds/${finalId}/confirm`).set(org.auth).send({ overrides: [{ ideaId: ideaD.ideaId, outcome: 'shortlisted', reason: 'wrong kind' }] }).expect(400);
    expect(badOverride.body.errors[0].field).toBe('overrides[0].outcome');
    // What stands is what publication pays: no extra winner, none hidden since the tally.
    const tooMany = await t.http()
      .post(`/api/v1/rounds/${finalId}/confirm`)
      .set(org.auth)
      .send({ overrides: [{ ideaId: ideaC.ideaId, outcome: 'winner', reason: 'One more prize, please' }] })
      .expect(409);
    expect(tooMany.body).toMatchObject({ code: 'OUTCOMES_NOT_CONFIRMABLE', errors: [{ field: 'overrides', message: '4 ideas would be winner for 3 places' }] });
    const ideaB = entries.find((e) => e.title === 'Idea B')!;
    await t.http().post(`/api/v1/ideas/${ideaB.ideaId}/hide`).set(org.auth).send({ reason: 'Checking a report' }).expect(200);
    const hidden = await t.http().post(`/api/v1/rounds/${finalId}/confirm`).set(org.auth).send({}).expect(409);
    expect(hidden.body.errors).toEqual([{ field: 'overrides', message: `idea ${ideaB.ideaId} is hidden: give it no outcome (null) to confirm` }]);
    await t.http().post(`/api/v1/ideas/${ideaB.ideaId}/unhide`).set(org.auth).send({ reason: 'Report dismissed' }).expect(200);
    expect(errorFields(await t.http().post(`/api/v1/rounds/${finalId}/confirm`).set(org.auth).send({ overrides: null }).expect(400))).toEqual(['overrides']);
    expect((await t.http().get(`/api/v1/rounds/${finalId}`).set(org.auth).expect(200)).body.status).toBe('tallied'); // nothing changed
    const confirmed = await t.http()
      .post(`/api/v1/rounds/${finalId}/confirm`)
      .set(org.auth)
      .send({
        overrides: [
          { ideaId: ideaD.ideaId, outcome: null, reason: 'A member turned out to be over the age limit' },
          { ideaId: ideaC.ideaId, outcome: 'winner', reason: 'Next in rank after the ineligible idea' },
        ],
      })
      .expect(200);
    expect(confirmed.body.status).toBe('confirmed');
    expect(confirmed.body.overrides).toHaveLength(2);
    await t.http().post(`/api/v1/rounds/${finalId}/confirm`).set(org.auth).send({}).expect(409);
    const audit = await t.http().get('/api/v1/audit').query({ action: 'round.confirmed', subjectId: finalId }).set(org.auth).expect(200);
    expect(audit.body.items[0].data.overrides[0]).toMatchObject({ ideaId: ideaD.ideaId, outcome: null });
    const after = (await t.http().get(`/api/v1/rounds/${finalId}/results`).set(org.auth).expect(200)).body;
    const d = after.items.find((i: { ideaId: string }) => i.ideaId === ideaD.ideaId);
    expect(d).toMatchObject({ outcome: null, computedOutcome: 'winner' });
  });

  it('an organiser may withhold a piece of feedback before release', async () => {
    const review = await t.http().get(`/api/v1/rounds/${finalId}/feedback`).query({ limit: 100 }).set(org.auth).expect(200);
    expect(review.body.items).toHaveLength(24);
    const paged: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { body: { items: { assignmentId: string }[]; nextCursor: string | null } } = await t.http()
        .get(`/api/v1/rounds/${finalId}/feedback`)
        .query({ limit: 5, ...(cursor ? { cursor } : {}) })
        .set(org.auth)
        .expect(200);
      paged.push(...page.body.items.map((f) => f.assignmentId));
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(paged).toEqual(review.body.items.map((f: { assignmentId: string }) => f.assignmentId));
    const piece = review.body.items.find((f: { ideaId: string }) => f.ideaId === entries[1].ideaId);
    await t.http().post(`/api/v1/assignments/${piece.assignmentId}/feedback/withhold`).set(org.auth).send({ reason: 'Too harsh for a 16-year-old' }).expect(204);
    await t.http().post(`/api/v1/assignments/${piece.assignmentId}/feedback/withhold`).set(judges[0].auth).send({ reason: 'nope' }).expect(403);
    (globalThis as Record<string, unknown>).__withheld = piece.assignmentId;
  });
});

describe('publication', () => {
  it('publishes once: three awards, outcomes, public results, notifications, feedback released', async () => {
    const first = await t.http().post(`/api/v1/competitions/${comp.id}/results/publish`).set(org.auth).expect(202);
    const job = await waitForJob(t, org.auth, first.body.jobId);
    expect(job.result).toMatchObject({ winners: 3, finalists: 2, entrantsNotified: 9, judgesThanked: 5 });
    const second = await t.http().post(`/api/v1/competitions/${comp.id}/results/publish`).set(org.auth).expect(202);
    expect(second.body.jobId).toBe(first.body.jobId);

    const awards = await t.http().get('/api/v1/awards').query({ competitionId: comp.id }).set(org.auth).expect(200);
    const winnerTitles = ['Idea A', 'Idea B', 'Idea C'];
    const winnerIds = winnerTitles.map((title) => entries.find((e) => e.title === title)!.ideaId);
    expect(awards.body.items.map((a: { ideaId: string }) => a.ideaId).sort()).toEqual([...winnerIds].sort());
    for (const a of awards.body.items)
      expect(a).toMatchObject({ competitionId: comp.id, amountPence: 1_500_000, currency: 'GBP', status: 'awarded', acceleratorStatus: 'offered', paymentStatus: 'pending', payee: null });
    const [{ count }] = await t.db.query(`SELECT count(*)::int AS count FROM funding_award WHERE competition_id = $1`, [comp.id]);
    expect(count).toBe(3);

    expect((await t.http().get(`/api/v1/competitions/${comp.id}`).expect(200)).body.status).toBe('results');
    const idea = (title: string) => entries.find((e) => e.title === title)!;
    expect((await t.http().get(`/api/v1/ideas/${idea('Idea A').ideaId}`).set(idea('Idea A').owner.auth).expect(200)).body.outcome).toBe('winner');
    expect((await t.http().get(`/api/v1/ideas/${idea('Idea D').ideaId}`).set(idea('Idea D').owner.auth).expect(200)).body.outcome).toBe('finalist');
    expect((await t.http().get(`/api/v1/ideas/${idea('Idea G').ideaId}`).set(idea('Idea G').owner.auth).expect(200)).body.outcome).toBeNull();

    const pub = await t.http().get(`/api/v1/public/competitions/${comp.id}/results`).expect(200);
    expect(pub.body.winners.map((w: { title: string }) => w.title)).toEqual(winnerTitles);
    expect(pub.body.winners[0]).toEqual({ ideaId: idea('Idea A').ideaId, title: 'Idea A', summary: COMPLETE_IDEA.summary, displayNames: ['Sam A.'], awardPence: 1_500_000 });
    expect(pub.body.finalists.map((f: { title: string }) => f.title)).toEqual(['Idea D', 'Idea E']);
    const publicText = JSON.stringify(pub.body);
    for (const e of entries) expect(publicText).not.toContain(e.surname);
    expect(keysOf(pub.body).filter((k) => ['email', 'username', 'lastName', 'school', 'region', 'userId'].includes(k))).toEqual([]);

    await t.mail.waitFor(idea('Idea A').owner.email!, (m) => /Congratulations/.test(m.subject));
    await t.mail.waitFor(idea('Idea D').owner.email!, (m) => /finalist/.test(m.subject));
    const thanks = await t.mail.waitFor(idea('Idea G').owner.email!, (m) => /results of/.test(m.subject));
    expect(thanks.text).toContain(`/api/v1/ideas/${idea('Idea G').ideaId}/feedback`);
    await t.mail.waitFor(judges[0].email!, (m) => /Thank you for judging/.test(m.subject));
  });

  it('publishing twice changed nothing: one set of awards, one results notification per entrant', async () => {
    const [{ awards }] = await t.db.query(`SELECT count(*)::int AS awards FROM funding_award WHERE competition_id = $1`, [comp.id]);
    expect(awards).toBe(3);
    const [{ dupes }] = await t.db.query(
      `SELECT count(*)::int AS dupes FROM (SELECT user_id FROM notification WHERE template LIKE 'results-%' GROUP BY user_id HAVING count(*) > 1) d`,
    );
    expect(dupes).toBe(0);
  });

  it('released feedback: members and their class teachers read it, judges anonymous; withheld feedback stays back', async () => {
    const b = entries[1];
    const feedback = await t.http().get(`/api/v1/ideas/${b.ideaId}/feedback`).set(b.owner.auth).expect(200);
    expect(feedback.body.released).toBe(true);
    // 3 screening scores + 5 final scores − 1 withheld.
    expect(feedback.body.items).toHaveLength(7);
    expect(keysOf(feedback.body).filter((k) => ['judgeId', 'judge', 'name', 'email', 'userId'].includes(k))).toEqual([]);
    expect(feedback.body.items[0]).toEqual({ roundKind: 'screening', scores: scoresOf(9), feedback: feedbackFor('Idea B') });
    const pupilView = await t.http().get(`/api/v1/ideas/${pupilEntry.ideaId}/feedback`).set(teacher.auth).expect(200);
    expect(pupilView.body.items).toHaveLength(3);
    const stranger = await aSignedInEntrant(t);
    await t.http().get(`/api/v1/ideas/${b.ideaId}/feedback`).set(stranger.auth).expect(404);
    const withheld = (globalThis as Record<string, unknown>).__withheld as string;
    await t.http().post(`/api/v1/assignments/${withheld}/feedback/restore`).set(org.auth).send({ reason: 'changed my mind' }).expect(409);
  });

  it('awards follow the payee rules (an adult member, or for an all-under-18 team a parent/guardian or the school)', async () => {
    const awards = (await t.http().get('/api/v1/awards').query({ competitionId: comp.id }).set(org.auth).expect(200)).body.items;
    const award = awards.find((a: { ideaId: string }) => a.ideaId === entries[0].ideaId);
    expect((await t.http().patch(`/api/v1/awards/${award.id}`).set(org.auth).send({ status: 'accepted' }).expect(400)).body.errors[0].field).toBe('payee');
    // An incomplete payee is a 400 naming each missing field.
    const incomplete = await t.http().patch(`/api/v1/awards/${award.id}`).set(org.auth).send({ payee: { kind: 'parent_guardian' } }).expect(400);
    expect(incomplete.body.errors.map((e: { field: string }) => e.field)).toEqual(['payee.name', 'payee.email']);
    const noEmail = await t.http().patch(`/api/v1/awards/${award.id}`).set(org.auth).send({ payee: { kind: 'parent_guardian', name: 'Pat Parent' } }).expect(400);
    expect(noEmail.body.errors.map((e: { field: string }) => e.field)).toEqual(['payee.email']);
    const minor = await t.http().patch(`/api/v1/awards/${award.id}`).set(org.auth).send({ payee: { kind: 'member', userId: entries[0].owner.id } }).expect(400);
    expect(minor.body.errors[0].message).toMatch(/under 18/);
    const accepted = await t.http()
      .patch(`/api/v1/awards/${award.id}`)
      .set(org.auth)
      .send({ status: 'accepted', acceleratorStatus: 'accepted', payee: { kind: 'parent_guardian', name: 'Jo Adeyemi', email: 'Jo@Example.com' } })
      .expect(200);
    expect(accepted.body).toMatchObject({ status: 'accepted', acceleratorStatus: 'accepted', paymentStatus: 'pending', payee: { kind: 'parent_guardian', name: 'Jo Adeyemi', email: 'jo@example.com' } });
    const paid = await t.http().patch(`/api/v1/awards/${award.id}`).set(org.auth).send({ paymentStatus: 'paid' }).expect(200);
    expect(paid.body).toMatchObject({ status: 'paid', paymentStatus: 'paid' });
    await t.http().patch(`/api/v1/awards/${award.id}`).set(org.auth).send({ status: 'withdrawn' }).expect(400);
    await t.http().patch(`/api/v1/awards/${award.id}`).set(judges[0].auth).send({ status: 'withdrawn' }).expect(403);
  });

  it('null for an award status → 400 naming it (invalid input, not a move the rules refuse); nothing changes; null clears the payee', async () => {
    const awards = (await t.http().get('/api/v1/awards').query({ competitionId: comp.id }).set(org.auth).expect(200)).body.items;
    const award = awards.find((a: { ideaId: string }) => a.ideaId === entries[1].ideaId);
    const patch = (body: object) => t.http().patch(`/api/v1/awards/${award.id}`).set(org.auth).send(body);
    for (const field of ['status', 'acceleratorStatus', 'paymentStatus']) {
      const res = await patch({ [field]: null }).expect(400);
      expect(res.body.code).toBe('VALIDATION_FAILED');
      expect(errorFields(res)).toEqual([field]);
    }
    const payee = { kind: 'parent_guardian', name: 'Bo Brennan', email: 'bo@example.com' };
    expect((await patch({ payee }).expect(200)).body.payee).toEqual(payee);
    expect((await patch({ payee: null }).expect(200)).body).toEqual(award);
  });
});

describe('OpenAPI', () => {
  it('documents every judging endpoint with its problem answers', async () => {
    const doc = (await t.http().get('/api/docs-json').expect(200)).body;
    for (const p of [
      '/api/v1/judges/invitations',
      '/api/v1/judges/invitations/{token}/accept',
      '/api/v1/judge/conflicts',
      '/api/v1/judge/assignments',
      '/api/v1/judge/assignments/{id}',
      '/api/v1/judge/assignments/{id}/score',
      '/api/v1/judge/assignments/{id}/conflict',
      '/api/v1/competitions/{id}/rounds',
      '/api/v1/rounds/{id}',
      '/api/v1/rounds/{id}/assign',
      '/api/v1/rounds/{id}/close',
      '/api/v1/rounds/{id}/results',
      '/api/v1/rounds/{id}/confirm',
      '/api/v1/rounds/{id}/feedback',
      '/api/v1/assignments/{id}/feedback/withhold',
      '/api/v1/competitions/{id}/results/publish',
      '/api/v1/public/competitions/{id}/results',
      '/api/v1/ideas/{id}/feedback',
      '/api/v1/awards',
      '/api/v1/awards/{id}',
      '/api/v1/jobs/{id}',
    ])
      expect(Object.keys(doc.paths)).toContain(p);
    expect(doc.paths['/api/v1/judge/assignments/{id}/score'].put.responses['409']).toBeDefined();
    expect(doc.paths['/api/v1/judges/invitations/{token}/accept'].post.responses['409'].description).toContain('EMAIL_NOT_VERIFIED');
    expect(doc.paths['/api/v1/judge/assignments/{id}/score'].put.parameters.map((x: { name: string }) => x.name)).toContain('Idempotency-Key');
    expect(doc.paths['/api/v1/rounds/{id}/assign'].post.responses['202']).toBeDefined();
    expect(doc.paths['/api/v1/public/competitions/{id}/results'].get.security).toBeUndefined();
    expect(doc.components.schemas.JudgeAssignmentDto.properties).not.toHaveProperty('ideaId');
  });
});

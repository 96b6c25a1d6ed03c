import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startTestApp, type TestApp } from './support/test-app.js';
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
  postRoster,
  register,
  rosterCsv,
  verifyEmail,
  withOwnPassword,
  type VerifiedTeacher,
} from './support/builders.js';
import { aJudge, waitForJob } from './support/judging.js';

// With a pool of 2 connections, any transaction that asks the pool for a second connection while
// others hold the rest waits forever (until the pool's timeout). Every request must complete.
describe('a tiny connection pool', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ env: { DATABASE_POOL_SIZE: '2' } });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('serves simultaneous registrations, submits and team invitations without waiting on itself', async () => {
    const registrations = await Promise.all(Array.from({ length: 8 }, () => register(t)));
    expect(registrations).toHaveLength(8);
    const org = await anOrganiser(t);
    const comp = await aCompetition(t, org);
    const owners = await Promise.all(Array.from({ length: 6 }, () => aSignedInEntrant(t)));
    const ideas = await Promise.all(owners.map((o) => anIdea(t, o, comp.id)));
    const submits = await Promise.all(ideas.map((idea, i) => t.http().post(`/api/v1/ideas/${idea.id}/submit`).set(owners[i].auth)));
    expect(submits.map((r) => r.status)).toEqual(Array(6).fill(200));
    const invites = await Promise.all(
      ideas.map((idea, i) => t.http().post(`/api/v1/ideas/${idea.id}/members`).set(owners[i].auth).send({ username: owners[(i + 1) % 6].username })),
    );
    expect(invites.map((r) => r.status)).toEqual(Array(6).fill(201));
  });

  it('imports rosters (with consent requests) and joins classes side by side', async () => {
    const org = await anOrganiser(t);
    const teacher = await aVerifiedTeacher(t, { organiser: org });
    const classes = await Promise.all([1, 2, 3].map((i) => aClass(t, teacher, { name: `Class ${i}` })));
    const csv = rosterCsv(Array.from({ length: 5 }, (_, i) => ({ firstName: `Pupil${'abcde'[i]}`, dateOfBirth: bornYearsAgo(12), parentEmail: `parent${i}@example.com` })));
    const imports = await Promise.all(classes.map((c) => postRoster(t, teacher.auth, c.id, csv)));
    expect(imports.map((r) => r.status)).toEqual([201, 201, 201]);
    const pupils = await Promise.all(Array.from({ length: 4 }, () => aSignedInEntrant(t)));
    const joins = await Promise.all(pupils.map((p) => t.http().post('/api/v1/classes/join').set(p.auth).send({ code: classes[0].joinCode })));
    expect(joins.map((r) => r.status)).toEqual([200, 200, 200, 200]);
  });

  // Verifying a school (or approving a teacher) reads the teachers' accounts to email them inside its transaction.
  it('verifies schools side by side', async () => {
    const org = await anOrganiser(t);
    const teachers = await Promise.all(Array.from({ length: 6 }, () => aPendingTeacher(t)));
    const verified = await Promise.all(teachers.map((p) => t.http().post(`/api/v1/schools/${p.schoolId}/verify`).set(org.auth).send({ teacherIds: [p.id] })));
    expect(verified.map((r) => r.status)).toEqual(Array(6).fill(200));
    expect(verified.map((r) => r.body.teachers[0].status)).toEqual(Array(6).fill('verified'));
  }, 60_000);

  it('approves teachers at several schools side by side', async () => {
    const org = await anOrganiser(t);
    const leads: VerifiedTeacher[] = [];
    for (let i = 0; i < 6; i++) leads.push(await aVerifiedTeacher(t, { organiser: org }));
    const colleagues = await Promise.all(leads.map((lead) => aPendingTeacher(t, { urn: lead.urn })));
    const approvals = await Promise.all(
      leads.map((lead, i) => t.http().post(`/api/v1/schools/${lead.schoolId}/teachers/${colleagues[i].id}/approve`).set(lead.auth)),
    );
    expect(approvals.map((r) => r.status)).toEqual(Array(6).fill(204));
  }, 60_000);

  it('assigns a round, takes simultaneous scores and conflict declarations (with reassignment), and tallies it', async () => {
    const org = await anOrganiser(t);
    const comp = await aCompetition(t, org, { closesAt: new Date(t.clock.now().getTime() + 5 * 60_000).toISOString() });
    // A teacher-judge with a pupil among the entrants: school conflicts are looked up inside the jobs.
    const teacher = await aVerifiedTeacher(t, { organiser: org });
    const klass = await aClass(t, teacher);
    const pupil = await withOwnPassword(t, await aRosterStudent(t, teacher, klass.id, { dateOfBirth: bornYearsAgo(14) }));
    const owners = [pupil, ...(await Promise.all(Array.from({ length: 5 }, () => aSignedInEntrant(t))))];
    for (const owner of owners) {
      const idea = await anIdea(t, owner, comp.id);
      await t.http().post(`/api/v1/ideas/${idea.id}/submit`).set(owner.auth).expect(200);
    }
    const judges = [await aJudge(t, org, { existing: await verifyEmail(t, teacher) })];
    for (let i = 0; i < 5; i++) judges.push(await aJudge(t, org));
    t.clock.advance(6 * 60_000);
    const round = await t.http()
      .post(`/api/v1/competitions/${comp.id}/rounds`)
      .set(org.auth)
      .send({ kind: 'screening', name: 'Screening', judgeIds: judges.map((j) => j.id) })
      .expect(201);
    await waitForJob(t, org.auth, (await t.http().post(`/api/v1/rounds/${round.body.id}/assign`).set(org.auth).send({}).expect(202)).body.jobId);

    const queues = await Promise.all(judges.map(async (j) => ({ judge: j, items: (await t.http().get('/api/v1/judge/assignments').query({ limit: 100 }).set(j.auth).expect(200)).body.items })));
    const work = queues.flatMap(({ judge, items }) => items.map((a: { id: string }, k: number) => ({ judge, id: a.id, declare: k === 0 })));
    const answers = await Promise.all(
      work.map(({ judge, id, declare }) =>
        declare
          ? t.http().post(`/api/v1/judge/assignments/${id}/conflict`).set(judge.auth).send({ reason: 'I know the team' })
          : t.http()
              .put(`/api/v1/judge/assignments/${id}/score`)
              .set(judge.auth)
              .send({ scores: { innovation: 7, impact: 7, feasibility: 7, digital: 7, presentation: 7 }, feedback: 'A clear idea with a real audience. Test it with users.' }),
      ),
    );
    expect(answers.map((r) => r.status).sort()).toEqual(work.map((w) => (w.declare ? 204 : 200)).sort());

    const closed = await t.http().post(`/api/v1/rounds/${round.body.id}/close`).set(org.auth).expect(202);
    await waitForJob(t, org.auth, closed.body.jobId);
    const results = await t.http().get(`/api/v1/rounds/${round.body.id}/results`).set(org.auth).expect(200);
    expect(results.body.items).toHaveLength(owners.length);
  }, 60_000);
});

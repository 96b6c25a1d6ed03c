import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startTestApp, type TestApp } from './support/test-app.js';
import { aCompetition, aSignedInEntrant, anIdea, anOrganiser, bornYearsAgo } from './support/builders.js';
import { aJudge, runReminders, waitForJob } from './support/judging.js';

/**
 * A judge whose date of birth is corrected to under 18 loses the role (SPEC §1) in the middle of a round:
 * judging gives them no new work — no reassignment lands on them — and no more reminders.
 */
let t: TestApp;
let org: Awaited<ReturnType<typeof anOrganiser>>;
let judges: Record<'a' | 'b' | 'minor', Awaited<ReturnType<typeof aJudge>>>;
let roundId: string;

beforeAll(async () => {
  t = await startTestApp();
  org = await anOrganiser(t);
  const comp = await aCompetition(t, org, { closesAt: new Date(t.clock.now().getTime() + 5 * 60_000).toISOString() });
  for (const title of ['Idea 1', 'Idea 2', 'Idea 3']) {
    const owner = await aSignedInEntrant(t);
    const idea = await anIdea(t, owner, comp.id, { title });
    await t.http().post(`/api/v1/ideas/${idea.id}/submit`).set(owner.auth).expect(200);
  }
  const adult = await aSignedInEntrant(t, { dateOfBirth: bornYearsAgo(18) });
  judges = { a: await aJudge(t, org), b: await aJudge(t, org), minor: await aJudge(t, org, { existing: adult }) };
  t.clock.advance(6 * 60_000);
  const round = await t.http()
    .post(`/api/v1/competitions/${comp.id}/rounds`)
    .set(org.auth)
    .send({ kind: 'screening', name: 'Screening', judgesPerIdea: 2, judgeIds: Object.values(judges).map((j) => j.id) })
    .expect(201);
  roundId = round.body.id;
  await waitForJob(t, org.auth, (await t.http().post(`/api/v1/rounds/${roundId}/assign`).set(org.auth).send({}).expect(202)).body.jobId);
  // Corrected to 16: the account keeps only `entrant`.
  const corrected = await t.http().patch(`/api/v1/users/${judges.minor.id}`).set(org.auth).send({ dateOfBirth: bornYearsAgo(16) }).expect(200);
  expect(corrected.body.roles).toEqual(['entrant']);
}, 120_000);

afterAll(async () => {
  await t?.close();
});

const titles = async (judge: { auth: Record<string, string> }) =>
  (await t.http().get('/api/v1/judge/assignments').query({ roundId, limit: 100 }).set(judge.auth).expect(200)).body.items as { id: string; idea: { title: string } }[];

describe('a judge corrected to under 18 during a round', () => {
  it('is never picked to replace a judge who declares a conflict', async () => {
    // Three ideas, two judges each, three judges: each pair of judges shares exactly one idea.
    const mine = await titles(judges.a);
    const theirs = new Set((await titles(judges.b)).map((x) => x.idea.title));
    const shared = mine.find((x) => theirs.has(x.idea.title))!;
    await t.http().post(`/api/v1/judge/assignments/${shared.id}/conflict`).set(judges.a.auth).send({ reason: 'I mentor the team' }).expect(204);
    const [{ idea_id: ideaId }] = await t.db.query(
      `SELECT e.idea_id FROM judge_assignment a JOIN round_entry e ON e.round_id = a.round_id AND e.idx = a.entry_idx WHERE a.id = $1`,
      [shared.id],
    );
    const [row] = await t.db.query(
      `SELECT count(*) FILTER (WHERE a.judge_id = $3)::int AS minor, count(*) FILTER (WHERE a.status <> 'conflicted')::int AS held
         FROM judge_assignment a JOIN round_entry e ON e.round_id = a.round_id AND e.idx = a.entry_idx
        WHERE a.round_id = $1 AND e.idea_id = $2`,
      [roundId, ideaId, judges.minor.id],
    );
    expect(row).toEqual({ minor: 0, held: 1 });
    const round = (await t.http().get(`/api/v1/rounds/${roundId}`).set(org.auth).expect(200)).body;
    expect(round.stats.unassignable).toHaveLength(1);
  });

  it('gets no scoring reminder for the assignments they can no longer score', async () => {
    t.clock.advance(25 * 3600_000);
    try {
      const job = await runReminders(t);
      expect(job.result).toEqual({ reminded: 2 });
      await t.mail.waitFor(judges.b.email!, (m) => /A reminder/.test(m.subject));
      expect(t.mail.to(judges.minor.email!).filter((m) => /A reminder/.test(m.subject))).toEqual([]);
    } finally {
      t.clock.advance(-25 * 3600_000);
    }
  });
});

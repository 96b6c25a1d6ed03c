import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { getQueueToken } from '@nestjs/bullmq';
import type { Queue } from 'bullmq';
import { QUEUES } from '@app/platform';
import { startTestApp, type TestApp } from './support/test-app.js';
import { aCompetition, aSignedInEntrant, anIdea, anOrganiser } from './support/builders.js';
import { aJudge, waitForJob } from './support/judging.js';
import { waitFor } from './support/mail-capture.js';

/**
 * A round's tally job that is gone (failed for good and cleared, or lost) must not leave the round closed
 * for ever: closing it again queues a new tally; while one is in flight, it answers that one.
 */
let t: TestApp;
let org: Awaited<ReturnType<typeof anOrganiser>>;
let roundId: string;
let judging: Queue;

beforeAll(async () => {
  t = await startTestApp();
  org = await anOrganiser(t);
  const comp = await aCompetition(t, org, { closesAt: new Date(t.clock.now().getTime() + 5 * 60_000).toISOString() });
  for (const title of ['Idea 1', 'Idea 2']) {
    const owner = await aSignedInEntrant(t);
    const idea = await anIdea(t, owner, comp.id, { title });
    await t.http().post(`/api/v1/ideas/${idea.id}/submit`).set(owner.auth).expect(200);
  }
  const judges = [await aJudge(t, org), await aJudge(t, org)];
  t.clock.advance(6 * 60_000);
  const round = await t.http()
    .post(`/api/v1/competitions/${comp.id}/rounds`)
    .set(org.auth)
    .send({ kind: 'screening', name: 'Screening', judgesPerIdea: 2, judgeIds: judges.map((j) => j.id) })
    .expect(201);
  roundId = round.body.id;
  await waitForJob(t, org.auth, (await t.http().post(`/api/v1/rounds/${roundId}/assign`).set(org.auth).send({}).expect(202)).body.jobId);
  judging = t.worker!.get<Queue>(getQueueToken(QUEUES.judging));
}, 120_000);

afterAll(async () => {
  await judging?.resume();
  await t?.close();
});

describe('closing a round whose tally is gone', () => {
  it('answers the tally in flight, queues a new one once it is gone, and refuses once tallied', async () => {
    await judging.pause();
    const first = (await t.http().post(`/api/v1/rounds/${roundId}/close`).set(org.auth).expect(202)).body.jobId as string;
    // In flight (waiting behind the paused queue): the same job.
    expect((await t.http().post(`/api/v1/rounds/${roundId}/close`).set(org.auth).expect(202)).body.jobId).toBe(first);
    // Gone: relayed to BullMQ, then removed (as a failed job is after its retention).
    const job = await waitFor(() => judging.getJob(first), 10_000, 'the tally job in BullMQ');
    await job.remove();
    const second = (await t.http().post(`/api/v1/rounds/${roundId}/close`).set(org.auth).expect(202)).body.jobId as string;
    expect(second).not.toBe(first);
    const audit = await t.http().get('/api/v1/audit').query({ action: 'round.tally_requeued', subjectId: roundId }).set(org.auth).expect(200);
    expect(audit.body.items[0].data).toEqual({ jobId: second, failedJobId: first });

    await judging.resume();
    await waitForJob(t, org.auth, second);
    expect((await t.http().get(`/api/v1/rounds/${roundId}`).set(org.auth).expect(200)).body.status).toBe('tallied');
    expect((await t.http().post(`/api/v1/rounds/${roundId}/close`).set(org.auth).expect(409)).body.code).toBe('ROUND_WRONG_STATUS');
  });
});

import { randomBytes } from 'node:crypto';
import { JobQueue, JobStatusService } from '@app/platform';
import type { TestApp } from './test-app.js';
import { tokenFrom, waitFor } from './mail-capture.js';
import { PASSWORD, session, type Registered } from './builders.js';

type Auth = { auth: Record<string, string> };
const unique = () => randomBytes(4).toString('hex');

/** Invites `email` as a judge and accepts through the emailed link; signs the judge in. */
export async function aJudge(t: TestApp, organiser: Auth, o: { email?: string; firstName?: string; lastName?: string; existing?: Registered } = {}) {
  const email = o.existing?.email ?? o.email ?? `judge-${unique()}@example.com`;
  const invited = await t.http()
    .post('/api/v1/judges/invitations')
    .set(organiser.auth)
    .send({ email, firstName: o.firstName ?? 'Priya', lastName: o.lastName ?? 'Shah' });
  if (invited.status !== 201) throw new Error(`invitation failed: ${invited.status} ${JSON.stringify(invited.body)}`);
  const token = await invitationToken(t, email);
  const accepted = await t.http().post(`/api/v1/judges/invitations/${encodeURIComponent(token)}/accept`).send(o.existing ? {} : { password: PASSWORD });
  if (accepted.status !== 204) throw new Error(`acceptance failed: ${accepted.status} ${JSON.stringify(accepted.body)}`);
  const user: Registered = o.existing ?? { id: '', email, username: '', password: PASSWORD, body: {} };
  const auth = (await session(t, user)).auth;
  const me = await t.http().get('/api/v1/me').set(auth);
  return { ...user, id: me.body.id as string, auth };
}

/** The token of the latest judge invitation emailed to `email`. */
export async function invitationToken(t: TestApp, email: string): Promise<string> {
  const count = t.mail.to(email).filter((m) => /invited to judge/.test(m.subject)).length;
  const mail = await waitFor(() => t.mail.to(email).filter((m) => /invited to judge/.test(m.subject))[Math.max(0, count - 1)], 10_000, `an invitation to ${email}`);
  return tokenFrom(mail, 'judge-invitation');
}

/** Polls GET /jobs/:id until the job completes (throws if it fails); never sleeps a fixed time. */
export async function waitForJob(t: TestApp, auth: Record<string, string>, jobId: string, timeoutMs = 30_000): Promise<Record<string, any>> {
  return waitFor(
    async () => {
      const res = await t.http().get(`/api/v1/jobs/${jobId}`).set(auth);
      if (res.status !== 200) throw new Error(`GET /jobs/${jobId}: ${res.status} ${JSON.stringify(res.body)}`);
      if (res.body.state === 'failed') throw new Error(`job ${jobId} failed: ${res.body.failedReason}`);
      return res.body.state === 'completed' ? (res.body as Record<string, any>) : undefined;
    },
    timeoutMs,
    `job ${jobId}`,
  );
}

/**
 * Takes a competition past its deadline through a screening round (top `shortlistSize` shortlisted) and
 * a final to published results: every judge scores each queued entry `quality(title)` on every
 * criterion, and the final is confirmed as tallied.
 */
export async function judgeAndPublish(
  t: TestApp,
  organiser: Auth,
  competitionId: string,
  judges: Auth[],
  quality: (title: string) => number,
  shortlistSize: number,
  beforePublish: () => Promise<void> = async () => {},
): Promise<void> {
  for (const body of [{ kind: 'screening', name: 'Screening', shortlistSize }, { kind: 'final', name: 'Final' }]) {
    const round = await t.http().post(`/api/v1/competitions/${competitionId}/rounds`).set(organiser.auth).send(body).expect(201);
    await waitForJob(t, organiser.auth, (await t.http().post(`/api/v1/rounds/${round.body.id}/assign`).set(organiser.auth).expect(202)).body.jobId);
    for (const judge of judges) {
      const queue = await t.http().get('/api/v1/judge/assignments').query({ roundId: round.body.id, limit: 100 }).set(judge.auth).expect(200);
      for (const a of queue.body.items) {
        const q = quality(a.idea.title);
        await t.http()
          .put(`/api/v1/judge/assignments/${a.id}/score`)
          .set(judge.auth)
          .send({ scores: { innovation: q, impact: q, feasibility: q, digital: q, presentation: q }, feedback: 'Clear and well argued; test it with real users next.' })
          .expect(200);
      }
    }
    await waitForJob(t, organiser.auth, (await t.http().post(`/api/v1/rounds/${round.body.id}/close`).set(organiser.auth).expect(202)).body.jobId);
    if (body.kind === 'final') await t.http().post(`/api/v1/rounds/${round.body.id}/confirm`).set(organiser.auth).send({}).expect(200);
  }
  await beforePublish();
  await waitForJob(t, organiser.auth, (await t.http().post(`/api/v1/competitions/${competitionId}/results/publish`).set(organiser.auth).expect(202)).body.jobId);
}

/** Runs the daily scoring-reminder job now (at the test clock's time) and returns it once completed. */
export async function runReminders(t: TestApp) {
  const id = await t.app.get(JobQueue).enqueue('scoringReminders', {});
  return waitFor(
    async () => {
      const job = await t.app.get(JobStatusService).find(id);
      return job?.state === 'completed' ? job : undefined;
    },
    15_000,
    'the reminder job',
  );
}

/** Every key anywhere in a JSON value, paths included, for deny-list checks. */
export function keysOf(value: unknown, path = '$', out: string[] = []): string[] {
  if (Array.isArray(value)) value.forEach((v, i) => keysOf(v, `${path}[${i}]`, out));
  else if (value && typeof value === 'object')
    for (const [k, v] of Object.entries(value)) {
      out.push(k);
      keysOf(v, `${path}.${k}`, out);
    }
  return out;
}

/** Keys that would identify a person, their school or place, or another judge's view (SPEC §2.4). */
export const BLIND_DENY_LIST = [
  'firstName',
  'lastName',
  'displayName',
  'displayNames',
  'name',
  'username',
  'email',
  'school',
  'schoolId',
  'schoolName',
  'urn',
  'region',
  'members',
  'memberIds',
  'ownerId',
  'userId',
  'judgeId',
  'judges',
  'ideaId',
  'dateOfBirth',
  'postcode',
  'adjustedScore',
  'rawMean',
  'severity',
];

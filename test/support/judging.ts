import { randomBytes } from 'node:crypto';
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

import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { getQueueToken } from '@nestjs/bullmq';
import type { Queue } from 'bullmq';
import { QUEUES } from '@app/platform';
import { NotificationsService } from '@app/notifications';
import { startTestApp, type TestApp } from './support/test-app.js';
import { register, session } from './support/builders.js';
import { waitFor } from './support/mail-capture.js';

let t: TestApp;
let notifications: Queue;
beforeAll(async () => {
  t = await startTestApp();
  notifications = t.app.get<Queue>(getQueueToken(QUEUES.notifications), { strict: false });
});
afterAll(async () => {
  await t?.close();
});

const jobIdOf = async (notificationId: string): Promise<string> =>
  waitFor(async () => (await t.db.query(`SELECT id FROM outbox WHERE data->>'notificationId' = $1`, [notificationId]))[0]?.id, 10_000, 'its outbox row');

describe('email delivery (SPEC §2.6)', () => {
  it('a job finding the send lease of an attempt that died waits for the lease to end, then sends, instead of completing unsent', async () => {
    const email = `lease-${Date.now()}@example.com`;
    const id = await t.db.transaction(async (m) => {
      const nid = await t.app.get(NotificationsService).notify(m, { template: 'password-changed', email, data: { firstName: 'Sam' } });
      // As if a worker had leased it and died inside SMTP: the lease outlives it.
      await m.query(`UPDATE notification SET sending_until = now() + interval '2 seconds', attempts = 1 WHERE id = $1`, [nid]);
      return nid!;
    });
    const jobId = await jobIdOf(id);
    await waitFor(async () => (await notifications.getJobState(jobId)) === 'delayed', 10_000, 'the job to wait for the lease');
    expect(t.mail.to(email)).toHaveLength(0);
    await t.mail.waitFor(email, () => true, 15_000);
    await waitFor(async () => (await notifications.getJobState(jobId)) === 'completed', 10_000, 'the job to complete');
    expect((await notifications.getJob(jobId))?.returnvalue).toBe('sent');
    const [row] = await t.db.query(`SELECT sent_at FROM notification WHERE id = $1`, [id]);
    expect(row.sent_at).not.toBeNull();
    expect(t.mail.to(email)).toHaveLength(1);
  }, 30_000);

  it('a permanent refusal (550) fails at once, keeps only the reply code, never the address; erasure clears it and the sweep leaves it', async () => {
    const email = `pupil.khan.${Date.now()}@example.com`;
    t.mail.unknownRecipients.add(email);
    const user = await register(t, { email });
    const row = await waitFor(
      async () => (await t.db.query(`SELECT id, last_error, attempts FROM notification WHERE user_id = $1 AND last_error IS NOT NULL`, [user.id]))[0],
      15_000,
      'the refusal',
    );
    expect(row.last_error).toBe('SMTP 550');
    const jobId = await jobIdOf(row.id);
    await waitFor(async () => (await notifications.getJobState(jobId)) === 'failed', 10_000, 'the job to fail');
    const job = (await notifications.getJob(jobId))!;
    expect(job.attemptsMade).toBe(1);
    expect(job.failedReason).toBe('SMTP 550');
    expect(JSON.stringify(job.stacktrace)).not.toContain('pupil.khan');

    await t.db.query(`UPDATE notification SET created_at = now() - interval '1 hour' WHERE id = $1`, [row.id]);
    await t.app.get(NotificationsService).requeueUnsent();
    const [{ count }] = await t.db.query(`SELECT count(*)::int AS count FROM outbox WHERE data->>'notificationId' = $1`, [row.id]);
    expect(count).toBe(1);

    const s = await session(t, user);
    await t.http().delete('/api/v1/me').set(s.auth).send({ password: user.password }).expect(204);
    const [after] = await t.db.query(`SELECT email, last_error FROM notification WHERE id = $1`, [row.id]);
    expect(after).toEqual({ email: null, last_error: null });
  }, 30_000);

  it('transactional emails (a password reset) are queued ahead of bulk ones (results)', async () => {
    const user = await register(t, { email: `priority-${Date.now()}@example.com` });
    const [bulk] = await t.db.transaction((m) =>
      t.app.get(NotificationsService).notifyMany(m, [
        { template: 'results-entrant', email: `bulk-${Date.now()}@example.com`, data: { firstName: 'X', competitionTitle: 'C', ideaId: 'x' } },
      ]),
    );
    const [{ id: verification }] = await t.db.query(`SELECT id FROM notification WHERE user_id = $1 AND template = 'verify-email'`, [user.id]);
    const priorityOf = async (nid: string) => (await waitFor(async () => notifications.getJob(await jobIdOf(nid)), 10_000, 'the job'))!.opts.priority;
    expect(await priorityOf(verification)).toBe(1);
    expect(await priorityOf(bulk)).toBe(10);
  });

  it('scheduled jobs are removed after a while like every other job, not kept in Redis for ever', async () => {
    const maintenance = t.app.get<Queue>(getQueueToken(QUEUES.maintenance), { strict: false });
    const judging = t.app.get<Queue>(getQueueToken(QUEUES.judging), { strict: false });
    for (const [queue, key] of [
      [maintenance, 'prune-outbox'],
      [maintenance, 'prune-idempotency'],
      [maintenance, 'requeue-unsent-notifications'],
      [maintenance, 'retention-sweep'],
      [judging, 'scoring-reminders'],
    ] as const) {
      const scheduler = await queue.getJobScheduler(key);
      expect(scheduler?.template?.opts).toMatchObject({ removeOnComplete: expect.anything(), removeOnFail: expect.anything() });
    }
  });
});

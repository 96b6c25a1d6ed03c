import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { getQueueToken } from '@nestjs/bullmq';
import type { Job, Queue } from 'bullmq';
import { DEFAULT_JOB_OPTIONS, QUEUES } from '@app/platform';
import { MaintenanceProcessor } from '../apps/worker/src/maintenance/maintenance.processor.js';
import { startTestApp, type TestApp } from './support/test-app.js';
import { register } from './support/builders.js';
import { waitFor } from './support/mail-capture.js';

describe('an SMTP outage longer than the delivery retries (SPEC §2.6)', () => {
  let t: TestApp;
  beforeAll(async () => {
    // The production budget (attempts × exponential backoff) scaled down to seconds; this file's module registry only.
    Object.assign(DEFAULT_JOB_OPTIONS, { attempts: 2, backoff: { type: 'exponential', delay: 100 } });
    t = await startTestApp();
  });
  afterAll(async () => {
    await t?.close();
  });

  it('the hourly sweep queues the email again once its job has failed for good; it is sent once, and not queued twice', async () => {
    const notifications = t.app.get<Queue>(getQueueToken(QUEUES.notifications), { strict: false });
    const sweep = () => t.worker!.get(MaintenanceProcessor).process({ name: 'requeue-unsent-notifications' } as Job) as Promise<{ requeued: number }>;
    t.mail.refusing = true;
    const user = await register(t, { email: `long-outage-${Date.now()}@example.com` });
    const [{ id }] = await t.db.query(`SELECT id FROM notification WHERE user_id = $1`, [user.id]);
    const jobId = await waitFor(async () => (await t.db.query(`SELECT id FROM outbox WHERE data->>'notificationId' = $1`, [id]))[0]?.id, 10_000, 'the job');
    await waitFor(async () => (await notifications.getJobState(jobId)) === 'failed', 15_000, 'the job to run out of attempts');
    expect((await t.db.query(`SELECT last_error FROM notification WHERE id = $1`, [id]))[0].last_error).toBe('SMTP 451');

    expect(await sweep()).toEqual({ requeued: 0 }); // too recent: its job may still be retrying
    await t.db.query(`UPDATE notification SET created_at = now() - interval '1 hour' WHERE id = $1`, [id]);
    t.mail.refusing = false;
    expect(await sweep()).toEqual({ requeued: 1 });
    expect(await sweep()).toEqual({ requeued: 0 }); // its new job is live (or done)
    await t.mail.waitFor(user.email!, () => true, 15_000);
    await waitFor(async () => (await t.db.query(`SELECT sent_at FROM notification WHERE id = $1`, [id]))[0].sent_at, 10_000, 'the delivery to be recorded');
    expect(await sweep()).toEqual({ requeued: 0 });
    expect(t.mail.to(user.email!)).toHaveLength(1);
  }, 60_000);
});

import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { DataSource } from 'typeorm';
import { createDataSource } from '../../../../apps/cli/src/data-source.js';
import { testConfig } from '../../../../test/support/test-env.js';
import type { JobQueue } from '../queue/job-queue.js';
import { OutboxService } from './outbox.service.js';

describe('outbox relay (real PostgreSQL)', () => {
  let ds: DataSource;
  const enqueued: { queue: string; jobId: string }[] = [];
  const jobs = { enqueueBulk: async (queue: string, list: { jobId: string }[]) => void enqueued.push(...list.map((j) => ({ queue, jobId: j.jobId }))) };
  let outbox: OutboxService;
  beforeAll(async () => {
    ds = await createDataSource((await testConfig()).db.url).initialize();
    outbox = new OutboxService(ds, jobs as unknown as JobQueue);
  });
  afterAll(async () => {
    await ds?.destroy();
  });

  it('leaves rows naming a job this version does not know (a newer one, mid-deploy) to a newer relay, without stalling later rows', async () => {
    await ds.query(`INSERT INTO outbox (job, data, created_at) SELECT 'fromTheFuture', '{}', now() - interval '1 hour' FROM generate_series(1, 3)`);
    const known = await ds.transaction((m) => outbox.add(m, 'deliverNotification', { notificationId: '00000000-0000-4000-8000-000000000001' }));

    expect(await outbox.relayBatch(3)).toBe(1);
    expect(enqueued).toEqual([{ queue: 'notifications', jobId: known }]);
    const pending: { job: string }[] = await ds.query(`SELECT job FROM outbox WHERE relayed_at IS NULL`);
    expect(pending.map((r) => r.job)).toEqual(['fromTheFuture', 'fromTheFuture', 'fromTheFuture']);
    expect(await outbox.relayBatch(3)).toBe(0);
  });
});

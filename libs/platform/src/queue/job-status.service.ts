import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Job } from 'bullmq';
import { DataSource, type EntityManager } from 'typeorm';
import { isUuid } from '../ids.js';
import { JOBS, QUEUES, isJobKey } from './jobs.js';
import { JobQueue } from './job-queue.js';

export type JobState = 'waiting' | 'active' | 'completed' | 'failed' | 'delayed';

/** A job as `GET /jobs/:id` shows it (SPEC §3), plus who asked for it (never shown). */
export interface JobStatus {
  id: string;
  name: string;
  state: JobState;
  progress: number | string | boolean | object;
  result: unknown;
  failedReason: string | null;
  /** `data.requestedBy` of the job, when a person started it. */
  requestedBy: string | null;
}

const STATE: Record<string, JobState> = {
  waiting: 'waiting',
  'waiting-children': 'waiting',
  prioritized: 'waiting',
  active: 'active',
  completed: 'completed',
  failed: 'failed',
  delayed: 'delayed',
};

/**
 * Looks a job up by id in every queue, and in the outbox before the relay has moved it (a job
 * written to the outbox with its change is `waiting` from the moment the change commits).
 */
@Injectable()
export class JobStatusService {
  constructor(
    private readonly jobs: JobQueue,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {}

  async find(id: string, manager: EntityManager = this.dataSource.manager): Promise<JobStatus | null> {
    const queued = await this.fromQueues(id);
    if (queued || !isUuid(id)) return queued; // outbox ids are UUIDs; any other id is only ever a queue's
    const [row] = (await manager.query(`SELECT job, data, relayed_at FROM outbox WHERE id = $1`, [id])) as {
      job: string;
      data: { requestedBy?: unknown };
      relayed_at: Date | null;
    }[];
    if (!row || !isJobKey(row.job)) return null;
    // Relayed meanwhile (between the two look-ups): BullMQ has it now.
    if (row.relayed_at) return this.fromQueues(id);
    return {
      id,
      name: JOBS[row.job].name,
      state: 'waiting',
      progress: 0,
      result: null,
      failedReason: null,
      requestedBy: typeof row.data?.requestedBy === 'string' ? row.data.requestedBy : null,
    };
  }

  private async fromQueues(id: string): Promise<JobStatus | null> {
    for (const name of Object.values(QUEUES)) {
      const queue = this.jobs.queue(name);
      // The state first: read after the job, it could say "completed" beside a job read while still
      // active (no result yet). Completed and failed are final, so the job read next carries its result.
      const raw = await queue.getJobState(id);
      if (raw === 'unknown') continue;
      const job = (await queue.getJob(id)) as Job | undefined;
      if (!job) continue;
      const state = STATE[raw] ?? 'waiting';
      const data = job.data as { requestedBy?: unknown } | undefined;
      return {
        id,
        name: job.name,
        state,
        progress: job.progress ?? 0,
        result: job.returnvalue ?? null,
        failedReason: state === 'failed' ? (job.failedReason ?? null) : null,
        requestedBy: typeof data?.requestedBy === 'string' ? data.requestedBy : null,
      };
    }
    return null;
  }
}

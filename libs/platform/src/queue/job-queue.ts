import { Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { getQueueToken } from '@nestjs/bullmq';
import type { JobsOptions, Queue } from 'bullmq';
import { JOBS, QUEUES, type JobData, type JobKey, type QueueName } from './jobs.js';

/** Retention and retry policy every job shares unless a producer says otherwise. */
export const DEFAULT_JOB_OPTIONS: JobsOptions = {
  attempts: 10,
  backoff: { type: 'exponential', delay: 2000 },
  removeOnComplete: { age: 24 * 3600, count: 10_000 },
  removeOnFail: { age: 14 * 24 * 3600 },
};

/** Retention for the jobs a scheduler repeats: they are not added through JobQueue, and would otherwise be kept for ever. */
export const SCHEDULED_JOB_OPTIONS: JobsOptions = {
  removeOnComplete: DEFAULT_JOB_OPTIONS.removeOnComplete,
  removeOnFail: DEFAULT_JOB_OPTIONS.removeOnFail,
};

/** The options a job's payload asks for (see JobData): only a priority. */
function payloadOptions(data: unknown): JobsOptions {
  const priority = (data as { priority?: unknown } | null | undefined)?.priority;
  return typeof priority === 'number' ? { priority } : {};
}

/** Typed producer facade: the only way code enqueues a job. */
@Injectable()
export class JobQueue implements OnModuleInit {
  private readonly logger = new Logger(JobQueue.name);

  constructor(private readonly moduleRef: ModuleRef) {}

  /** Connection errors are logged (BullMQ would otherwise print them to stderr); ioredis reconnects. */
  onModuleInit(): void {
    for (const name of Object.values(QUEUES)) {
      this.queue(name).on('error', (error) => this.logger.warn({ err: error, queue: name }, 'queue connection error'));
    }
  }

  queue(name: QueueName): Queue {
    return this.moduleRef.get<Queue>(getQueueToken(name), { strict: false });
  }

  async enqueue<K extends JobKey>(job: K, data: JobData[K], options: JobsOptions = {}): Promise<string> {
    const { queue, name } = JOBS[job];
    const added = await this.queue(queue).add(name, data, { ...DEFAULT_JOB_OPTIONS, ...payloadOptions(data), ...options });
    return added.id!;
  }

  /** Adds many jobs of one queue in one round trip (outbox relay). */
  async enqueueBulk(queue: QueueName, jobs: { name: string; data: unknown; jobId: string }[]): Promise<void> {
    if (!jobs.length) return;
    await this.queue(queue).addBulk(
      jobs.map((j) => ({ name: j.name, data: j.data, opts: { ...DEFAULT_JOB_OPTIONS, ...payloadOptions(j.data), jobId: j.jobId } })),
    );
  }
}

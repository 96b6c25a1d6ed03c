import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { JOBS, type JobData, type JobKey, type QueueName } from '../queue/jobs.js';
import { JobQueue } from '../queue/job-queue.js';
import { OutboxMessage } from './outbox-message.entity.js';

/**
 * The transactional outbox (GUIDE practice 5). `add` joins the caller's transaction; `relayBatch`
 * moves committed rows to BullMQ with the outbox id as jobId, so a row relayed twice is one job.
 */
@Injectable()
export class OutboxService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly jobs: JobQueue,
  ) {}

  async add<K extends JobKey>(manager: EntityManager, job: K, data: JobData[K]): Promise<string> {
    const row = await manager.getRepository(OutboxMessage).insert({ job, data: data as object });
    return row.identifiers[0].id as string;
  }

  async addMany<K extends JobKey>(manager: EntityManager, job: K, items: JobData[K][]): Promise<void> {
    if (!items.length) return;
    await manager.getRepository(OutboxMessage).insert(items.map((data) => ({ job, data: data as object })));
  }

  /**
   * Relays up to `limit` committed rows; returns how many. Safe with any number of relays at once.
   * Only jobs this version knows are selected: during a rolling deploy a newer version's rows wait for a newer
   * relay, rather than being re-read on every tick and, 500 of them at the head, stalling everything behind them.
   */
  async relayBatch(limit = 500): Promise<number> {
    return this.dataSource.transaction(async (manager) => {
      const rows: { id: string; job: JobKey; data: unknown }[] = await manager.query(
        `SELECT id, job, data FROM outbox WHERE relayed_at IS NULL AND job = ANY($2::text[])
          ORDER BY created_at LIMIT $1 FOR UPDATE SKIP LOCKED`,
        [limit, Object.keys(JOBS)],
      );
      if (!rows.length) return 0;
      const byQueue = new Map<QueueName, { name: string; data: unknown; jobId: string }[]>();
      for (const row of rows) {
        const { queue, name } = JOBS[row.job];
        const list = byQueue.get(queue) ?? [];
        list.push({ name, data: row.data, jobId: row.id });
        byQueue.set(queue, list);
      }
      for (const [queue, jobs] of byQueue) await this.jobs.enqueueBulk(queue, jobs);
      const relayed = [...byQueue.values()].flat().map((j) => j.jobId);
      await manager.query(`UPDATE outbox SET relayed_at = now() WHERE id = ANY($1::uuid[])`, [relayed]);
      return relayed.length;
    });
  }

  /** Removes relayed rows older than `days`. */
  async prune(days = 7): Promise<number> {
    const res = await this.dataSource.query(
      `DELETE FROM outbox WHERE relayed_at < now() - make_interval(days => $1)`,
      [days],
    );
    return (res as [unknown, number])[1] ?? 0;
  }

  async pendingCount(): Promise<number> {
    const [{ count }] = await this.dataSource.query(`SELECT count(*)::int AS count FROM outbox WHERE relayed_at IS NULL`);
    return count;
  }
}

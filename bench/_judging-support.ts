// Helpers shared by the judging benchmarks (bench/judging-tally.ts, bench/judging-assignment.ts): a
// throwaway migrated database, a Redis key prefix of its own, the real worker as a child process
// (so its peak RSS is its own), and polling without fixed sleeps.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { Redis } from 'ioredis';
import { Queue } from 'bullmq';
import type { DataSource } from 'typeorm';
import { createDataSource, migrate } from '../apps/cli/src/data-source.js';

const ADMIN_URL = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const REDIS_URL = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379';

export interface BenchEnv {
  name: string;
  url: string;
  redisPrefix: string;
  ds: DataSource;
  drop: () => Promise<void>;
}

/** A fresh, migrated database and a Redis prefix, both removed by `drop`. */
export async function throwawayEnv(label: string): Promise<BenchEnv> {
  const name = `yi_bench_${label}_${randomBytes(3).toString('hex')}`;
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  await migrate(url.toString());
  const ds = await createDataSource(url.toString()).initialize();
  return {
    name,
    url: url.toString(),
    redisPrefix: name,
    ds,
    drop: async () => {
      await ds.destroy();
      const admin = new pg.Client({ connectionString: ADMIN_URL });
      await admin.connect();
      await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await admin.end();
      const redis = new Redis(REDIS_URL);
      let cursor = '0';
      do {
        const [next, keys] = await redis.scan(cursor, 'MATCH', `${name}*`, 'COUNT', 1000);
        if (keys.length) await redis.unlink(...keys);
        cursor = next;
      } while (cursor !== '0');
      redis.disconnect();
    },
  };
}

export interface WorkerProcess {
  child: ChildProcess;
  /** Peak resident set size so far (VmHWM), in MB. */
  peakRssMb: () => number;
  stop: () => Promise<void>;
}

/** The real worker (dist/apps/worker/src/main.js) on the throwaway database and Redis prefix. */
export function startWorker(env: BenchEnv): WorkerProcess {
  const main = fileURLToPath(new URL('../apps/worker/src/main.js', import.meta.url));
  const child = spawn(process.execPath, [main], {
    env: { ...process.env, DATABASE_URL: env.url, REDIS_URL, REDIS_PREFIX: env.redisPrefix, LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'warn', NODE_ENV: 'development' },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  return {
    child,
    peakRssMb: () => {
      const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
      const kb = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0);
      return kb / 1024;
    },
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

/** Polls `probe` every 50 ms until it returns a value (no fixed sleeps); throws after `timeoutMs`. */
export async function until<T>(probe: () => Promise<T | undefined | null | false>, timeoutMs: number, what: string): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** `--name value` or `--name=value` as a positive integer, or the fallback. */
export function intOption(args: readonly string[], name: string, fallback: number): number {
  const i = args.findIndex((a) => a === `--${name}` || a.startsWith(`--${name}=`));
  if (i < 0) return fallback;
  const raw = args[i].includes('=') ? args[i].slice(args[i].indexOf('=') + 1) : args[i + 1];
  const v = Number(raw);
  if (!Number.isInteger(v) || v < 1) throw new Error(`--${name} must be a positive integer (got ${raw})`);
  return v;
}

export const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

/** The return value of a finished job of the worker (BullMQ, on the env's prefix), polled until it is there. */
export async function jobResult(env: BenchEnv, queue: string, jobId: string): Promise<unknown> {
  const q = new Queue(queue, { connection: { url: REDIS_URL } as never, prefix: `${env.redisPrefix}:bull` });
  try {
    return await until(
      async () => {
        const job = await q.getJob(jobId);
        return job?.finishedOn ? { value: job.returnvalue } : undefined;
      },
      60_000,
      `job ${jobId}`,
    ).then((r) => r.value);
  } finally {
    await q.close();
  }
}

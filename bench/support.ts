// Shared helpers of the benchmarks in bench/ (a helper, not a benchmark: bench/run.mjs skips it).
import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { Redis } from 'ioredis';
import { Agent, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { getDataSourceToken } from '@nestjs/typeorm';
import { createApiApp } from '../apps/api/src/app.factory.js';
import pg from 'pg';
import type { DataSource } from 'typeorm';
import { AppConfig, redisOptions } from '@app/platform';
import { migrate } from '../apps/cli/src/data-source.js';

const ADMIN_DATABASE_URL = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const REDIS_URL = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379';

const benchMailDir = (name: string) => `var/bench-mail/${name}`;

export interface BenchEnvironment {
  /** yi_bench_<random>: the database name and the Redis key prefix. */
  name: string;
  config: AppConfig;
  /** Drops the database, deletes the Redis keys and the mail directory; safe to call twice. */
  cleanup: () => Promise<void>;
}

/**
 * A throwaway, migrated database and Redis prefix, with development defaults (secrets generated and
 * kept in the database), silent logs and emails written as files. The process environment is not
 * read, so SMTP_URL and the like never leak in; pass `overrides` for what a benchmark needs.
 */
export async function createBenchEnvironment(overrides: Record<string, string> = {}): Promise<BenchEnvironment> {
  const name = `yi_bench_${randomBytes(4).toString('hex')}`;
  const url = new URL(ADMIN_DATABASE_URL);
  url.pathname = `/${name}`;
  const config = AppConfig.load({
    NODE_ENV: 'development',
    DATABASE_URL: url.toString(),
    REDIS_URL,
    REDIS_PREFIX: name,
    LOG_LEVEL: 'silent',
    MAIL_DIR: benchMailDir(name),
    ...overrides,
  });
  const cleanup = () => dropBenchEnvironment(name, config);
  try {
    await migrate(config.db.url);
  } catch (e) {
    await cleanup();
    throw e;
  }
  return { name, config, cleanup };
}

/** Runs `fn` on a fresh environment and removes the environment afterwards, even when `fn` fails. */
export async function withBenchEnvironment<T>(
  fn: (env: BenchEnvironment) => Promise<T>,
  overrides: Record<string, string> = {},
): Promise<T> {
  const env = await createBenchEnvironment(overrides);
  try {
    return await fn(env);
  } finally {
    await env.cleanup();
  }
}

async function dropBenchEnvironment(name: string, config: AppConfig): Promise<void> {
  if (!name.startsWith('yi_bench_')) throw new Error(`refusing to drop ${name}`);
  const client = new pg.Client({ connectionString: ADMIN_DATABASE_URL });
  await client.connect();
  try {
    // A closed pg pool resolves before its connections are gone: give them a moment to leave, so FORCE
    // only ends what is really left behind (and the app's pool logs no "terminating connection").
    const deadline = Date.now() + 2000;
    while (Date.now() < deadline) {
      const { rows } = await client.query(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = $1`, [name]);
      if (rows[0].n === 0) break;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  } finally {
    await client.end();
  }
  const redis = new Redis(redisOptions(config.redis.url));
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${name}*`, 'COUNT', 1000);
      if (keys.length) await redis.unlink(...keys);
      cursor = next;
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
  await rm(benchMailDir(name), { recursive: true, force: true });
}

// ---------------------------------------------------------------------------------------------------
// Figures

export interface Summary {
  count: number;
  min: number;
  mean: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

/** Nearest-rank percentile (p in 0–100) of unsorted values. */
export function percentile(values: readonly number[], p: number): number {
  if (!values.length) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))];
}

export function summarise(values: readonly number[]): Summary {
  const sum = values.reduce((a, b) => a + b, 0);
  return {
    count: values.length,
    min: values.length ? Math.min(...values) : NaN,
    mean: values.length ? sum / values.length : NaN,
    p50: percentile(values, 50),
    p95: percentile(values, 95),
    p99: percentile(values, 99),
    max: values.length ? Math.max(...values) : NaN,
  };
}

/** "12.3 / 45.6 / 78.9" for p50 / p95 / p99. */
export const formatPercentiles = (s: Pick<Summary, 'p50' | 'p95' | 'p99'>, digits = 1): string =>
  [s.p50, s.p95, s.p99].map((v) => v.toFixed(digits)).join(' / ');

/** Rounds every number in a figures object (deeply) so the printed JSON stays readable. */
export function rounded<T>(value: T, digits = 3): T {
  if (typeof value === 'number') return (Number.isFinite(value) ? Number(value.toFixed(digits)) : value) as T;
  if (Array.isArray(value)) return value.map((v) => rounded(v, digits)) as T;
  if (value && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, rounded(v, digits)])) as T;
  return value;
}

/** Runs `fn` and measures it in milliseconds. */
export async function timed<T>(fn: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const start = performance.now();
  const value = await fn();
  return { value, ms: performance.now() - start };
}

export const perSecond = (count: number, ms: number): number => (count * 1000) / ms;

/**
 * Event-loop lag while a piece of work runs. The histogram records the time between ticks of a
 * `resolutionMs` timer, so the lag is that time minus the resolution.
 */
export interface LoopFigures {
  /** Lag in ms. */
  lag: Pick<Summary, 'mean' | 'p50' | 'p99' | 'max'>;
  /** Share of the wall time the event loop was busy running JavaScript (0–1). */
  utilisation: number;
  /** CPU time of the whole process (main thread and libuv's pool) over wall time, in cores. */
  processCores: number;
  /** CPU time of the main (event-loop) thread in ms; undefined where /proc is missing. */
  mainThreadCpuMs: number | undefined;
  /** Busy CPU of the whole machine over wall time, in cores (anyone's work: compare with processCores). */
  machineCores: number | undefined;
  wallMs: number;
}

/**
 * Watches the event loop (and the process's CPU) while a piece of work runs. The lag histogram records
 * the time between ticks of a `resolutionMs` timer, so the lag is that time minus the resolution.
 */
export function watchEventLoop(resolutionMs = 10): { stop: () => LoopFigures } {
  const histogram = monitorEventLoopDelay({ resolution: resolutionMs });
  const elu = performance.eventLoopUtilization();
  const cpu = process.cpuUsage();
  const mainCpu = mainThreadCpuMs();
  const machineCpu = machineBusyCpuMs();
  const start = performance.now();
  histogram.enable();
  const lag = (ns: number) => Math.max(0, ns / 1e6 - resolutionMs);
  return {
    stop: () => {
      histogram.disable();
      const { user, system } = process.cpuUsage(cpu);
      const wallMs = performance.now() - start;
      const mainNow = mainThreadCpuMs();
      const machineNow = machineBusyCpuMs();
      return {
        lag: { mean: lag(histogram.mean), p50: lag(histogram.percentile(50)), p99: lag(histogram.percentile(99)), max: lag(histogram.max) },
        utilisation: performance.eventLoopUtilization(elu).utilization,
        processCores: (user + system) / 1000 / wallMs,
        mainThreadCpuMs: mainNow === undefined || mainCpu === undefined ? undefined : mainNow - mainCpu,
        machineCores: machineNow === undefined || machineCpu === undefined ? undefined : (machineNow - machineCpu) / wallMs,
        wallMs,
      };
    },
  };
}

// ---------------------------------------------------------------------------------------------------
// CPU time from Linux's /proc (undefined elsewhere): where the cores went during a piece of work.

const CLOCK_TICKS_PER_SECOND = 100; // USER_HZ, 100 on every Linux of note

/** utime + stime in ms of /proc/<pid>/stat or /proc/<pid>/task/<tid>/stat. */
function procCpuMs(statPath: string): number | undefined {
  try {
    const stat = readFileSync(statPath, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' '); // fields from the 3rd (state) on
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS_PER_SECOND;
  } catch {
    return undefined;
  }
}

/** Busy CPU time of all cores of the machine since boot (everything but idle and iowait), in ms. */
function machineBusyCpuMs(): number | undefined {
  try {
    const [, ...ticks] = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).map(Number);
    const busy = ticks.slice(0, 8).reduce((a, b) => a + b, 0) - ticks[3] - ticks[4]; // user … steal, less idle, iowait
    return (busy * 1000) / CLOCK_TICKS_PER_SECOND;
  } catch {
    return undefined;
  }
}

/** CPU time of this process's main thread (the event loop), in ms. */
export const mainThreadCpuMs = (): number | undefined => procCpuMs(`/proc/self/task/${process.pid}/stat`);

/**
 * CPU time (ms) so far of each PostgreSQL backend serving `db`'s database, by pid; empty unless
 * PostgreSQL runs on this machine. Compare two snapshots with `cpuSpentMs`.
 */
export async function postgresBackendsCpu(db: DataSource, config: AppConfig): Promise<Map<number, number>> {
  const cpu = new Map<number, number>();
  if (!['127.0.0.1', 'localhost', '[::1]'].includes(new URL(config.db.url).hostname)) return cpu;
  const rows = (await db.query(`SELECT pid FROM pg_stat_activity WHERE datname = current_database()`)) as { pid: number }[];
  for (const { pid } of rows) {
    const ms = procCpuMs(`/proc/${pid}/stat`);
    if (ms !== undefined && readFileSync(`/proc/${pid}/comm`, 'utf8').trim() === 'postgres') cpu.set(pid, ms);
  }
  return cpu;
}

/** CPU spent between two snapshots (processes that appeared in between count from zero). */
export function cpuSpentMs(before: Map<number, number>, after: Map<number, number>): number {
  let spent = 0;
  for (const [pid, ms] of after) spent += ms - (before.get(pid) ?? 0);
  return spent;
}

/** What the figures depend on: cores, libuv's thread pool, Node. */
export function machine(): { cores: number; uvThreadpoolSize: number; uvThreadpoolSizeSource: string; node: string } {
  const configured = Number(process.env.UV_THREADPOOL_SIZE);
  const valid = Number.isInteger(configured) && configured > 0;
  return {
    cores: availableParallelism(),
    uvThreadpoolSize: valid ? Math.min(configured, 1024) : 4,
    uvThreadpoolSizeSource: valid ? 'UV_THREADPOOL_SIZE' : 'libuv default (UV_THREADPOOL_SIZE unset)',
    node: process.version,
  };
}

/** Prints a two-column table of labelled results, then the figures as one line of JSON. */
export function printResults(title: string, rows: [label: string, value: string][], figures: object): void {
  const width = Math.max(...rows.map(([label]) => label.length));
  console.log(`\n${title}`);
  console.log('-'.repeat(title.length));
  for (const [label, value] of rows) console.log(`${label.padEnd(width)}  ${value}`);
  console.log(`\nfigures ${JSON.stringify(rounded(figures))}`);
}

/** A positive integer from `--name N` / `--name=N`, or `fallback`. */
export function intOption(args: readonly string[], name: string, fallback: number): number {
  const flag = `--${name}`;
  const i = args.findIndex((a) => a === flag || a.startsWith(`${flag}=`));
  if (i < 0) return fallback;
  const raw = args[i] === flag ? args[i + 1] : args[i].slice(flag.length + 1);
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1) throw new Error(`${flag} must be a positive integer (got ${raw})`);
  return value;
}

export interface Answer {
  status: number; // 0 when the request itself failed
  body: string;
  ms: number;
}

/** One JSON request over a keep-alive agent to the app under test (loopback only), timed. */
export function httpJson(agent: Agent, port: number, method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Answer> {
  const payload = body === undefined ? '' : JSON.stringify(body);
  const start = performance.now();
  return new Promise((resolve) => {
    const failed = (e: Error) => resolve({ status: 0, body: e.message, ms: performance.now() - start });
    const req = request(
      {
        agent,
        host: '127.0.0.1',
        port,
        path,
        method,
        headers: { ...(payload ? { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(payload) } : {}), ...headers },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('error', failed);
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8'), ms: performance.now() - start }));
      },
    );
    req.on('error', failed);
    req.end(payload);
  });
}

export interface BenchApi {
  app: NestExpressApplication;
  port: number;
  agent: Agent;
  db: DataSource;
  close: () => Promise<void>;
}

/** The real API, built as production builds it, listening on loopback, with a keep-alive client. */
export async function startBenchApi(config: AppConfig, maxSockets: number): Promise<BenchApi> {
  const app = await createApiApp(config);
  const agent = new Agent({ keepAlive: true, maxSockets });
  await app.listen(0, '127.0.0.1');
  const { port } = app.getHttpServer().address() as AddressInfo;
  return {
    app,
    port,
    agent,
    db: app.get<DataSource>(getDataSourceToken()),
    close: async () => {
      agent.destroy();
      await app.close();
    },
  };
}

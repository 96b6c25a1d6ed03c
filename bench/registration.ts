// Registration burst vs raw argon2id (issue "Foundation"): `npm run bench -- registration [--n 200] [--warmup 5]`.
//
// Boots the real API in-process as production does, on a throwaway database and Redis prefix, then
//  1. baseline: n argon2id hashes launched at once, with the app's own PasswordService (same parameters);
//  2. burst: n concurrent POST /api/v1/auth/register over real HTTP, watching the event loop meanwhile;
//  3. checks every registered user is in the database.
// The figure to watch is the ratio registrations/s ÷ hashes/s, both measured in this run.
import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { PasswordService } from '@app/identity';
import {
  cpuSpentMs,
  formatPercentiles,
  httpJson,
  intOption,
  machine,
  perSecond,
  postgresBackendsCpu,
  printResults,
  summarise,
  timed,
  watchEventLoop,
  startBenchApi,
  withBenchEnvironment,
} from './support.js';

const REGISTER = '/api/v1/auth/register';
const FIRST_NAMES = ['Amira', 'Oliver', 'Priya', 'Kwame', 'Sofia', 'Mateusz', 'Aisha', 'Callum', 'Zara', 'Niamh', 'Dylan', 'Yusuf'];
const LAST_NAMES = ['Khan', 'Smith', 'Patel', 'Mensah', 'Rossi', 'Nowak', 'Okoro', 'Reid', 'Jones', 'Wu'];

/** YYYY-MM-DD of someone who is 15 today (a month past their birthday, whatever the time zone). */
function fifteenYearsAgo(now = new Date()): string {
  return new Date(Date.UTC(now.getUTCFullYear() - 15, now.getUTCMonth(), now.getUTCDate() - 30)).toISOString().slice(0, 10);
}

function entrant(run: string, label: string, i: number, dateOfBirth: string) {
  return {
    accountType: 'entrant',
    email: `bench-${run}-${label}${i}@example.com`,
    password: `amber-tugboat-${run}-${i}`,
    firstName: FIRST_NAMES[i % FIRST_NAMES.length],
    lastName: LAST_NAMES[Math.floor(i / FIRST_NAMES.length) % LAST_NAMES.length],
    dateOfBirth,
    region: 'london',
  };
}

export async function main(args: string[]): Promise<number> {
  const n = intOption(args, 'n', 200);
  const warmup = intOption(args, 'warmup', 5);
  const host = machine();
  console.log(
    `registration: ${n} concurrent registrations vs ${n} argon2id hashes ` +
      `(${host.cores} cores, libuv thread pool ${host.uvThreadpoolSize} from ${host.uvThreadpoolSizeSource}, Node ${host.node})`,
  );

  // Every request comes from 127.0.0.1, whereas a real burst comes from many addresses: lift the per-IP
  // limit so it does not refuse the burst (the guard and its Redis round trip still run).
  return withBenchEnvironment(
    async ({ name, config }) => {
      const api = await startBenchApi(config, n);
      const { app, port, agent, db } = api;
      try {
        const passwords = app.get(PasswordService);
        const run = name.slice('yi_bench_'.length);
        const dateOfBirth = fifteenYearsAgo();
        console.log(`API on 127.0.0.1:${port}, database ${name}, argon2id m=${config.auth.argon2MemoryKib} KiB t=2 p=1`);

        // Warm-up: JIT, the PostgreSQL pool and the keep-alive sockets (not counted).
        for (let i = 0; i < warmup; i++) {
          const answer = await httpJson(agent, port, 'POST', REGISTER, entrant(run, 'warmup', i, dateOfBirth));
          if (answer.status !== 201) throw new Error(`warm-up registration failed: ${answer.status} ${answer.body}`);
        }

        const baselineWatch = watchEventLoop(10);
        const baseline = await timed(() => Promise.all(Array.from({ length: n }, (_, i) => passwords.hash(`baseline-${run}-${i}`))));
        const baselineLoop = baselineWatch.stop();
        const hashesPerSecond = perSecond(n, baseline.ms);

        const bodies = Array.from({ length: n }, (_, i) => entrant(run, '', i, dateOfBirth));
        const postgresBefore = await postgresBackendsCpu(db, config);
        const burstWatch = watchEventLoop(10);
        const burst = await timed(() => Promise.all(bodies.map((body) => httpJson(agent, port, 'POST', REGISTER, body))));
        const loop = burstWatch.stop();
        const postgresMs = cpuSpentMs(postgresBefore, await postgresBackendsCpu(db, config));
        const lag = loop.lag;
        const registrationsPerSecond = perSecond(n, burst.ms);
        const latency = summarise(burst.value.map((a) => a.ms));
        const failures = burst.value.filter((a) => a.status !== 201);

        const [{ stored }] = (await db.query(`SELECT count(*)::int AS stored FROM users WHERE email = ANY($1)`, [
          bodies.map((b) => b.email),
        ])) as { stored: number }[];
        const [{ total }] = (await db.query(`SELECT count(*)::int AS total FROM users`)) as { total: number }[];

        const ratio = registrationsPerSecond / hashesPerSecond;
        // Where the CPU went, per operation (the event loop's share includes this benchmark's HTTP client).
        const hashCpuMs = (baselineLoop.processCores * baselineLoop.wallMs) / n;
        const processCpuMs = (loop.processCores * loop.wallMs) / n;
        const eventLoopCpuMs = loop.mainThreadCpuMs === undefined ? NaN : loop.mainThreadCpuMs / n;
        const cpuPerRegistration = {
          eventLoop: eventLoopCpuMs,
          otherThreads: processCpuMs - eventLoopCpuMs,
          postgres: postgresMs / n,
          total: processCpuMs + postgresMs / n,
        };
        // CPU the rest of the machine used meanwhile: anything well above zero disturbs the figures.
        const othersCores = (watched: typeof loop, ownMs: number) =>
          watched.machineCores === undefined ? NaN : watched.machineCores - ownMs / watched.wallMs;
        const others = {
          baseline: othersCores(baselineLoop, baselineLoop.processCores * baselineLoop.wallMs),
          burst: othersCores(loop, loop.processCores * loop.wallMs + postgresMs),
        };
        printResults(
          `Registration burst (n=${n})`,
          [
            ['argon2id hashes/s (baseline)', hashesPerSecond.toFixed(1)],
            ['registrations/s', registrationsPerSecond.toFixed(1)],
            ['ratio registrations/s ÷ hashes/s', ratio.toFixed(3)],
            ['latency p50 / p95 / p99 ms', formatPercentiles(latency)],
            ['latency max ms', latency.max.toFixed(1)],
            ['event-loop lag p50 / p99 / max ms', [lag.p50, lag.p99, lag.max].map((v) => v.toFixed(1)).join(' / ')],
            ['event-loop busy (burst)', `${(loop.utilisation * 100).toFixed(0)}%`],
            ['CPU of this process, cores (baseline / burst)', `${baselineLoop.processCores.toFixed(2)} / ${loop.processCores.toFixed(2)}`],
            ['CPU ms per bare hash', hashCpuMs.toFixed(1)],
            [
              'CPU ms per registration: loop + pool + PostgreSQL',
              `${cpuPerRegistration.eventLoop.toFixed(1)} + ${cpuPerRegistration.otherThreads.toFixed(1)} + ${cpuPerRegistration.postgres.toFixed(1)} = ${cpuPerRegistration.total.toFixed(1)}`,
            ],
            ['CPU of other processes, cores (baseline / burst)', `${others.baseline.toFixed(2)} / ${others.burst.toFixed(2)}`],
            ['non-201 answers', String(failures.length)],
            ['burst users in "users"', `${stored} of ${n} (table holds ${total}, incl. ${warmup} warm-up)`],
            ['UV_THREADPOOL_SIZE / cores', `${host.uvThreadpoolSize} (${host.uvThreadpoolSizeSource}) / ${host.cores}`],
          ],
          {
            benchmark: 'registration',
            n,
            warmup,
            ...host,
            argon2: {
              memoryKib: config.auth.argon2MemoryKib,
              timeCost: 2,
              parallelism: 1,
              ms: baseline.ms,
              hashesPerSecond,
              processCores: baselineLoop.processCores,
              cpuMsPerHash: hashCpuMs,
            },
            burst: { ms: burst.ms, registrationsPerSecond, latencyMs: latency, failures: failures.length, storedUsers: stored },
            eventLoopLagMs: lag,
            eventLoopUtilisation: loop.utilisation,
            burstProcessCores: loop.processCores,
            cpuMsPerRegistration: cpuPerRegistration,
            otherProcessesCores: others,
            ratio,
          },
        );
        console.log(
          `\nEach registration hashes its password once with argon2id on libuv's thread pool ` +
            `(${host.uvThreadpoolSize} threads sharing ${host.cores} cores), so that pool bounds registrations/s: ` +
            `the burst ran at ${(ratio * 100).toFixed(0)}% of raw hash throughput. With the cores busy, the rest goes to HTTP, ` +
            `Nest, TypeORM and PostgreSQL: a registration costs ${cpuPerRegistration.total.toFixed(1)} ms of CPU against ` +
            `${hashCpuMs.toFixed(1)} ms for the hash alone (ratio of the two: ${(hashCpuMs / cpuPerRegistration.total).toFixed(2)}). ` +
            `Try UV_THREADPOOL_SIZE=<threads> npm run bench -- registration to see its effect.`,
        );

        if (Math.max(others.baseline, others.burst) > 0.25)
          console.log(`Warning: other processes kept ${Math.max(others.baseline, others.burst).toFixed(2)} cores busy; rerun on a quiet machine.`);
        for (const f of failures.slice(0, 5)) console.error(`non-201: ${f.status} ${f.body.slice(0, 300)}`);
        if (failures.length || stored !== n) {
          console.error(`FAILED: ${failures.length} non-201 answers, ${stored} of ${n} users stored`);
          return 1;
        }
        return 0;
      } finally {
        await api.close();
      }
    },
    { RATE_LIMIT_IP_PER_MINUTE: '1000000' },
  );
}

// Public verification fetch throughput (issue 6): `npm run bench -- badge-verification [--credentials 200]
// [--connections 100] [--requests 20000] [--seconds 10] [--rounds 5] [--award-concurrency 8]`.
//
// Boots the real API (Nest, Express, every middleware and guard as production runs them) on a scratch
// database and Redis prefix, on loopback, and measures:
//  1. issuance: credentials through the real award path — POST /api/v1/badges/:id/awards as an organiser
//     (transaction, notifications, audit, status index allocation, eddsa-rdfc-2022 signature, storage),
//     one after another, then `--award-concurrency` in flight;
//  2. verification fetches: GET /ob/v3/credentials/:id over `--connections` keep-alive connections,
//     round-robin over the issued credentials, against a bare node:http server serving the same stored
//     JSON from a Map, in the same run, with the same load generator. Each phase is bounded by a request
//     count and a time limit, after a warm-up; every answer is checked (status and body length), so the
//     figures count only correct answers. The two servers are measured in alternation for `--rounds`
//     rounds, so a burst of load from elsewhere on a shared machine skews a round rather than a side; the
//     headline ratio compares each side's best round (the least disturbed, as timeit does), and the
//     medians are reported next to it.
// The load generator runs in a worker thread, so it does not share the event loop of the server under
// test. Per-IP rate limiting stays on, with a limit above what the run sends (RATE_LIMIT_IP_PER_MINUTE),
// so its Redis round trip is measured; request logging is at LOG_LEVEL=silent (a log destination's cost
// depends on the deployment).
import { once } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { availableParallelism } from 'node:os';
import type { EventLoopUtilization } from 'node:perf_hooks';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import pg from 'pg';
import { Redis } from 'ioredis';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { AccountsService } from '@app/identity';
import { AppConfig } from '@app/platform';
import { verifyCredential, createDocumentLoader } from '@app/badges';
import { createApiApp } from '../apps/api/src/app.factory.js';
import { migrate } from '../apps/cli/src/data-source.js';
import { tinyPng } from '../libs/badges/testing/open-badges-fixtures.js';

// ------------------------------------------------------------------------------------ small helpers

function intOption(args: readonly string[], name: string, fallback: number): number {
  const flag = `--${name}`;
  const i = args.findIndex((a) => a === flag || a.startsWith(`${flag}=`));
  if (i < 0) return fallback;
  const raw = args[i] === flag ? args[i + 1] : args[i].slice(flag.length + 1);
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1) throw new Error(`${flag} must be a positive integer (got ${raw})`);
  return value;
}

function percentile(sorted: readonly number[], p: number): number {
  if (!sorted.length) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

const round = (value: number, digits = 1): number => Number(value.toFixed(digits));

interface LoadResult {
  ok: number;
  failed: number;
  seconds: number;
  perSecond: number;
  latencyMs: { p50: number; p95: number; p99: number };
  /** Busy time of the server's event loop (this process's main thread) per answer, in microseconds. */
  serverMicrosPerRequest?: number;
}

interface LoadJob {
  port: number;
  paths: string[];
  /** Expected body length per path: an answer counts only when status is 200 and the length matches. */
  lengths: number[];
  connections: number;
  requests: number;
  seconds: number;
  warmup: number;
}

// ------------------------------------------------------------------------------------ load generator

/** Runs in the worker thread: `connections` loops on keep-alive sockets until the count or time is spent. */
async function generateLoad(job: LoadJob): Promise<LoadResult> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: job.connections, maxFreeSockets: job.connections });
  const fetchOnce = (i: number): Promise<{ ok: boolean; ms: number }> =>
    new Promise((resolve) => {
      const k = i % job.paths.length;
      const start = performance.now();
      const req = http.get({ host: '127.0.0.1', port: job.port, path: job.paths[k], agent }, (res) => {
        let length = 0;
        res.on('data', (chunk: Buffer) => (length += chunk.length));
        res.on('end', () => resolve({ ok: res.statusCode === 200 && length === job.lengths[k], ms: performance.now() - start }));
      });
      req.on('error', () => resolve({ ok: false, ms: performance.now() - start }));
    });

  const run = async (requests: number, seconds: number) => {
    let next = 0;
    let ok = 0;
    let failed = 0;
    const latencies: number[] = [];
    const deadline = performance.now() + seconds * 1000;
    const start = performance.now();
    await Promise.all(
      Array.from({ length: job.connections }, async () => {
        while (next < requests && performance.now() < deadline) {
          const result = await fetchOnce(next++);
          if (result.ok) ok++;
          else failed++;
          latencies.push(result.ms);
        }
      }),
    );
    const elapsed = (performance.now() - start) / 1000;
    latencies.sort((a, b) => a - b);
    return {
      ok,
      failed,
      seconds: round(elapsed, 2),
      perSecond: round(ok / elapsed),
      latencyMs: { p50: round(percentile(latencies, 50), 2), p95: round(percentile(latencies, 95), 2), p99: round(percentile(latencies, 99), 2) },
    };
  };

  await run(job.warmup, 5); // JIT, connection set-up, caches
  parentPort?.postMessage({ measuring: true });
  const result = await run(job.requests, job.seconds);
  agent.destroy();
  return result;
}

if (!isMainThread && workerData?.kind === 'badge-verification-load') {
  generateLoad(workerData.job as LoadJob).then((result) => parentPort!.postMessage(result));
}

/**
 * Runs one load phase from a worker thread. Both servers run on this process's main thread, so its event
 * loop utilisation over the measured part is what serving cost: a figure that does not depend on how
 * fast the load generator can go (on a 2-core machine, a single client thread saturates first).
 */
function loadFromWorker(job: LoadJob): Promise<LoadResult> {
  const worker = new Worker(fileURLToPath(import.meta.url), { workerData: { kind: 'badge-verification-load', job } });
  let start: EventLoopUtilization | undefined;
  return new Promise((resolve, reject) => {
    worker.on('message', (message: LoadResult | { measuring: true }) => {
      if ('measuring' in message) {
        start = performance.eventLoopUtilization();
        return;
      }
      const busyMs = performance.eventLoopUtilization(start).active;
      void worker.terminate();
      resolve({ ...message, serverMicrosPerRequest: round((busyMs * 1000) / Math.max(1, message.ok + message.failed), 1) });
    });
    worker.once('error', reject);
  });
}

// ------------------------------------------------------------------------------------ the run

async function dropDatabase(url: string): Promise<void> {
  const admin = new URL(url);
  const name = admin.pathname.slice(1);
  admin.pathname = '/postgres';
  const client = new pg.Client({ connectionString: admin.toString() });
  await client.connect();
  try {
    await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  } finally {
    await client.end();
  }
}

async function json(port: number, method: string, path: string, body?: object, token?: string): Promise<{ status: number; body: any }> {
  const res = await fetch(`http://127.0.0.1:${port}${path}`, {
    method,
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  return { status: res.status, body: res.status === 204 ? null : await res.json() };
}


export async function main(args: string[]): Promise<number> {
  const credentials = intOption(args, 'credentials', 200);
  const connections = intOption(args, 'connections', 100);
  const requests = intOption(args, 'requests', 20_000);
  const seconds = intOption(args, 'seconds', 10);
  const concurrentAwards = intOption(args, 'award-concurrency', 8);
  const rounds = intOption(args, 'rounds', 5);
  const base = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const name = `yi_bench_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
  const dbUrl = new URL(base);
  dbUrl.pathname = `/${name}`;

  const config = AppConfig.load({
    NODE_ENV: 'development',
    DATABASE_URL: dbUrl.toString(),
    REDIS_URL: process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379',
    REDIS_PREFIX: name,
    PUBLIC_BASE_URL: 'http://127.0.0.1',
    LOG_LEVEL: 'silent',
    MAIL_DIR: `var/bench-mail/${name}`,
    RATE_LIMIT_IP_PER_MINUTE: String(100 * (requests + 10_000)),
    RATE_LIMIT_ACCOUNT_PER_MINUTE: String(100 * credentials + 1000),
    ARGON2_MEMORY_KIB: '8192',
  });
  await migrate(config.db.url);
  let app: NestExpressApplication | undefined;
  let bare: http.Server | undefined;
  try {
    app = await createApiApp(config);
    await app.listen(0, '127.0.0.1');
    const port = (app.getHttpServer().address() as AddressInfo).port;

    // An organiser, a badge and `credentials` recipients (inserted directly: sign-up is not under test).
    const accounts = app.get(AccountsService);
    const password = 'violet-harbour-lantern-meadow';
    await accounts.createOrganiser({ email: 'organiser@bench.example', password, firstName: 'Sam', lastName: 'Okafor' }, null);
    const token = (await json(port, 'POST', '/api/v1/auth/login', { login: 'organiser@bench.example', password })).body.accessToken as string;
    const badge = await json(port, 'POST', '/api/v1/badges', {
      slug: 'bench-badge', name: 'Bench badge', description: 'Measured.', criteria: 'Be measured.', category: 'maker', points: 10,
      image: `data:image/png;base64,${Buffer.from(tinyPng()).toString('base64')}`,
    }, token);
    if (badge.status !== 201) throw new Error(`badge: ${badge.status} ${JSON.stringify(badge.body)}`);
    const { DataSource } = await import('typeorm');
    const ds = app.get(DataSource);
    const people = await ds.transaction((m) =>
      accounts.insertUsers(m, Array.from({ length: credentials }, (_, i) => ({
        firstName: 'Learner', lastName: `Bench${i}`, roles: ['entrant' as const], email: `learner${i}@bench.example`,
        dateOfBirth: '2005-06-01', region: 'london' as const, emailVerifiedAt: new Date(),
      }))),
    );

    // 1. Issuance through the real award path.
    const award = async (recipientId: string) => {
      const res = await json(port, 'POST', `/api/v1/badges/${badge.body.id}/awards`, { recipientId, evidence: { narrative: 'Took part in the benchmark.' } }, token);
      if (res.status !== 201) throw new Error(`award: ${res.status} ${JSON.stringify(res.body)}`);
      return res.body as { id: string; openBadges: { credentialUrl: string } };
    };
    const half = Math.floor(credentials / 2);
    const awards: { id: string; openBadges: { credentialUrl: string } }[] = [];
    await award(people[0].id).then((a) => awards.push(a)); // warm-up (key, contexts, JIT)
    const sequentialStart = performance.now();
    for (const person of people.slice(1, half)) awards.push(await award(person.id));
    const sequentialSeconds = (performance.now() - sequentialStart) / 1000;
    let next = half;
    const concurrentStart = performance.now();
    await Promise.all(
      Array.from({ length: concurrentAwards }, async () => {
        while (next < people.length) awards.push(await award(people[next++].id));
      }),
    );
    const concurrentSeconds = (performance.now() - concurrentStart) / 1000;

    // The stored credentials, and a check that what is served verifies.
    // Each credential's first fetch misses the in-memory cache (Nest route, database): timed, 20 in flight.
    const stored = new Map<string, Buffer>();
    const coldPaths = awards.map((a) => new URL(a.openBadges.credentialUrl).pathname);
    let cold = 0;
    const coldStart = performance.now();
    await Promise.all(
      Array.from({ length: 20 }, async () => {
        while (cold < coldPaths.length) {
          const path = coldPaths[cold++];
          const res = await fetch(`http://127.0.0.1:${port}${path}`);
          if (res.status !== 200) throw new Error(`credential ${path}: ${res.status}`);
          stored.set(path, Buffer.from(await res.text()));
        }
      }),
    );
    const coldRate = coldPaths.length / ((performance.now() - coldStart) / 1000);
    const sample = JSON.parse(stored.values().next().value!.toString()) as { issuer: { id: string }; credentialStatus: { statusListCredential: string } };
    const controller = await (await fetch(`http://127.0.0.1:${port}/ob/v3/issuer`)).json();
    const list = await (await fetch(`http://127.0.0.1:${port}${new URL(sample.credentialStatus.statusListCredential).pathname}`)).json();
    const loader = createDocumentLoader({ documents: { [sample.issuer.id]: controller as object, [sample.credentialStatus.statusListCredential]: list as object } });
    const verified = (await verifyCredential(sample, { documentLoader: loader })).verified;

    // 2. Verification fetches: the app, then a bare node:http server with the same bytes.
    const paths = [...stored.keys()];
    const lengths = paths.map((p) => stored.get(p)!.length);
    const job = { paths, lengths, connections, requests, seconds, warmup: Math.min(requests, 5000) };
    bare = http.createServer((req, res) => {
      const body = stored.get(req.url ?? '');
      if (!body) {
        res.writeHead(404).end();
        return;
      }
      res.writeHead(200, { 'Content-Type': 'application/vc+ld+json; charset=utf-8', 'Content-Length': body.length });
      res.end(body);
    });
    bare.keepAliveTimeout = 65_000;
    bare.listen(0, '127.0.0.1');
    await once(bare, 'listening');
    const barePort = (bare.address() as AddressInfo).port;
    const appRounds: LoadResult[] = [];
    const bareRounds: LoadResult[] = [];
    for (let r = 0; r < rounds; r++) {
      appRounds.push(await loadFromWorker({ ...job, port }));
      bareRounds.push(await loadFromWorker({ ...job, port: barePort }));
    }
    const ordered = (results: LoadResult[]) => [...results].sort((a, b) => a.perSecond - b.perSecond);
    const median = (results: LoadResult[]) => ordered(results)[Math.floor(results.length / 2)];
    const best = (results: LoadResult[]) => ordered(results)[results.length - 1];
    const appResult = best(appRounds);
    const bareResult = best(bareRounds);
    const medianRatio = median(appRounds).perSecond / median(bareRounds).perSecond;
    const cost = (results: LoadResult[]) => [...results].map((r) => r.serverMicrosPerRequest ?? NaN).sort((a, b) => a - b)[Math.floor(results.length / 2)];
    const appCost = cost(appRounds);
    const bareCost = cost(bareRounds);
    const failures = [...appRounds, ...bareRounds].reduce((sum, r) => sum + r.failed, 0);

    const ratio = appResult.perSecond / bareResult.perSecond;
    const sequentialRate = (half - 1) / sequentialSeconds;
    const concurrentRate = (credentials - half) / concurrentSeconds;
    const rows: Array<[string, string]> = [
      ['credentials issued', `${awards.length} (${Math.round(lengths.reduce((a, b) => a + b, 0) / lengths.length)} B each on average), sample verified: ${verified ? 'yes' : 'NO'}`],
      ['issuance, real award path, sequential', `${round(sequentialRate)} credentials/s (${half - 1} awards)`],
      [`issuance, real award path, ${concurrentAwards} in flight`, `${round(concurrentRate)} credentials/s (${credentials - half} awards)`],
      [`GET /ob/v3/credentials/:id, app, ${connections} connections`, `${appResult.perSecond} req/s best of ${rounds} (${appRounds.map((r) => r.perSecond).join(', ')})  p50/p95/p99 ${appResult.latencyMs.p50} / ${appResult.latencyMs.p95} / ${appResult.latencyMs.p99} ms`],
      [`same JSON, bare node:http, ${connections} connections`, `${bareResult.perSecond} req/s best of ${rounds} (${bareRounds.map((r) => r.perSecond).join(', ')})  p50/p95/p99 ${bareResult.latencyMs.p50} / ${bareResult.latencyMs.p95} / ${bareResult.latencyMs.p99} ms`],
      ['first fetch of each (cache miss), 20 in flight', `${round(coldRate)} req/s (${coldPaths.length} requests)`],
      ['answers checked', `${[...appRounds, ...bareRounds].reduce((sum, r) => sum + r.ok, 0)} correct, ${failures} wrong or failed`],
      ['ratio app ÷ bare, best rounds', `${(ratio * 100).toFixed(1)} % (goal ≥ 50 %)`],
      ['ratio app ÷ bare, median rounds', `${(medianRatio * 100).toFixed(1)} %`],
      ['server event-loop time per request (median)', `app ${appCost} µs, bare ${bareCost} µs → capacity ratio ${((bareCost / appCost) * 100).toFixed(1)} % (≈ ${Math.round(1e6 / appCost)} vs ${Math.round(1e6 / bareCost)} req/s per core)`],
      ['machine', `${availableParallelism()} cores, Node ${process.version}; load generator in a worker thread`],
    ];
    const title = 'Open Badges 3.0 public verification fetches and issuance';
    const width = Math.max(...rows.map(([label]) => label.length));
    console.log(`\n${title}\n${'-'.repeat(title.length)}`);
    for (const [label, value] of rows) console.log(`${label.padEnd(width)}  ${value}`);
    const figures = {
      credentials: awards.length,
      connections,
      issuanceSequentialPerSecond: round(sequentialRate),
      issuanceConcurrentPerSecond: round(concurrentRate),
      firstFetchPerSecond: round(coldRate),
      rounds,
      app: appResult,
      bare: bareResult,
      appRounds: appRounds.map((r) => r.perSecond),
      bareRounds: bareRounds.map((r) => r.perSecond),
      ratio: round(ratio, 3),
      medianRatio: round(medianRatio, 3),
      serverMicrosPerRequest: { app: appCost, bare: bareCost },
      capacityRatio: round(bareCost / appCost, 3),
      verified,
    };
    console.log(`\nfigures ${JSON.stringify(figures)}`);
    return verified && failures === 0 ? 0 : 1;
  } finally {
    if (bare) await new Promise<void>((resolve) => bare!.close(() => resolve()));
    await app?.close();
    await dropDatabase(config.db.url).catch(() => undefined);
    const redis = new Redis(config.redis.url);
    const keys = await redis.keys(`${config.redis.prefix}:*`);
    if (keys.length) await redis.del(...keys);
    await redis.quit();
  }
}

// Runnable on its own as well as through the bench runner: `node dist/bench/badge-verification.js [options]`.
if (isMainThread && process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (error) => {
      console.error(error);
      process.exit(1);
    },
  );
}

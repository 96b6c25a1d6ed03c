// Public verification fetch throughput and issuance through the award path (issue 6):
// `npm run bench -- badge-verification [--credentials 200] [--connections 100] [--requests 20000]
// [--seconds 10] [--rounds 5] [--award-concurrency 8]`.
//
// Boots the real API in-process (Nest, Express, every middleware and guard as production runs them) on a
// throwaway database and Redis prefix, on loopback, and measures:
//  1. issuance: credentials through the real award path — POST /api/v1/badges/:id/awards as an organiser
//     (transaction, notifications, audit, status index allocation, eddsa-rdfc-2022 signature, storage),
//     one after another, then `--award-concurrency` in flight;
//  2. verification fetches: GET /ob/v3/credentials/:id over `--connections` keep-alive connections,
//     round-robin over the issued credentials (each fetched once before, as verifiers do, so answered
//     from memory), against a bare node:http server serving the same stored JSON from a Map, with the
//     same load generator (bench/_http-load.ts, in a worker thread). Each phase is bounded by a request
//     count and a time limit, after a warm-up; only correct answers count. The two servers alternate for
//     `--rounds` rounds, so a burst of load from elsewhere skews a round rather than a side: the ratio
//     compares each side's best round (the least disturbed), the medians are printed next to it, and so
//     is each server's event-loop time per request, which the client's own ceiling cannot cap.
// Per-IP rate limiting stays on, with a limit above what the run sends (RATE_LIMIT_IP_PER_MINUTE); request
// logging is silent (what a log destination costs depends on the deployment).
import { once } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { AccountsService } from '@app/identity';
import { createDocumentLoader, verifyCredential } from '@app/badges';
import { tinyPng } from '../libs/badges/testing/open-badges-fixtures.js';
import { runLoad, type LoadResult } from './_http-load.js';
import { formatPercentiles, httpJson, intOption, machine, perSecond, printResults, startBenchApi, summarise, withBenchEnvironment } from './support.js';

const PASSWORD = 'violet-harbour-lantern-meadow';

export async function main(args: string[]): Promise<number> {
  const credentials = intOption(args, 'credentials', 200);
  const connections = intOption(args, 'connections', 100);
  const requests = intOption(args, 'requests', 20_000);
  const seconds = intOption(args, 'seconds', 10);
  const rounds = intOption(args, 'rounds', 5);
  const concurrentAwards = intOption(args, 'award-concurrency', 8);

  return withBenchEnvironment(
    async ({ config }) => {
      const api = await startBenchApi(config, Math.max(connections, concurrentAwards));
      let bare: http.Server | undefined;
      try {
        const call = async (method: string, path: string, body?: unknown, token?: string) => {
          const answer = await httpJson(api.agent, api.port, method, path, body, token ? { Authorization: `Bearer ${token}` } : {});
          return { status: answer.status, body: answer.body ? JSON.parse(answer.body) : null, text: answer.body };
        };

        // An organiser, a badge and `credentials` recipients (inserted directly: sign-up is not measured).
        const accounts = api.app.get(AccountsService);
        await accounts.createOrganiser({ email: 'organiser@bench.example', password: PASSWORD, firstName: 'Sam', lastName: 'Okafor' }, null);
        const token = (await call('POST', '/api/v1/auth/login', { login: 'organiser@bench.example', password: PASSWORD })).body.accessToken as string;
        const badge = await call('POST', '/api/v1/badges', {
          slug: 'bench-badge', name: 'Bench badge', description: 'Measured.', criteria: 'Be measured.', category: 'maker', points: 10,
          image: `data:image/png;base64,${Buffer.from(tinyPng()).toString('base64')}`,
        }, token);
        if (badge.status !== 201) throw new Error(`badge: ${badge.status} ${badge.text}`);
        const people = await api.db.transaction((m) =>
          accounts.insertUsers(m, Array.from({ length: credentials }, (_, i) => ({
            firstName: 'Learner', lastName: `Bench${i}`, roles: ['entrant' as const], email: `learner${i}@bench.example`,
            dateOfBirth: '2005-06-01', region: 'london' as const, emailVerifiedAt: new Date(),
          }))),
        );

        // 1. Issuance through the real award path.
        const award = async (recipientId: string): Promise<string> => {
          const res = await call('POST', `/api/v1/badges/${badge.body.id}/awards`, { recipientId, evidence: { narrative: 'Took part in the benchmark.' } }, token);
          if (res.status !== 201) throw new Error(`award: ${res.status} ${res.text}`);
          return new URL(res.body.openBadges.credentialUrl).pathname;
        };
        const paths = [await award(people[0].id)]; // warm-up: contexts, JIT
        const half = Math.floor(credentials / 2);
        const sequentialStart = performance.now();
        for (const person of people.slice(1, half)) paths.push(await award(person.id));
        const sequentialRate = perSecond(half - 1, performance.now() - sequentialStart);
        let next = half;
        const concurrentStart = performance.now();
        await Promise.all(
          Array.from({ length: concurrentAwards }, async () => {
            while (next < people.length) paths.push(await award(people[next++].id));
          }),
        );
        const concurrentRate = perSecond(credentials - half, performance.now() - concurrentStart);

        // Each credential's first fetch misses the in-memory cache (Nest route, database): timed, 20 in flight.
        const stored = new Map<string, Buffer>();
        let cold = 0;
        const coldStart = performance.now();
        await Promise.all(
          Array.from({ length: 20 }, async () => {
            while (cold < paths.length) {
              const path = paths[cold++];
              const res = await httpJson(api.agent, api.port, 'GET', path);
              if (res.status !== 200) throw new Error(`credential ${path}: ${res.status}`);
              stored.set(path, Buffer.from(res.body));
            }
          }),
        );
        const coldRate = perSecond(paths.length, performance.now() - coldStart);

        // What is served verifies, with the controller document and status list the app serves.
        const sample = JSON.parse(stored.get(paths[0])!.toString()) as { issuer: { id: string }; credentialStatus: { statusListCredential: string } };
        const controller = JSON.parse((await httpJson(api.agent, api.port, 'GET', '/ob/v3/issuer')).body) as object;
        const list = JSON.parse((await httpJson(api.agent, api.port, 'GET', new URL(sample.credentialStatus.statusListCredential).pathname)).body) as object;
        const loader = createDocumentLoader({ documents: { [sample.issuer.id]: controller, [sample.credentialStatus.statusListCredential]: list } });
        const verified = (await verifyCredential(sample, { documentLoader: loader })).verified;

        // 2. Verification fetches: the app and a bare node:http server with the same bytes, alternating.
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
        const job = { paths, lengths: paths.map((p) => stored.get(p)!.length), connections, requests, seconds, warmup: Math.min(requests, 5000) };
        const appRounds: LoadResult[] = [];
        const bareRounds: LoadResult[] = [];
        for (let r = 0; r < rounds; r++) {
          appRounds.push(await runLoad({ ...job, port: api.port }));
          bareRounds.push(await runLoad({ ...job, port: barePort }));
        }

        const byRate = (results: LoadResult[]) => [...results].sort((a, b) => a.perSecond - b.perSecond);
        const best = (results: LoadResult[]) => byRate(results)[results.length - 1];
        const median = (results: LoadResult[]) => byRate(results)[Math.floor(results.length / 2)];
        const medianCost = (results: LoadResult[]) => summarise(results.map((r) => r.serverMicrosPerRequest)).p50;
        const [appBest, bareBest] = [best(appRounds), best(bareRounds)];
        const ratio = appBest.perSecond / bareBest.perSecond;
        const medianRatio = median(appRounds).perSecond / median(bareRounds).perSecond;
        const [appCost, bareCost] = [medianCost(appRounds), medianCost(bareRounds)];
        const failures = [...appRounds, ...bareRounds].reduce((sum, r) => sum + r.failed, 0);
        const answers = [...appRounds, ...bareRounds].reduce((sum, r) => sum + r.ok, 0);
        const rates = (results: LoadResult[]) => results.map((r) => r.perSecond.toFixed(0)).join(', ');
        const averageBytes = Math.round(job.lengths.reduce((a, b) => a + b, 0) / job.lengths.length);

        printResults(
          'Open Badges 3.0: public verification fetches and issuance through the award path',
          [
            ['credentials issued', `${paths.length} (${averageBytes} B each on average), sample verified: ${verified ? 'yes' : 'NO'}`],
            ['issuance, award path, sequential', `${sequentialRate.toFixed(1)} credentials/s (${half - 1} awards)`],
            [`issuance, award path, ${concurrentAwards} in flight`, `${concurrentRate.toFixed(1)} credentials/s (${credentials - half} awards)`],
            ['first fetch of each (cache miss), 20 in flight', `${coldRate.toFixed(1)} req/s (${paths.length} requests)`],
            [`GET /ob/v3/credentials/:id, app, ${connections} conn.`, `${appBest.perSecond.toFixed(0)} req/s best of ${rounds} (${rates(appRounds)}), latency p50/p95/p99 ${formatPercentiles(summarise(appBest.latencyMs))} ms`],
            [`same JSON, bare node:http, ${connections} conn.`, `${bareBest.perSecond.toFixed(0)} req/s best of ${rounds} (${rates(bareRounds)}), latency p50/p95/p99 ${formatPercentiles(summarise(bareBest.latencyMs))} ms`],
            ['ratio app ÷ bare, best rounds', `${(ratio * 100).toFixed(1)} % (goal ≥ 50 %)`],
            ['ratio app ÷ bare, median rounds', `${(medianRatio * 100).toFixed(1)} %`],
            ['server event-loop time per request (median)', `app ${appCost.toFixed(1)} µs, bare ${bareCost.toFixed(1)} µs: capacity ratio ${((bareCost / appCost) * 100).toFixed(1)} %`],
            ['answers checked', `${answers} correct, ${failures} wrong or failed`],
            ['machine', `${machine().cores} cores, Node ${machine().node}; load generator in a worker thread`],
          ],
          {
            credentials: paths.length,
            connections,
            rounds,
            issuanceSequentialPerSecond: sequentialRate,
            issuanceConcurrentPerSecond: concurrentRate,
            firstFetchPerSecond: coldRate,
            appPerSecond: appRounds.map((r) => r.perSecond),
            barePerSecond: bareRounds.map((r) => r.perSecond),
            ratioBest: ratio,
            ratioMedian: medianRatio,
            serverMicrosPerRequest: { app: appCost, bare: bareCost },
            capacityRatio: bareCost / appCost,
            verified,
            failures,
          },
        );
        return verified && failures === 0 ? 0 : 1;
      } finally {
        if (bare) await new Promise<void>((resolve) => bare!.close(() => resolve()));
        await api.close();
      }
    },
    {
      PUBLIC_BASE_URL: 'http://127.0.0.1',
      RATE_LIMIT_IP_PER_MINUTE: String(100 * (requests + 10_000)),
      RATE_LIMIT_ACCOUNT_PER_MINUTE: String(100 * credentials + 1000),
      ARGON2_MEMORY_KIB: '8192',
    },
  );
}

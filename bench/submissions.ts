// Issue "Competitions, ideas, teams and submissions": 200 concurrent submits of distinct ideas —
// throughput and p99, and no lost or duplicated version — beside, in the same run, the floor of an
// authenticated round trip (GET /me) at the same concurrency; then a storm of duplicate submits with
// Idempotency-Key (each idea sent twice at once) must still leave exactly one version per idea.
import { AccountsService, AuthService } from '@app/identity';
import { CompetitionsService, IdeasService } from '@app/competitions';
import { formatPercentiles, httpJson, intOption, machine, perSecond, printResults, startBenchApi, summarise, timed, withBenchEnvironment } from './support.js';

const IDEA = {
  title: 'Bus buddy',
  summary: 'Pairs younger pupils with older ones on the school bus.',
  problem: 'Younger pupils feel unsafe on long journeys.',
  solution: 'A matching app run by the school.',
  audience: 'Pupils aged 11 to 13.',
  category: 'education',
};

export async function main(args: string[]): Promise<number> {
  const n = intOption(args, 'n', 200);
  const host = machine();
  console.log(`submissions: ${n} concurrent submits (${host.cores} cores, Node ${host.node})`);
  return withBenchEnvironment(
    async ({ config }) => {
      const api = await startBenchApi(config, n);
      const { app, port, agent, db } = api;
      try {
        const accounts = app.get(AccountsService);
        const auth = app.get(AuthService);

        // Setup (not measured): an organiser, an open competition, 2n verified entrants with a draft each.
        const { user: organiser } = await accounts.createOrganiser({ email: 'bench-organiser@example.com', password: 'granite-harbour-lantern', firstName: 'Sam', lastName: 'Okafor' }, null);
        const competitions = app.get(CompetitionsService);
        const now = Date.now();
        const competition = await competitions.create(organiser.id, {
          title: 'Bench', slug: 'bench', minAge: 11, maxAge: 25, categories: ['education'],
          opensAt: new Date(now - 86_400_000), closesAt: new Date(now + 86_400_000),
        });
        await competitions.publish(organiser.id, competition.id);
        const entrants = await Promise.all(
          Array.from({ length: 2 * n }, (_, i) =>
            accounts.register({
              accountType: 'entrant', email: `bench-entrant-${i}@example.com`, password: `amber-tugboat-${i}-x`,
              firstName: 'Amira', lastName: 'Khan', dateOfBirth: '2010-01-15', region: 'london',
            }),
          ),
        );
        await db.query(`UPDATE users SET email_verified_at = now() WHERE roles @> '{entrant}'`);
        const ideasService = app.get(IdeasService);
        const sessions = await Promise.all(entrants.map(async (u) => (await auth.startSession(u)).accessToken));
        const ideas = await Promise.all(entrants.map((u) => ideasService.create({ userId: u.id, roles: ['entrant'] }, competition.id, IDEA)));
        const bearer = (i: number) => ({ Authorization: `Bearer ${sessions[i]}` });

        const floor = await timed(() => Promise.all(Array.from({ length: n }, (_, i) => httpJson(agent, port, 'GET', '/api/v1/me', undefined, bearer(i)))));
        const burst = await timed(() =>
          Promise.all(Array.from({ length: n }, (_, i) => httpJson(agent, port, 'POST', `/api/v1/ideas/${ideas[i].id}/submit`, undefined, { ...bearer(i), 'Idempotency-Key': `bench-${i}` }))),
        );
        // Duplicate storm on the other n ideas: each sent twice at once with the same key.
        const storm = await timed(() =>
          Promise.all(
            Array.from({ length: 2 * n }, (_, k) => {
              const i = n + (k % n);
              return httpJson(agent, port, 'POST', `/api/v1/ideas/${ideas[i].id}/submit`, undefined, { ...bearer(i), 'Idempotency-Key': `storm-${i}` });
            }),
          ),
        );

        const failures = burst.value.filter((a) => a.status !== 200);
        const stormStatuses = storm.value.reduce<Record<number, number>>((acc, a) => ((acc[a.status] = (acc[a.status] ?? 0) + 1), acc), {});
        const [{ versions, ideasWithOne, duplicates }] = await db.query(
          `SELECT count(*)::int AS versions,
                  count(DISTINCT idea_id)::int AS "ideasWithOne",
                  (SELECT count(*)::int FROM (SELECT idea_id FROM idea_version GROUP BY idea_id HAVING count(*) > 1) d) AS duplicates
             FROM idea_version`,
        );
        const [{ receipts }] = await db.query(`SELECT count(*)::int AS receipts FROM notification WHERE template = 'idea-submitted'`);
        const latency = summarise(burst.value.map((a) => a.ms));
        const floorLatency = summarise(floor.value.map((a) => a.ms));
        const submitsPerSecond = perSecond(n, burst.ms);
        const floorPerSecond = perSecond(n, floor.ms);
        const ok = failures.length === 0 && versions === 2 * n && ideasWithOne === 2 * n && duplicates === 0 && receipts === 2 * n;
        printResults(
          `Submit burst (n=${n})`,
          [
            ['GET /me requests/s (floor)', floorPerSecond.toFixed(1)],
            ['submits/s', submitsPerSecond.toFixed(1)],
            ['ratio submits/s ÷ GET /me/s', (submitsPerSecond / floorPerSecond).toFixed(3)],
            ['submit latency p50 / p95 / p99 ms', formatPercentiles(latency)],
            ['GET /me latency p50 / p95 / p99 ms', formatPercentiles(floorLatency)],
            ['failed submits', String(failures.length)],
            [`duplicate storm (${2 * n} requests, ${n} ideas): statuses`, JSON.stringify(stormStatuses)],
            ['versions stored / ideas with a version / ideas with two', `${versions} / ${ideasWithOne} / ${duplicates}`],
            ['receipts recorded', String(receipts)],
            ['no lost or duplicated version', ok ? 'yes' : 'NO'],
          ],
          { n, submitsPerSecond, floorPerSecond, latency, floorLatency, failures: failures.length, stormStatuses, versions, duplicates, receipts, ok },
        );
        if (failures.length) console.error('first failure:', failures[0]);
        return ok ? 0 : 1;
      } finally {
        await api.close();
      }
    },
    { RATE_LIMIT_IP_PER_MINUTE: '1000000' },
  );
}

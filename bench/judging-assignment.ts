// The assignment end to end (issue "Judging"): `npm run build && node dist/bench/judging-assignment.js
// [--ideas N] [--judges N] [--declared N] [--naive-ideas N]`.
//
// A closed competition of 1,000,000 submitted ideas (one or two members each, every member a pupil of
// one of 20,000 schools), 10,000 judges of whom 1 % teach at a school with entrants (school
// conflicts) plus --declared (3,000) conflicts declared on assignments of an earlier round, seeded
// server-side in a throwaway database. Measured in the same run:
//  - ours: the real worker (a child process) relays the assignment job from the outbox and runs it —
//    entries streamed from competitions in batches, lead age bands, conflicts by hash look-ups, COPY
//    of round_entry, assignBalanced on typed arrays, COPY of 3,000,000 assignments — from the outbox
//    row's commit to the round `scoring`; then checked in SQL: loads (max − min), every idea's 3
//    distinct judges, and no assignment breaking a school or declared conflict;
//  - floor: writing 3,000,000 round-robin assignments with one INSERT … SELECT into a fresh partition,
//    indexed and attached as the job does (no conflicts, no balance, no entries): the least the
//    database work of any assignment costs.
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { DEFAULT_RUBRIC } from '@app/judging';
import { loadPartition, partitionName } from '@app/platform';
import { intOption, jobResult, seconds, startWorker, throwawayEnv, until, type BenchEnv } from './_judging-support.js';

const K = 3;
const SCHOOLS = 20_000;

async function seed(env: BenchEnv, o: { ideas: number; judges: number; declared: number }): Promise<{ competitionId: string; roundId: string; seedMs: number }> {
  const started = performance.now();
  const competitionId = randomUUID();
  const roundId = randomUUID();
  const q = (sql: string, params: unknown[] = []) => env.ds.query(sql, params);
  // Deterministic ids from series numbers: md5(kind || n)::uuid.
  await q(
    `INSERT INTO users (id, username, first_name, last_name, date_of_birth, region, roles, origin)
     SELECT md5('entrant' || g)::uuid, 'bench-entrant-' || g, 'Sam', 'Bench', date '2008-01-01' + (g % 3000), 'london', '{entrant}', 'roster'
       FROM generate_series(1, $1) g`,
    [o.ideas + o.ideas / 2],
  );
  await q(
    `INSERT INTO users (id, username, first_name, last_name, roles, origin, email)
     SELECT md5('judge' || j)::uuid, 'bench-judge-' || j, 'Jo', 'Judge', '{judge}', 'invitation', 'judge' || j || '@bench.example'
       FROM generate_series(1, $1) j`,
    [o.judges],
  );
  await q(
    `INSERT INTO competition (id, slug, title, min_age, max_age, opens_at, closes_at, categories, published_at, created_by)
     VALUES ($1, $2, 'Bench', 11, 25, now() - interval '60 days', now() - interval '30 days', '{a}', now() - interval '60 days', $1)`,
    [competitionId, `bench-${competitionId}`],
  );
  await q(
    `INSERT INTO idea (id, competition_id, owner_id, title, status, version, submitted_at)
     SELECT md5('idea' || g)::uuid, $1, md5('entrant' || g)::uuid, 'Idea ' || g, 'submitted', 1, now() - interval '31 days'
       FROM generate_series(1, $2) g`,
    [competitionId, o.ideas],
  );
  // Every other idea has a second member (entrants ideas+1 …).
  await q(
    `INSERT INTO idea_version (id, idea_id, version, content, content_hash, member_ids, submitted_by, submitted_at)
     SELECT md5('version' || g)::uuid, md5('idea' || g)::uuid, 1,
            '{"title":"Idea","summary":"An idea","problem":"p","solution":"s","audience":"a","category":"a","links":[]}'::jsonb, 'h',
            CASE WHEN g % 2 = 0 THEN ARRAY[md5('entrant' || g)::uuid, md5('entrant' || ($1 + g / 2))::uuid] ELSE ARRAY[md5('entrant' || g)::uuid] END,
            md5('entrant' || g)::uuid, now() - interval '31 days'
       FROM generate_series(1, $1) g`,
    [o.ideas],
  );
  await q(
    `INSERT INTO school (id, urn, name, postcode, status) SELECT md5('school' || s)::uuid, (100000 + s)::text, 'School ' || s, 'SW1A 1AA', 'verified'
       FROM generate_series(1, $1) s`,
    [SCHOOLS],
  );
  // One class per school, with a unique join code from the alphabet (base 28 of s).
  await q(
    `INSERT INTO school_class (id, school_id, name, join_code, created_by_id)
     SELECT md5('class' || s)::uuid, md5('school' || s)::uuid, 'Class', 'BBBB' ||
            substr(a, (s / 21952) % 28 + 1, 1) || substr(a, (s / 784) % 28 + 1, 1) || substr(a, (s / 28) % 28 + 1, 1) || substr(a, s % 28 + 1, 1),
            md5('school' || s)::uuid
       FROM generate_series(1, $1) s, (SELECT 'BCDFGHJKLMNPQRSTVWXZ23456789'::text AS a) alphabet`,
    [SCHOOLS],
  );
  await q(
    `INSERT INTO class_student (class_id, student_id, via) SELECT md5('class' || (g % $2 + 1))::uuid, md5('entrant' || g)::uuid, 'roster'
       FROM generate_series(1, $1) g`,
    [o.ideas + o.ideas / 2, SCHOOLS],
  );
  // 1 % of judges teach at a school with entrants.
  await q(
    `INSERT INTO school_membership (school_id, user_id, status) SELECT md5('school' || (j * 197 % $2 + 1))::uuid, md5('judge' || j)::uuid, 'verified'
       FROM generate_series(1, $1) j`,
    [Math.max(1, o.judges / 100), SCHOOLS],
  );
  await q(
    `INSERT INTO judge_idea_conflict (competition_id, idea_id, judge_id, round_id, reason)
     SELECT DISTINCT ON (1, 2, 3) $1::uuid, md5('idea' || (k * 331 % $3 + 1))::uuid, md5('judge' || (k * 7919 % $4 + 1))::uuid, $1::uuid, 'bench'
       FROM generate_series(1, $2) k`,
    [competitionId, o.declared, o.ideas, o.judges],
  );
  await q(
    `INSERT INTO judging_round (id, competition_id, number, kind, name, status, judges_per_idea, shortlist_size, criteria, seed, created_by)
     VALUES ($1, $2, 1, 'screening', 'Bench screening', 'assigning', $3, 20, $4::jsonb, 'bench-seed', $2)`,
    [roundId, competitionId, K, JSON.stringify(DEFAULT_RUBRIC)],
  );
  await q(
    `INSERT INTO round_judge (round_id, idx, judge_id)
     SELECT $1, row_number() OVER (ORDER BY id) - 1, id FROM (SELECT md5('judge' || j)::uuid AS id FROM generate_series(1, $2) j) s`,
    [roundId, o.judges],
  );
  await q(`UPDATE competition SET judging_started_at = now() WHERE id = $1`, [competitionId]);
  await q(`ANALYZE`);
  return { competitionId, roundId, seedMs: performance.now() - started };
}

async function runOurs(env: BenchEnv, roundId: string): Promise<{ ms: number; peakRssMb: number; stats: Record<string, unknown>; phases: Record<string, number> }> {
  const worker = startWorker(env);
  try {
    await env.ds.query(`INSERT INTO outbox (job, data) VALUES ('scoringReminders', '{}')`);
    await until(async () => (await env.ds.query(`SELECT count(*)::int AS n FROM outbox WHERE relayed_at IS NULL`))[0].n === 0, 60_000, 'the worker to start');
    const started = performance.now();
    const [{ id: jobId }] = await env.ds.query(`INSERT INTO outbox (job, data) VALUES ('assignJudges', $1::jsonb) RETURNING id`, [
      JSON.stringify({ roundId, requestedBy: randomUUID() }),
    ]);
    const round = await until(
      async () => {
        const [r] = await env.ds.query(`SELECT status, stats FROM judging_round WHERE id = $1`, [roundId]);
        return r.status === 'scoring' ? r : undefined;
      },
      900_000,
      'the assignment',
    );
    const ms = performance.now() - started;
    const result = (await jobResult(env, 'judging', jobId)) as { phases?: Record<string, number> };
    return { ms, peakRssMb: worker.peakRssMb(), stats: { ...round.stats, unassignable: round.stats.unassignable.length }, phases: result?.phases ?? {} };
  } finally {
    await worker.stop();
  }
}

/** Independent checks in SQL of what the job stored. */
async function verify(env: BenchEnv, competitionId: string, roundId: string) {
  const [loads] = await env.ds.query(`SELECT min(c)::int AS min, max(c)::int AS max FROM (SELECT count(*) AS c FROM judge_assignment WHERE round_id = $1 GROUP BY judge_idx) x`, [roundId]);
  const [ideas] = await env.ds.query(
    `SELECT count(*) FILTER (WHERE n <> $2)::int AS wrong, count(*)::int AS ideas FROM (SELECT entry_idx, count(DISTINCT judge_idx) AS n FROM judge_assignment WHERE round_id = $1 GROUP BY entry_idx) x`,
    [roundId, K],
  );
  const [school] = await env.ds.query(
    `SELECT count(*)::int AS n FROM judge_assignment a
       JOIN round_entry e ON e.round_id = a.round_id AND e.idx = a.entry_idx
       JOIN idea_version v ON v.id = e.version_id
       JOIN school_membership m ON m.user_id = a.judge_id
       JOIN school_class c ON c.school_id = m.school_id
       JOIN class_student s ON s.class_id = c.id AND s.student_id = ANY(v.member_ids)
      WHERE a.round_id = $1`,
    [roundId],
  );
  const [declared] = await env.ds.query(
    `SELECT count(*)::int AS n FROM judge_assignment a JOIN round_entry e ON e.round_id = a.round_id AND e.idx = a.entry_idx
       JOIN judge_idea_conflict c ON c.competition_id = $2 AND c.idea_id = e.idea_id AND c.judge_id = a.judge_id
      WHERE a.round_id = $1`,
    [roundId, competitionId],
  );
  return { loadMin: loads.min, loadMax: loads.max, ideasWithoutThreeJudges: ideas.wrong, ideasAssigned: ideas.ideas, schoolConflictsBroken: school.n, declaredConflictsBroken: declared.n };
}

async function runFloor(env: BenchEnv, ideas: number, judges: number): Promise<number> {
  const roundId = randomUUID();
  const started = performance.now();
  await env.ds.transaction((m) =>
    loadPartition(m, { parent: 'judge_assignment', column: 'round_id', key: roundId }, (table) =>
      m.query(
        `INSERT INTO ${table} (round_id, entry_idx, judge_idx, judge_id)
         SELECT $1::uuid, s / $3::int, s % $2::int, $1::uuid FROM generate_series(0, $3::int * $4::int - 1) s`,
        [roundId, judges, K, ideas],
      ),
    ),
  );
  const ms = performance.now() - started;
  await env.ds.query(`DROP TABLE ${partitionName('judge_assignment', roundId)}`);
  return ms;
}

export async function main(args: string[]): Promise<number> {
  const ideas = intOption(args, 'ideas', 1_000_000);
  const judges = intOption(args, 'judges', 10_000);
  const declared = intOption(args, 'declared', 3_000);
  console.log(`judging-assignment: ${ideas.toLocaleString('en-GB')} ideas × ${K} among ${judges.toLocaleString('en-GB')} judges, 1 % teaching at entrants' schools, ${declared.toLocaleString('en-GB')} declared conflicts (Node ${process.version})`);
  const env = await throwawayEnv('assign');
  try {
    const { competitionId, roundId, seedMs } = await seed(env, { ideas, judges, declared });
    console.log(`seeded in ${seconds(seedMs)}`);
    const floorMs = await runFloor(env, ideas, judges);
    const ours = await runOurs(env, roundId);
    const checks = await verify(env, competitionId, roundId);
    const rows: [string, string][] = [
      ['ours: assignment job, end to end (outbox → scoring)', `${seconds(ours.ms)}; worker peak RSS ${ours.peakRssMb.toFixed(0)} MB`],
      ['  phases (ms)', JSON.stringify(ours.phases)],
      ['  stored stats', JSON.stringify(ours.stats)],
      ['  checked in SQL', JSON.stringify(checks)],
      ['floor: INSERT … SELECT of round-robin rows into a partition', seconds(floorMs)],
      ['ratio ours / floor', `${(ours.ms / floorMs).toFixed(1)}×`],
      [
        'goals',
        `${ours.ms <= 30_000 ? 'met' : 'MISSED'}: ≤ 30 s; ${checks.loadMax - checks.loadMin <= 1 ? 'met' : 'MISSED'}: max − min ≤ 1; ` +
          `${checks.schoolConflictsBroken + checks.declaredConflictsBroken === 0 ? 'met' : 'MISSED'}: no conflict broken`,
      ],
    ];
    const width = Math.max(...rows.map(([l]) => l.length));
    for (const [label, value] of rows) console.log(`${label.padEnd(width)}  ${value}`);
    console.log(`\nfigures ${JSON.stringify({ ideas, judges, declared, seedMs, ours, checks, floorMs })}`);
    return 0;
  } finally {
    await env.drop();
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) process.exitCode = await main(process.argv.slice(2));

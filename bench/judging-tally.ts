// The tally end to end (issue "Judging"): `npm run build && node dist/bench/judging-tally.js
// [--ideas N] [--judges N] [--naive-ideas N]` (or `npm run bench -- judging-tally` where bench/run.mjs exists).
//
// A closed screening round of 1,000,000 ideas × 3 scores among 10,000 judges (quality N(50, 15),
// severity N(0, 12), noise 8 on the 0–100 scale, turned into five 1–10 criteria), seeded with COPY
// into a throwaway database. Measured in the same run:
//  - ours: the real worker (a child process) relays the tally job from the outbox and runs it — COPY
//    out of the scores into typed arrays, fitAdditiveModel, rankIdeas, markOutcomes, COPY in of the
//    results, severities in one UPDATE; from the outbox row's commit to the round being `tallied`,
//    and the worker's peak RSS;
//  - naive: what an ORM-first tally does — load Assignment entities through the repository (idea by
//    idea batches of 1,000) and average their totals in JS, writing nothing; over every idea by
//    default (--naive-ideas N measures the first N and scales linearly, for quicker runs);
//  - floor: one SQL `GROUP BY entry_idx` mean into a temporary table: the least a tally can cost;
//  - store floor: every score COPYed out and a million result rows COPYed into a partition, with no
//    computing: the least a tally that reads every score and stores its results can cost.
import { createHash, randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { In } from 'typeorm';
import { Assignment, DEFAULT_RUBRIC, Prng } from '@app/judging';
import { copyFrom, copyLines, copyTo, loadPartition, partitionName } from '@app/platform';
import { intOption, jobResult, seconds, startWorker, throwawayEnv, until, type BenchEnv } from './_judging-support.js';

const K = 3;

async function seed(env: BenchEnv, ideas: number, judges: number): Promise<{ roundId: string; seedMs: number }> {
  const started = performance.now();
  const competitionId = randomUUID();
  const roundId = randomUUID();
  const criteria = JSON.stringify(DEFAULT_RUBRIC);
  await env.ds.query(
    `INSERT INTO competition (id, slug, title, min_age, max_age, opens_at, closes_at, categories, published_at, judging_started_at, created_by)
     VALUES ($1, $2, 'Bench', 11, 25, now() - interval '60 days', now() - interval '30 days', '{a}', now() - interval '60 days', now(), $1)`,
    [competitionId, `bench-${competitionId}`],
  );
  await env.ds.query(
    `INSERT INTO judging_round (id, competition_id, number, kind, name, status, judges_per_idea, shortlist_size, criteria, seed, stats, created_by, closed_at)
     VALUES ($1, $2, 1, 'screening', 'Bench screening', 'closed', $3, 20, $4::jsonb, 'bench', $5::jsonb, $2, now())`,
    [roundId, competitionId, K, criteria, JSON.stringify({ ideas, assignments: ideas * K, unassignable: [], loadMin: 0, loadMax: 0 })],
  );
  await env.ds.query(
    `INSERT INTO round_judge (round_id, idx, judge_id) SELECT $1, j - 1, md5('judge' || j)::uuid FROM generate_series(1, $2) AS j`,
    [roundId, judges],
  );
  const rng = new Prng('judging-tally-bench');
  const severity = Float64Array.from({ length: judges }, () => 12 * rng.nextGaussian());
  await env.ds.transaction(async (m) => {
    await loadPartition(m, { parent: 'round_entry', column: 'round_id', key: roundId }, (table) =>
      copyFrom(
        m,
        `COPY ${table} (round_id, idx, idea_id, version_id, version, alias, lead_age_band, submitted_at) FROM STDIN`,
        copyLines(ideas, (i) => `${roundId}\t${i}\t${randomUUID()}\t${randomUUID()}\t1\tE${i.toString(36).toUpperCase()}\t13-17\t2027-01-01T00:00:00.${String(i % 1000).padStart(3, '0')}Z`),
      ),
    );
    // Three distinct judges per idea, five criteria each derived from quality + severity + noise.
    const picked = new Int32Array(K);
    const values = new Int32Array(5);
    let idea = 0;
    let slot = 0;
    let quality = 0;
    const rows = copyLines(ideas * K, () => {
      if (slot === 0) quality = 50 + 15 * rng.nextGaussian();
      let j: number;
      do j = rng.below(judges);
      while (picked.subarray(0, slot).includes(j));
      picked[slot] = j;
      const total = quality + severity[j] + 8 * rng.nextGaussian();
      let sum = 0;
      for (let c = 0; c < 5; c++) {
        values[c] = Math.max(1, Math.min(10, Math.round(1 + (9 * (total + 6 * rng.nextGaussian())) / 100)));
        sum += values[c] - 1;
      }
      const line = `${roundId}\t${idea}\t${j}\t${judgeUuid(j + 1)}\tscored\t{${values.join(',')}}\t${(100 * sum) / 45}\tGood work, keep testing with users.\t2027-01-02T00:00:00Z`;
      if (++slot === K) {
        slot = 0;
        idea++;
      }
      return line;
    });
    await loadPartition(m, { parent: 'judge_assignment', column: 'round_id', key: roundId }, (table) =>
      copyFrom(m, `COPY ${table} (round_id, entry_idx, judge_idx, judge_id, status, scores, total, feedback, scored_at) FROM STDIN`, rows),
    );
  });
  await env.ds.query(`ANALYZE judge_assignment; ANALYZE round_entry`);
  return { roundId, seedMs: performance.now() - started };
}

// md5('judge' || j)::uuid, as PostgreSQL computes it for round_judge above.
function judgeUuid(j: number): string {
  const h = createHash('md5').update(`judge${j}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

async function runOurs(env: BenchEnv, roundId: string): Promise<{ ms: number; peakRssMb: number; result: unknown }> {
  const worker = startWorker(env);
  try {
    // Wait until the worker is up (its relay marks an unrelated probe row relayed).
    await env.ds.query(`INSERT INTO outbox (job, data) VALUES ('scoringReminders', '{}')`);
    await until(async () => (await env.ds.query(`SELECT count(*)::int AS n FROM outbox WHERE relayed_at IS NULL`))[0].n === 0, 60_000, 'the worker to start');
    const started = performance.now();
    const [{ id: jobId }] = await env.ds.query(`INSERT INTO outbox (job, data) VALUES ('tallyRound', $1::jsonb) RETURNING id`, [
      JSON.stringify({ roundId, requestedBy: randomUUID() }),
    ]);
    const round = await until(
      async () => {
        const [r] = await env.ds.query(`SELECT status, tally FROM judging_round WHERE id = $1`, [roundId]);
        return r.status === 'tallied' ? r : undefined;
      },
      600_000,
      'the tally',
    );
    const ms = performance.now() - started;
    void round;
    return { ms, peakRssMb: worker.peakRssMb(), result: await jobResult(env, 'judging', jobId) };
  } finally {
    await worker.stop();
  }
}

async function runNaive(env: BenchEnv, roundId: string, ideas: number): Promise<{ ms: number; ideas: number }> {
  const repo = env.ds.getRepository(Assignment);
  const started = performance.now();
  const means = new Map<number, number>();
  for (let from = 0; from < ideas; from += 1000) {
    const batch = Array.from({ length: Math.min(1000, ideas - from) }, (_, k) => from + k);
    const rows = await repo.find({ where: { roundId, entryIdx: In(batch), status: 'scored' } });
    const byIdea = new Map<number, number[]>();
    for (const a of rows) byIdea.set(a.entryIdx, [...(byIdea.get(a.entryIdx) ?? []), a.total ?? 0]);
    for (const [idea, totals] of byIdea) means.set(idea, totals.reduce((s, x) => s + x, 0) / totals.length);
  }
  if (means.size !== ideas) throw new Error(`naive: ${means.size} means for ${ideas} ideas`);
  return { ms: performance.now() - started, ideas };
}

async function runFloor(env: BenchEnv, roundId: string): Promise<number> {
  const started = performance.now();
  await env.ds.query(
    `CREATE TEMP TABLE floor_means AS SELECT entry_idx, avg(total) AS mean FROM judge_assignment WHERE round_id = $1 AND status = 'scored' GROUP BY entry_idx`,
    [roundId],
  );
  const ms = performance.now() - started;
  await env.ds.query(`DROP TABLE floor_means`);
  return ms;
}

/**
 * What any tally that stores its results must move, with no computation: every score out (the
 * columns ours reads, rows counted and dropped) and one result row per idea into a fresh partition of
 * round_result (written, indexed, attached; then dropped).
 */
async function runStoreFloor(env: BenchEnv, roundId: string, ideas: number): Promise<number> {
  const scratch = randomUUID();
  const started = performance.now();
  await env.ds.transaction(async (m) => {
    let rows = 0;
    await copyTo(m, `COPY (SELECT entry_idx, judge_idx, (status = 'scored')::int, scores[1], scores[2], scores[3], scores[4], scores[5] FROM judge_assignment WHERE round_id = '${roundId}') TO STDOUT`, () => {
      rows++;
    });
    if (rows !== ideas * K) throw new Error(`store floor: ${rows} scores`);
    await loadPartition(m, { parent: 'round_result', column: 'round_id', key: scratch }, (table) =>
      copyFrom(
        m,
        `COPY ${table} (round_id, entry_idx, rank, adjusted, raw_mean, judge_count, disagreement, flags, computed_outcome, outcome) FROM STDIN`,
        copyLines(ideas, (i) => `${scratch}\t${i}\t${i + 1}\t${50 + i / ideas}\t${50 - i / ideas}\t3\t${i / ideas}\t0\t\\N\t\\N`),
      ),
    );
  });
  const ms = performance.now() - started;
  await env.ds.query(`DROP TABLE ${partitionName('round_result', scratch)}`);
  return ms;
}

export async function main(args: string[]): Promise<number> {
  const ideas = intOption(args, 'ideas', 1_000_000);
  const judges = intOption(args, 'judges', 10_000);
  const naiveIdeas = Math.min(ideas, intOption(args, 'naive-ideas', ideas));
  console.log(`judging-tally: ${ideas.toLocaleString('en-GB')} ideas × ${K} scores among ${judges.toLocaleString('en-GB')} judges (Node ${process.version})`);
  const env = await throwawayEnv('tally');
  try {
    const { roundId, seedMs } = await seed(env, ideas, judges);
    console.log(`seeded with COPY in ${seconds(seedMs)}`);
    const floorMs = await runFloor(env, roundId);
    const storeFloorMs = await runStoreFloor(env, roundId, ideas);
    const naive = await runNaive(env, roundId, naiveIdeas);
    const naiveScaledMs = (naive.ms * ideas) / naive.ideas;
    const ours = await runOurs(env, roundId);
    const rows: [string, string][] = [
      ['ours: tally job, end to end (outbox → tallied)', `${seconds(ours.ms)}; worker peak RSS ${ours.peakRssMb.toFixed(0)} MB; ${JSON.stringify(ours.result)}`],
      ['naive: ORM entities + JS mean', `${seconds(naive.ms)} for ${naive.ideas.toLocaleString('en-GB')} ideas → ${seconds(naiveScaledMs)} scaled to ${ideas.toLocaleString('en-GB')}`],
      ['floor: one SQL GROUP BY mean', seconds(floorMs)],
      ['store floor: scores out + results in, no computing', seconds(storeFloorMs)],
      ['ratio naive / ours', `${(naiveScaledMs / ours.ms).toFixed(1)}× faster (goal ≥ 20×)`],
      ['ratio ours / floor', `${(ours.ms / floorMs).toFixed(1)}× the floor`],
      ['ratio ours / store floor', `${(ours.ms / storeFloorMs).toFixed(1)}× (what fitting and ranking add to moving the data)`],
      ['ratio naive / floor', `${(naiveScaledMs / floorMs).toFixed(1)}× (the most any tally could be faster than naive)`],
      ['goals', `${ours.ms <= 15_000 ? 'met' : 'MISSED'}: ≤ 15 s; ${ours.peakRssMb <= 1024 ? 'met' : 'MISSED'}: worker RSS ≤ 1 GB`],
    ];
    const width = Math.max(...rows.map(([l]) => l.length));
    for (const [label, value] of rows) console.log(`${label.padEnd(width)}  ${value}`);
    console.log(`\nfigures ${JSON.stringify({ ideas, judges, seedMs, ours, naive: { ...naive, scaledMs: naiveScaledMs }, floorMs, storeFloorMs })}`);
    return 0;
  } finally {
    await env.drop();
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) process.exitCode = await main(process.argv.slice(2));

// The tally's arithmetic at national scale (issue "Judging"): `npm run bench -- tally-core [--ideas N]
// [--judges N] [--runs N]`.
//
// 1,000,000 ideas × 3 scores among 10,000 judges (synthetic: quality N(50, 15), severity N(0, 12),
// noise SD 8), as the typed arrays the tally job hands over. Measured, each in its own child process
// so peak RSS is its own:
//  - ours: fitAdditiveModel (canonical sort, alternating least squares to 1e-9, residual SDs, flags)
//    and then rankIdeas (total order on all ideas); rows arrive grouped by idea (as read from the
//    assignments), and once more in random order;
//  - floor: a plain JS per-idea mean over the same typed arrays — the least any tally can do.
// The database side (reading 3M score rows, writing results) is not part of this benchmark.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { Prng, fitAdditiveModel, rankIdeas, type ScoreTable } from '@app/judging';

const K = 3;

interface Options {
  ideas: number;
  judges: number;
  runs: number;
}

/** The same synthetic round in every process (seeded): 3 distinct random judges per idea. */
function makeScores(o: Options): ScoreTable {
  const rng = new Prng('tally-core-scores');
  const severity = Float64Array.from({ length: o.judges }, () => 12 * rng.nextGaussian());
  const n = o.ideas * K;
  const ideaIndex = new Int32Array(n);
  const judgeIndex = new Int32Array(n);
  const total = new Float64Array(n);
  for (let i = 0; i < o.ideas; i++) {
    const quality = 50 + 15 * rng.nextGaussian();
    for (let t = 0; t < K; t++) {
      const r = i * K + t;
      let j: number;
      do j = rng.below(o.judges);
      while ((t > 0 && judgeIndex[r - 1] === j) || (t > 1 && judgeIndex[r - 2] === j));
      ideaIndex[r] = i;
      judgeIndex[r] = j;
      total[r] = quality + severity[j] + 8 * rng.nextGaussian();
    }
  }
  return { ideaCount: o.ideas, judgeCount: o.judges, ideaIndex, judgeIndex, total };
}

const peakRssMb = (): number => process.resourceUsage().maxRSS / 1024;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

type ChildResult = Record<string, number>;

function runOurs(o: Options): ChildResult {
  const table = makeScores(o);
  const rssBefore = peakRssMb();
  const submittedAt = Float64Array.from({ length: o.ideas }, (_, i) => 1_700_000_000_000 + i);
  const fitTimes: number[] = [];
  const rankTimes: number[] = [];
  let iterations = 0;
  let flagged = 0;
  let rssFirst = 0;
  for (let r = 0; r < o.runs; r++) {
    const t0 = performance.now();
    const fit = fitAdditiveModel(table, { judgesPerIdea: K });
    const t1 = performance.now();
    rankIdeas({ adjusted: fit.ideas.adjusted, rawMean: fit.ideas.rawMean, judgeCount: fit.ideas.judgeCount, submittedAt });
    const t2 = performance.now();
    fitTimes.push(t1 - t0);
    rankTimes.push(t2 - t1);
    if (r === 0) rssFirst = peakRssMb(); // one fit + rank, before repeated runs leave garbage behind
    iterations = fit.iterations;
    flagged = fit.ideas.flags.reduce((a, f) => a + (f === 0 ? 0 : 1), 0);
  }
  // Rows in random order (the fit must not depend on, nor much care about, the order rows arrive in).
  const order = new Prng('tally-core-shuffle').shuffle(Int32Array.from({ length: table.total.length }, (_, r) => r));
  const shuffled: ScoreTable = {
    ...table,
    ideaIndex: Int32Array.from(order, (r) => table.ideaIndex[r]),
    judgeIndex: Int32Array.from(order, (r) => table.judgeIndex[r]),
    total: Float64Array.from(order, (r) => table.total[r]),
  };
  const t0 = performance.now();
  fitAdditiveModel(shuffled, { judgesPerIdea: K });
  const shuffledFitMs = performance.now() - t0;
  return {
    fitMs: median(fitTimes),
    shuffledFitMs,
    rankMs: median(rankTimes),
    totalMs: median(fitTimes.map((f, r) => f + rankTimes[r])),
    runs: o.runs,
    iterations,
    flagged,
    peakRssFirstRunMb: rssFirst,
    peakRssMb: peakRssMb(),
    peakRssBeforeMb: rssBefore,
  };
}

function runFloor(o: Options): ChildResult {
  const { ideaIndex, total } = makeScores(o);
  const rssBefore = peakRssMb();
  const times: number[] = [];
  let check = 0;
  for (let r = 0; r < o.runs + 1; r++) {
    const t0 = performance.now();
    const sum = new Float64Array(o.ideas);
    const count = new Int32Array(o.ideas);
    for (let s = 0; s < total.length; s++) {
      sum[ideaIndex[s]] += total[s];
      count[ideaIndex[s]]++;
    }
    for (let i = 0; i < o.ideas; i++) sum[i] /= count[i];
    if (r > 0) times.push(performance.now() - t0); // the first run warms the JIT
    check += sum[0];
  }
  return { ms: median(times), check, peakRssMb: peakRssMb(), peakRssBeforeMb: rssBefore };
}

function parseOptions(args: readonly string[]): Options {
  const value = (name: string, fallback: number): number => {
    const i = args.findIndex((a) => a === `--${name}` || a.startsWith(`--${name}=`));
    if (i < 0) return fallback;
    const raw = args[i].includes('=') ? args[i].slice(args[i].indexOf('=') + 1) : args[i + 1];
    const v = Number(raw);
    if (!Number.isInteger(v) || v < 1) throw new Error(`--${name} must be a positive integer (got ${raw})`);
    return v;
  };
  return { ideas: value('ideas', 1_000_000), judges: value('judges', 10_000), runs: value('runs', 3) };
}

const thisFile = fileURLToPath(import.meta.url);

function child(variant: string, args: readonly string[]): ChildResult {
  const out = spawnSync(process.execPath, [thisFile, '--child', variant, ...args], { encoding: 'utf8', maxBuffer: 1 << 24 });
  if (out.status !== 0) throw new Error(`${variant} failed (${out.status}): ${out.stderr}`);
  return JSON.parse(out.stdout.trim().split('\n').pop() as string) as ChildResult;
}

export async function main(args: string[]): Promise<number> {
  const o = parseOptions(args);
  console.log(
    `tally-core: ${o.ideas.toLocaleString('en-GB')} ideas × ${K} scores among ${o.judges.toLocaleString('en-GB')} judges, ` +
      `median of ${o.runs} runs (Node ${process.version}, each variant in its own process)`,
  );
  const ours = child('ours', args);
  const floor = child('floor', args);
  const rows: [string, string][] = [
    ['fitAdditiveModel', `${ours.fitMs.toFixed(0)} ms (${ours.iterations} sweeps to 1e-9; ${ours.flagged} ideas flagged)`],
    ['  same scores, rows shuffled', `${ours.shuffledFitMs.toFixed(0)} ms (one run)`],
    ['rankIdeas (all ideas)', `${ours.rankMs.toFixed(0)} ms`],
    ['fit + rank', `${ours.totalMs.toFixed(0)} ms`],
    [
      '  peak RSS',
      `${ours.peakRssFirstRunMb.toFixed(0)} MB after the first fit + rank (${ours.peakRssBeforeMb.toFixed(0)} MB before: scores and Node); ` +
        `${ours.peakRssMb.toFixed(0)} MB at the end of all runs and the shuffled copy`,
    ],
    ['floor: per-idea mean in plain JS', `${floor.ms.toFixed(1)} ms, peak RSS ${floor.peakRssMb.toFixed(0)} MB (${floor.peakRssBeforeMb.toFixed(0)} MB before)`],
    ['ratio fit / floor', `${(ours.fitMs / floor.ms).toFixed(1)}×`],
    ['ratio fit + rank / floor', `${(ours.totalMs / floor.ms).toFixed(1)}×`],
  ];
  const width = Math.max(...rows.map(([label]) => label.length));
  for (const [label, value] of rows) console.log(`${label.padEnd(width)}  ${value}`);
  console.log(`\nfigures ${JSON.stringify({ options: o, ours, floor })}`);
  return 0;
}

// `node dist/bench/tally-core.js --child <variant> …` is how main() measures each variant; run directly
// without --child it behaves like `node bench/run.mjs tally-core`.
if (process.argv[1] === thisFile) {
  const [flag, variant, ...rest] = process.argv.slice(2);
  if (flag === '--child') {
    const o = parseOptions(rest);
    const run = { ours: runOurs, floor: runFloor }[variant as 'ours' | 'floor'];
    if (!run) throw new Error(`unknown variant ${variant}`);
    console.log(JSON.stringify(run(o)));
  } else {
    process.exitCode = await main(process.argv.slice(2));
  }
}

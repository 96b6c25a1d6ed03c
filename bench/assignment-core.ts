// Assignment at national scale (issue "Judging"): `npm run bench -- assignment-core [--ideas N]
// [--judges N] [--runs N] [--naive-ideas N]`.
//
// 1,000,000 ideas × 3 judges among 10,000 judges, with school conflicts (100 judges — 1 % — each teach
// at one school with entrants, conflicted with all its ideas; 20,000 schools) plus 3,000 random declared
// conflicts, through the real assignBalanced. Figures: time, peak RSS, max − min load, unassignable.
// Baselines in the same run, each in its own child process so peak RSS is its own:
//  - floor: round-robin without conflicts or randomness (slot s → judge s mod J): just writing the
//    output, the least any assignment can cost;
//  - naive: for every idea, sort all judges by (load, random key) and take the first k allowed ones —
//    the obvious "least loaded first" implementation. It costs O(J log J) per idea, so it runs on
//    --naive-ideas ideas (same judges, same conflict density) and its per-idea time is scaled to the
//    full count: its work per idea does not depend on the number of ideas.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { Prng, assignBalanced, buildConflictIndex, type ConflictIndex } from '@app/judging';

const SCHOOLS = 20_000;
const TEACHER_SHARE = 0.01;
const DECLARED = 3_000;
const K = 3;

interface Options {
  ideas: number;
  judges: number;
  runs: number;
  naiveIdeas: number;
}

interface Instance {
  conflicts: ConflictIndex;
  pairs: number;
}

/** The benchmark instance, the same for every variant (seeded). */
function makeInstance(ideas: number, judges: number): Instance {
  const rng = new Prng('assignment-core-instance');
  const schoolOf = new Int32Array(ideas);
  const perSchool = new Int32Array(SCHOOLS + 1);
  for (let i = 0; i < ideas; i++) {
    schoolOf[i] = rng.below(SCHOOLS);
    perSchool[schoolOf[i] + 1]++;
  }
  for (let s = 0; s < SCHOOLS; s++) perSchool[s + 1] += perSchool[s];
  const ideasOfSchool = new Int32Array(ideas);
  const cursor = perSchool.slice(0, SCHOOLS);
  for (let i = 0; i < ideas; i++) ideasOfSchool[cursor[schoolOf[i]]++] = i;

  const ideaOfPair: number[] = [];
  const judgeOfPair: number[] = [];
  // 1 % of judges teach at a school with entrants: conflicted with every idea of that school.
  const teachers = rng.shuffle(Int32Array.from({ length: judges }, (_, j) => j)).subarray(0, Math.round(judges * TEACHER_SHARE));
  for (const judge of teachers) {
    let school: number;
    do school = rng.below(SCHOOLS);
    while (perSchool[school + 1] === perSchool[school]);
    for (let p = perSchool[school]; p < perSchool[school + 1]; p++) {
      ideaOfPair.push(ideasOfSchool[p]);
      judgeOfPair.push(judge);
    }
  }
  for (let d = 0; d < DECLARED; d++) {
    ideaOfPair.push(rng.below(ideas));
    judgeOfPair.push(rng.below(judges));
  }
  return { conflicts: buildConflictIndex(ideas, ideaOfPair, judgeOfPair), pairs: ideaOfPair.length };
}

const peakRssMb = (): number => process.resourceUsage().maxRSS / 1024;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

type ChildResult = Record<string, number | string | boolean>;

function runOurs(o: Options): ChildResult {
  const started = performance.now();
  const instance = makeInstance(o.ideas, o.judges);
  const instanceMs = performance.now() - started;
  const rssBefore = peakRssMb();
  const judges = Int32Array.from({ length: o.judges }, (_, j) => j);
  const times: number[] = [];
  let result = assignBalanced({ ideaCount: o.ideas, judges, judgesPerIdea: K, seed: 'bench-0', conflicts: instance.conflicts });
  for (let r = 0; r < o.runs; r++) {
    const t0 = performance.now();
    result = assignBalanced({ ideaCount: o.ideas, judges, judgesPerIdea: K, seed: `bench-${r}`, conflicts: instance.conflicts });
    times.push(performance.now() - t0);
  }
  // Check the last result: distinct, non-conflicted judges everywhere.
  const { offsets, judges: conflicted } = instance.conflicts;
  let violations = 0;
  for (let i = 0; i < o.ideas; i++) {
    const base = i * K;
    for (let t = 0; t < K; t++) {
      const j = result.assignments[base + t];
      if (j < 0) continue;
      for (let u = 0; u < t; u++) if (result.assignments[base + u] === j) violations++;
      for (let c = offsets[i]; c < offsets[i + 1]; c++) if (conflicted[c] === j) violations++;
    }
  }
  return {
    ms: median(times),
    msMin: Math.min(...times),
    runs: o.runs,
    instanceMs,
    conflictPairs: instance.pairs,
    spread: result.stats.maxLoad - result.stats.minLoad,
    minLoad: result.stats.minLoad,
    maxLoad: result.stats.maxLoad,
    greedySpread: result.stats.greedySpread,
    repairMoves: result.stats.repairMoves,
    balanceOptimal: result.stats.balanceOptimal,
    unassignable: result.unassignable.length,
    violations,
    peakRssMb: peakRssMb(),
    peakRssBeforeMb: rssBefore,
  };
}

function runFloor(o: Options): ChildResult {
  const instance = makeInstance(o.ideas, o.judges); // same process shape as "ours"
  void instance;
  const rssBefore = peakRssMb();
  const times: number[] = [];
  for (let r = 0; r < o.runs + 1; r++) {
    const t0 = performance.now();
    const slots = new Int32Array(o.ideas * K);
    const loads = new Int32Array(o.judges);
    for (let s = 0; s < slots.length; s++) {
      const j = s % o.judges;
      slots[s] = j;
      loads[j]++;
    }
    if (r > 0) times.push(performance.now() - t0); // the first run warms the JIT
  }
  return { ms: median(times), peakRssMb: peakRssMb(), peakRssBeforeMb: rssBefore };
}

function runNaive(o: Options): ChildResult {
  // Same judges and conflict density, fewer ideas.
  const ideas = o.naiveIdeas;
  const instance = makeInstance(ideas, o.judges);
  const { offsets, judges: conflicted } = instance.conflicts;
  const rng = new Prng('naive');
  const loads = new Int32Array(o.judges);
  const slots = new Int32Array(ideas * K).fill(-1);
  const tieKey = new Float64Array(o.judges);
  const t0 = performance.now();
  const byLoad = Array.from({ length: o.judges }, (_, j) => j);
  for (let i = 0; i < ideas; i++) {
    for (let j = 0; j < o.judges; j++) tieKey[j] = rng.nextFloat();
    byLoad.sort((a, b) => loads[a] - loads[b] || tieKey[a] - tieKey[b]);
    let got = 0;
    for (let p = 0; p < byLoad.length && got < K; p++) {
      const j = byLoad[p];
      let bad = false;
      for (let c = offsets[i]; c < offsets[i + 1]; c++) if (conflicted[c] === j) bad = true;
      if (bad) continue;
      slots[i * K + got++] = j;
      loads[j]++;
    }
  }
  const ms = performance.now() - t0;
  let min = Infinity;
  let max = -Infinity;
  for (const l of loads) (min = Math.min(min, l), max = Math.max(max, l));
  return { ms, ideas, msPerIdea: ms / ideas, msScaled: (ms / ideas) * o.ideas, spread: max - min, peakRssMb: peakRssMb() };
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
  return { ideas: value('ideas', 1_000_000), judges: value('judges', 10_000), runs: value('runs', 3), naiveIdeas: value('naive-ideas', 2_000) };
}

const thisFile = fileURLToPath(import.meta.url);

/** Runs one variant in a fresh Node process and returns its figures. */
function child(variant: string, args: readonly string[]): ChildResult {
  const out = spawnSync(process.execPath, [thisFile, '--child', variant, ...args], { encoding: 'utf8', maxBuffer: 1 << 24 });
  if (out.status !== 0) throw new Error(`${variant} failed (${out.status}): ${out.stderr}`);
  return JSON.parse(out.stdout.trim().split('\n').pop() as string) as ChildResult;
}

const fmt = (v: number | string | boolean, digits = 1): string => (typeof v === 'number' ? v.toFixed(digits) : String(v));

export async function main(args: string[]): Promise<number> {
  const o = parseOptions(args);
  console.log(
    `assignment-core: ${o.ideas.toLocaleString('en-GB')} ideas × ${K} among ${o.judges.toLocaleString('en-GB')} judges, ` +
      `${TEACHER_SHARE * 100} % teaching at a school with entrants (${SCHOOLS.toLocaleString('en-GB')} schools), ${DECLARED} declared conflicts ` +
      `(Node ${process.version}, each variant in its own process)`,
  );
  const ours = child('ours', args);
  const floor = child('floor', args);
  const naive = child('naive', args);
  const ms = ours.ms as number;
  const rows: [string, string][] = [
    ['assignBalanced, median of runs', `${fmt(ms)} ms (min ${fmt(ours.msMin)} ms, ${ours.runs} runs; instance built in ${fmt(ours.instanceMs)} ms, ${ours.conflictPairs} conflict pairs)`],
    ['  peak RSS', `${fmt(ours.peakRssMb)} MB (${fmt(ours.peakRssBeforeMb)} MB before assigning: instance and Node)`],
    ['  loads min / max / spread', `${ours.minLoad} / ${ours.maxLoad} / ${ours.spread} (greedy alone: ${ours.greedySpread}; repair moves ${ours.repairMoves}; proved optimal ${ours.balanceOptimal})`],
    ['  unassignable / rule violations', `${ours.unassignable} / ${ours.violations}`],
    ['floor: round-robin, no conflicts', `${fmt(floor.ms)} ms, peak RSS ${fmt(floor.peakRssMb)} MB`],
    ['naive: sort all judges per idea', `${fmt(naive.ms)} ms for ${naive.ideas} ideas → ${fmt((naive.msScaled as number) / 1000)} s scaled to ${o.ideas.toLocaleString('en-GB')} (spread ${naive.spread})`],
    ['ratio ours / floor', `${fmt(ms / (floor.ms as number))}×`],
    ['ratio naive (scaled) / ours', `${fmt((naive.msScaled as number) / ms, 0)}× faster`],
    ['goal ≤ 30 s, max − min ≤ 1', ms <= 30_000 && (ours.spread as number) <= 1 && ours.violations === 0 ? 'met' : 'NOT met'],
  ];
  const width = Math.max(...rows.map(([label]) => label.length));
  for (const [label, value] of rows) console.log(`${label.padEnd(width)}  ${value}`);
  console.log(`\nfigures ${JSON.stringify({ options: o, ours, floor, naive })}`);
  return ms <= 30_000 && (ours.spread as number) <= 1 && ours.violations === 0 ? 0 : 1;
}

// `node dist/bench/assignment-core.js --child <variant> …` is how main() measures each variant; run
// directly without --child it behaves like `node bench/run.mjs assignment-core`.
if (process.argv[1] === thisFile) {
  const [flag, variant, ...rest] = process.argv.slice(2);
  if (flag === '--child') {
    const o = parseOptions(rest);
    const run = { ours: runOurs, floor: runFloor, naive: runNaive }[variant as 'ours' | 'floor' | 'naive'];
    if (!run) throw new Error(`unknown variant ${variant}`);
    console.log(JSON.stringify(run(o)));
  } else {
    process.exitCode = await main(process.argv.slice(2));
  }
}

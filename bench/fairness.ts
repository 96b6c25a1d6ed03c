// Fairness simulation through the real tally code (issue "Judging"): `npm run bench -- fairness
// [--seeds N]`.
//
// Each seed simulates a screening round: 300 ideas of true quality N(50, 15), 30 judges of severity
// N(0, 12) (points on the 0–100 scale), 3 judges an idea assigned by assignBalanced, every score
// = quality + severity + noise N(0, 8) (not clipped to 0–100, so the model is tested on its own terms).
// Four ways of scoring the ideas, all measured on the same rounds:
//  - adjusted: fitAdditiveModel's adjusted score (SPEC §2.4), top 20 from rankIdeas;
//  - raw mean: the plain mean of an idea's scores;
//  - z-scores: each judge's scores standardised by that judge's own mean and (sample) SD, averaged
//    per idea — the usual spreadsheet fix for harsh and lenient judges;
//  - oracle: scores minus the judges' true severities, averaged — the best any severity correction
//    can do; what remains is the scoring noise.
// Figures: mean Pearson correlation with true quality, and mean share of the true top 20 found in the
// top 20 (the shortlist), over all seeds. Goals (issue): adjusted within 0.01 of the oracle's
// correlation, and ≥ 12 points of top-20 recall above the raw mean.
import { Prng, assignBalanced, fitAdditiveModel, rankIdeas } from '@app/judging';

const IDEAS = 300;
const JUDGES = 30;
const K = 3;
const TOP = 20;

type Method = 'adjusted' | 'raw mean' | 'z-scores' | 'oracle';
const METHODS: Method[] = ['adjusted', 'raw mean', 'z-scores', 'oracle'];

function pearson(x: ArrayLike<number>, y: ArrayLike<number>): number {
  const n = x.length;
  let mx = 0;
  let my = 0;
  for (let i = 0; i < n; i++) {
    mx += x[i];
    my += y[i];
  }
  mx /= n;
  my /= n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    sxy += (x[i] - mx) * (y[i] - my);
    sxx += (x[i] - mx) ** 2;
    syy += (y[i] - my) ** 2;
  }
  return sxy / Math.sqrt(sxx * syy);
}

/** Indices of the `count` largest values (ties by index; values are continuous, so ties do not occur). */
function topIndices(values: ArrayLike<number>, count: number): Set<number> {
  const order = Array.from({ length: values.length }, (_, i) => i);
  order.sort((a, b) => values[b] - values[a] || a - b);
  return new Set(order.slice(0, count));
}

function recall(found: Set<number>, truth: Set<number>): number {
  let hits = 0;
  for (const i of found) if (truth.has(i)) hits++;
  return hits / truth.size;
}

interface SeedResult {
  correlation: Record<Method, number>;
  recall: Record<Method, number>;
  sweeps: number;
}

function simulate(seed: number): SeedResult {
  const rng = new Prng(`fairness-${seed}`);
  const quality = Float64Array.from({ length: IDEAS }, () => 50 + 15 * rng.nextGaussian());
  const severity = Float64Array.from({ length: JUDGES }, () => 12 * rng.nextGaussian());
  const assignment = assignBalanced({
    ideaCount: IDEAS,
    judges: Int32Array.from({ length: JUDGES }, (_, j) => j),
    judgesPerIdea: K,
    seed: `fairness-assignment-${seed}`,
  });
  const n = IDEAS * K;
  const ideaIndex = new Int32Array(n);
  const judgeIndex = new Int32Array(n);
  const total = new Float64Array(n);
  for (let s = 0; s < n; s++) {
    const idea = Math.floor(s / K);
    const judge = assignment.assignments[s];
    ideaIndex[s] = idea;
    judgeIndex[s] = judge;
    total[s] = quality[idea] + severity[judge] + 8 * rng.nextGaussian();
  }

  const fit = fitAdditiveModel({ ideaCount: IDEAS, judgeCount: JUDGES, ideaIndex, judgeIndex, total }, { judgesPerIdea: K });
  const ranking = rankIdeas({
    adjusted: fit.ideas.adjusted,
    rawMean: fit.ideas.rawMean,
    judgeCount: fit.ideas.judgeCount,
    submittedAt: new Float64Array(IDEAS), // all at once: ties, if any, fall to the idea index
  });

  // Per-judge z-scores: (total − judge mean) / judge SD (n − 1), averaged per idea.
  const judgeSum = new Float64Array(JUDGES);
  const judgeSquares = new Float64Array(JUDGES);
  const judgeN = new Int32Array(JUDGES);
  for (let s = 0; s < n; s++) {
    judgeSum[judgeIndex[s]] += total[s];
    judgeN[judgeIndex[s]]++;
  }
  const judgeMean = judgeSum.map((sum, j) => sum / judgeN[j]);
  for (let s = 0; s < n; s++) judgeSquares[judgeIndex[s]] += (total[s] - judgeMean[judgeIndex[s]]) ** 2;
  const judgeSd = judgeSquares.map((sq, j) => Math.sqrt(sq / (judgeN[j] - 1)));
  const z = new Float64Array(IDEAS);
  const oracle = new Float64Array(IDEAS);
  for (let s = 0; s < n; s++) {
    const j = judgeIndex[s];
    z[ideaIndex[s]] += (total[s] - judgeMean[j]) / judgeSd[j] / K;
    oracle[ideaIndex[s]] += (total[s] - severity[j]) / K;
  }

  const truth = topIndices(quality, TOP);
  const scores: Record<Method, ArrayLike<number>> = { adjusted: fit.ideas.adjusted, 'raw mean': fit.ideas.rawMean, 'z-scores': z, oracle };
  const tops: Record<Method, Set<number>> = {
    adjusted: new Set(ranking.order.subarray(0, TOP)),
    'raw mean': topIndices(fit.ideas.rawMean, TOP),
    'z-scores': topIndices(z, TOP),
    oracle: topIndices(oracle, TOP),
  };
  const correlation = {} as Record<Method, number>;
  const recalls = {} as Record<Method, number>;
  for (const m of METHODS) {
    correlation[m] = pearson(scores[m], quality);
    recalls[m] = recall(tops[m], truth);
  }
  return { correlation, recall: recalls, sweeps: fit.iterations };
}

function seedsOption(args: readonly string[]): number {
  const i = args.findIndex((a) => a === '--seeds' || a.startsWith('--seeds='));
  if (i < 0) return 50;
  const raw = args[i].includes('=') ? args[i].slice(args[i].indexOf('=') + 1) : args[i + 1];
  const v = Number(raw);
  if (!Number.isInteger(v) || v < 2) throw new Error(`--seeds must be an integer ≥ 2 (got ${raw})`);
  return v;
}

const mean = (values: number[]): number => values.reduce((a, b) => a + b, 0) / values.length;
const sd = (values: number[]): number => {
  const m = mean(values);
  return Math.sqrt(values.reduce((a, v) => a + (v - m) ** 2, 0) / (values.length - 1));
};

export async function main(args: string[]): Promise<number> {
  const seeds = seedsOption(args);
  console.log(
    `fairness: ${IDEAS} ideas ~ N(50, 15), ${JUDGES} judges with severity ~ N(0, 12), noise SD 8, ${K} judges an idea, ` +
      `${seeds} seeds, top ${TOP} (Node ${process.version})`,
  );
  const started = performance.now();
  const results = Array.from({ length: seeds }, (_, s) => simulate(s));
  const elapsed = performance.now() - started;

  const corr = (m: Method) => results.map((r) => r.correlation[m]);
  const rec = (m: Method) => results.map((r) => r.recall[m]);
  const header = `${'method'.padEnd(10)}  ${'correlation (± SE)'.padEnd(20)}  top-${TOP} recall (± SE)`;
  console.log(`\n${header}\n${'-'.repeat(header.length)}`);
  for (const m of METHODS) {
    const c = corr(m);
    const r = rec(m);
    console.log(
      `${m.padEnd(10)}  ${`${mean(c).toFixed(4)} ± ${(sd(c) / Math.sqrt(seeds)).toFixed(4)}`.padEnd(20)}  ` +
        `${(100 * mean(r)).toFixed(1)} % ± ${((100 * sd(r)) / Math.sqrt(seeds)).toFixed(1)}`,
    );
  }
  // Paired differences (same rounds), which is what the goals are about.
  const gapToOracle = results.map((r) => r.correlation.oracle - r.correlation.adjusted);
  const recallGain = results.map((r) => r.recall.adjusted - r.recall['raw mean']);
  const corrGoal = mean(gapToOracle) <= 0.01;
  const recallGoal = mean(recallGain) >= 0.12;
  console.log(
    `\noracle − adjusted correlation: ${mean(gapToOracle).toFixed(4)} (paired SE ${(sd(gapToOracle) / Math.sqrt(seeds)).toFixed(4)}); ` +
      `goal ≤ 0.01: ${corrGoal ? 'met' : 'NOT met'}`,
  );
  console.log(
    `adjusted − raw mean top-${TOP} recall: ${(100 * mean(recallGain)).toFixed(1)} points (paired SE ${((100 * sd(recallGain)) / Math.sqrt(seeds)).toFixed(1)}); ` +
      `goal ≥ 12 points: ${recallGoal ? 'met' : 'NOT met'}`,
  );
  const figures = {
    seeds,
    ms: elapsed,
    meanSweeps: mean(results.map((r) => r.sweeps)),
    correlation: Object.fromEntries(METHODS.map((m) => [m, mean(corr(m))])),
    recall: Object.fromEntries(METHODS.map((m) => [m, mean(rec(m))])),
    oracleMinusAdjustedCorrelation: mean(gapToOracle),
    adjustedMinusRawRecall: mean(recallGain),
    goals: { correlationWithin001OfOracle: corrGoal, recallGain12Points: recallGoal },
  };
  console.log(`\nfigures ${JSON.stringify(figures)}`);
  return corrGoal && recallGoal ? 0 : 1;
}

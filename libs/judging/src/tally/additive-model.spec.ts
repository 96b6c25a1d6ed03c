import { describe, expect, it } from '@jest/globals';
import { assignBalanced } from '../assignment/balanced-assignment.js';
import { Prng } from '../assignment/prng.js';
import { type AdditiveModelFit, type ScoreTable, TallyFlag, fitAdditiveModel, flagNames } from './additive-model.js';

/** A screening round: ideas of known quality, judges of known severity, 3 judges an idea. */
function simulate(seed: string, ideaCount: number, judgeCount: number, noiseSd: number, severity: (j: number) => number) {
  const rng = new Prng(seed);
  const quality = Float64Array.from({ length: ideaCount }, () => 50 + 15 * rng.nextGaussian());
  const trueSeverity = Float64Array.from({ length: judgeCount }, (_, j) => severity(j));
  const assignment = assignBalanced({ ideaCount, judges: Int32Array.from({ length: judgeCount }, (_, j) => j), judgesPerIdea: 3, seed });
  const n = ideaCount * 3;
  const table: ScoreTable = { ideaCount, judgeCount, ideaIndex: new Int32Array(n), judgeIndex: new Int32Array(n), total: new Float64Array(n) };
  for (let s = 0; s < n; s++) {
    const idea = Math.floor(s / 3);
    const judge = assignment.assignments[s];
    table.ideaIndex[s] = idea;
    table.judgeIndex[s] = judge;
    table.total[s] = quality[idea] + trueSeverity[judge] + noiseSd * rng.nextGaussian();
  }
  return { table, quality, trueSeverity };
}

/** Severities spread evenly over −15 … +15, summing to 0. */
const spread = (judgeCount: number) => (j: number) => -15 + (30 * j) / (judgeCount - 1);

const bytes = (a: Float64Array | Int32Array | Uint8Array) => Buffer.from(a.buffer, a.byteOffset, a.byteLength);

function expectIdentical(a: AdditiveModelFit, b: AdditiveModelFit): void {
  for (const key of ['adjusted', 'rawMean', 'judgeCount', 'disagreement', 'flags'] as const) {
    expect(bytes(a.ideas[key]).equals(bytes(b.ideas[key]))).toBe(true);
  }
  expect(bytes(a.judges.severity).equals(bytes(b.judges.severity))).toBe(true);
  expect(a.iterations).toBe(b.iterations);
}

/** Pearson correlation. */
function correlation(x: ArrayLike<number>, y: ArrayLike<number>): number {
  const n = x.length;
  let mx = 0;
  let my = 0;
  for (let i = 0; i < n; i++) (mx += x[i] / n, my += y[i] / n);
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

describe('fitAdditiveModel', () => {
  it('recovers known severities exactly from noiseless scores when shrinkage is off', () => {
    const { table, quality, trueSeverity } = simulate('exact', 300, 20, 0, spread(20));
    const fit = fitAdditiveModel(table, { judgesPerIdea: 3, priorScores: 0 });
    expect(fit.converged).toBe(true);
    // The true severities already sum to 0, so the centred least-squares solution is the truth itself.
    for (let j = 0; j < 20; j++) expect(fit.judges.severity[j]).toBeCloseTo(trueSeverity[j], 6);
    for (let i = 0; i < 300; i++) expect(fit.ideas.adjusted[i]).toBeCloseTo(quality[i], 6);
  });

  it('recovers known severities from noisy scores within the sampling error', () => {
    // 600 ideas × 3 among 30 judges: 60 scores each, noise SD 8. A severity is a mean of 60 residuals,
    // each carrying the noise plus a third of the idea's other judges' errors, so its standard error is
    // about 8 · √(3/2) / √60 ≈ 1.3 points; shrinkage adds a bias of at most 15 · 2/62 ≈ 0.5. Bounds:
    // every judge within 6 points (4 SE + bias: all 30 pass with probability > 99.8 %), and a mean
    // absolute error under 1.8 (expected ≈ 1.04 + 0.25; over 200 simulated rounds the worst was 1.37).
    // (That the fit is the exact least-squares solution is checked separately, below.)
    const { table, quality, trueSeverity } = simulate('noisy', 600, 30, 8, spread(30));
    const fit = fitAdditiveModel(table, { judgesPerIdea: 3 });
    expect(fit.converged).toBe(true);
    let totalError = 0;
    for (let j = 0; j < 30; j++) {
      const error = Math.abs(fit.judges.severity[j] - trueSeverity[j]);
      expect(error).toBeLessThan(6);
      totalError += error;
    }
    expect(totalError / 30).toBeLessThan(1.8);
    expect(correlation(fit.judges.severity, trueSeverity)).toBeGreaterThan(0.97);
    // And the adjusted scores track quality better than raw means do.
    expect(correlation(fit.ideas.adjusted, quality)).toBeGreaterThan(correlation(fit.ideas.rawMean, quality));
  });

  it('solves the SPEC’s equations: quality = mean(total − severity), severity = Σ(total − quality)/(n + 2), Σ severity = 0', () => {
    const { table } = simulate('equations', 400, 25, 8, (j) => (j % 5) * 4 - 8);
    const fit = fitAdditiveModel(table, { judgesPerIdea: 3 });
    const { adjusted } = fit.ideas;
    const { severity, scoreCount } = fit.judges;
    const ideaSum = new Float64Array(400);
    const judgeSum = new Float64Array(25);
    for (let r = 0; r < table.total.length; r++) {
      ideaSum[table.ideaIndex[r]] += table.total[r] - severity[table.judgeIndex[r]];
      judgeSum[table.judgeIndex[r]] += table.total[r] - adjusted[table.ideaIndex[r]];
    }
    for (let i = 0; i < 400; i++) expect(Math.abs(adjusted[i] - ideaSum[i] / 3)).toBeLessThan(1e-8);
    for (let j = 0; j < 25; j++) expect(Math.abs(severity[j] - judgeSum[j] / (scoreCount[j] + 2))).toBeLessThan(1e-8);
    expect(Math.abs(severity.reduce((a, b) => a + b, 0))).toBeLessThan(1e-9);
    expect(scoreCount.reduce((a, b) => a + b, 0)).toBe(1200);
  });

  it('shrinks a judge with one score more than a judge with many', () => {
    // 60 ideas, each scored by three calibrated judges (0–2); judges 3 and 4 are both 10 points lenient,
    // judge 3 scores one idea and judge 4 twenty. Scores are noiseless.
    const ideaIndex: number[] = [];
    const judgeIndex: number[] = [];
    const total: number[] = [];
    const quality = (i: number) => 30 + i;
    for (let i = 0; i < 60; i++) for (let j = 0; j < 3; j++) (ideaIndex.push(i), judgeIndex.push(j), total.push(quality(i)));
    ideaIndex.push(0), judgeIndex.push(3), total.push(quality(0) + 10);
    for (let i = 10; i < 30; i++) (ideaIndex.push(i), judgeIndex.push(4), total.push(quality(i) + 10));
    const fit = fitAdditiveModel(
      { ideaCount: 60, judgeCount: 5, ideaIndex: Int32Array.from(ideaIndex), judgeIndex: Int32Array.from(judgeIndex), total: Float64Array.from(total) },
      { judgesPerIdea: 3 },
    );
    const [, , , one, many] = fit.judges.severity;
    expect(one).toBeGreaterThan(0);
    expect(many).toBeGreaterThan(0);
    expect(one).toBeLessThan(many / 2); // 1 score + 2 pseudo-scores vs 20 + 2
    expect(many - fit.judges.severity[0]).toBeGreaterThan(8); // 20 scores: close to the true 10 above the others
    expect(Math.abs(fit.judges.severity.reduce((a, b) => a + b, 0))).toBeLessThan(1e-9);
  });

  it('gives the same bits for the same scores, in any row order', () => {
    const { table } = simulate('determinism', 500, 40, 8, spread(40));
    const first = fitAdditiveModel(table, { judgesPerIdea: 3 });
    expectIdentical(first, fitAdditiveModel(table, { judgesPerIdea: 3 }));
    const order = new Prng('shuffle').shuffle(Int32Array.from({ length: table.total.length }, (_, r) => r));
    const shuffled: ScoreTable = {
      ...table,
      ideaIndex: Int32Array.from(order, (r) => table.ideaIndex[r]),
      judgeIndex: Int32Array.from(order, (r) => table.judgeIndex[r]),
      total: Float64Array.from(order, (r) => table.total[r]),
    };
    expectIdentical(first, fitAdditiveModel(shuffled, { judgesPerIdea: 3 }));
  });

  it('measures disagreement as the population SD of residuals and flags it above 15', () => {
    // One idea, three judges who scored only it: by symmetry quality = mean, severity_j = (y_j − mean)/3,
    // so residuals are 2/3 of the deviations. Deviations ±30 → residual SD 2/3 · √600 ≈ 16.33 > 15.
    const one = (totals: number[]) =>
      fitAdditiveModel(
        { ideaCount: 1, judgeCount: 3, ideaIndex: Int32Array.from([0, 0, 0]), judgeIndex: Int32Array.from([0, 1, 2]), total: Float64Array.from(totals) },
        { judgesPerIdea: 3 },
      ).ideas;
    const wide = one([20, 50, 80]);
    expect(wide.disagreement[0]).toBeCloseTo((2 / 3) * Math.sqrt(600), 9);
    expect(wide.rawMean[0]).toBe(50);
    expect(wide.adjusted[0]).toBeCloseTo(50, 9);
    expect(flagNames(wide.flags[0])).toEqual(['high_disagreement']);
    const narrow = one([40, 50, 60]);
    expect(narrow.disagreement[0]).toBeCloseTo((2 / 3) * Math.sqrt(200 / 3), 9);
    expect(narrow.flags[0]).toBe(0);
  });

  it('flags ideas with too few scores, defines disagreement 0 for one score, NaN scores for none', () => {
    const fit = fitAdditiveModel(
      {
        ideaCount: 4,
        judgeCount: 3,
        ideaIndex: Int32Array.from([0, 0, 0, 1, 1, 2]),
        judgeIndex: Int32Array.from([0, 1, 2, 0, 1, 2]),
        total: Float64Array.from([60, 70, 80, 40, 45, 90]),
      },
      { judgesPerIdea: 3 },
    );
    expect(Array.from(fit.ideas.judgeCount)).toEqual([3, 2, 1, 0]);
    expect(Array.from(fit.ideas.flags, (f) => (f & TallyFlag.TooFewScores) !== 0)).toEqual([false, true, true, true]);
    expect(fit.ideas.disagreement[2]).toBe(0);
    expect(fit.ideas.disagreement[3]).toBe(0);
    expect(fit.ideas.rawMean[2]).toBe(90);
    expect(Number.isNaN(fit.ideas.adjusted[3])).toBe(true);
    expect(Number.isNaN(fit.ideas.rawMean[3])).toBe(true);
    // A final round: expected judges per idea (panel minus conflicts).
    const final = fitAdditiveModel(
      { ideaCount: 2, judgeCount: 2, ideaIndex: Int32Array.from([0, 0, 1]), judgeIndex: Int32Array.from([0, 1, 0]), total: Float64Array.from([50, 60, 70]) },
      { judgesPerIdea: Int32Array.from([2, 1]) },
    );
    expect(Array.from(final.ideas.flags)).toEqual([0, 0]);
  });

  it('leaves judges without scores at severity 0, outside the sum', () => {
    const fit = fitAdditiveModel(
      { ideaCount: 2, judgeCount: 3, ideaIndex: Int32Array.from([0, 1, 0, 1]), judgeIndex: Int32Array.from([0, 0, 2, 2]), total: Float64Array.from([30, 50, 50, 70]) },
      { judgesPerIdea: 2 },
    );
    expect(fit.judges.severity[1]).toBe(0);
    expect(fit.judges.scoreCount[1]).toBe(0);
    expect(fit.judges.severity[0]).toBeLessThan(0);
    expect(fit.judges.severity[0] + fit.judges.severity[2]).toBeCloseTo(0, 12);
  });

  it('rejects malformed score tables', () => {
    const table = (ideaIndex: number[], judgeIndex: number[], total: number[]): ScoreTable => ({
      ideaCount: 2,
      judgeCount: 2,
      ideaIndex: Int32Array.from(ideaIndex),
      judgeIndex: Int32Array.from(judgeIndex),
      total: Float64Array.from(total),
    });
    expect(() => fitAdditiveModel(table([0, 0], [1, 1], [1, 2]), { judgesPerIdea: 1 })).toThrow(/more than once/);
    expect(() => fitAdditiveModel(table([2], [0], [1]), { judgesPerIdea: 1 })).toThrow(/out of range/);
    expect(() => fitAdditiveModel(table([0], [0], [NaN]), { judgesPerIdea: 1 })).toThrow(/finite/);
    expect(() => fitAdditiveModel(table([0], [0, 1], [1]), { judgesPerIdea: 1 })).toThrow(/same length/);
  });

  it('converges in few sweeps on a well-mixed round', () => {
    const { table } = simulate('sweeps', 3000, 100, 8, spread(100));
    const fit = fitAdditiveModel(table, { judgesPerIdea: 3 });
    expect(fit.converged).toBe(true);
    expect(fit.lastChange).toBeLessThanOrEqual(1e-9);
    expect(fit.iterations).toBeLessThan(200);
  });
});

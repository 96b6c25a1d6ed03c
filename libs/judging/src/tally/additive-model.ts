/**
 * The fair tally (SPEC §2.4): a joint additive model fitted over the whole round,
 *
 *     total(judge j, idea i) = quality(i) + severity(j) + noise,
 *
 * where total is a score's weighted total on the 0–100 scale (rubric.ts). A harsh judge has a negative
 * severity, a lenient one a positive severity; the adjusted score of an idea is its quality, i.e. what
 * its scores would have averaged with judges of average severity. Raw means punish ideas that happened
 * to draw harsh judges; with 3 judges per idea that luck is worth several points (see
 * bench/fairness.ts for the simulation).
 *
 * Estimation. Least squares with a ridge penalty on the severities:
 *
 *     minimise  Σ_scores (total − quality_i − severity_j)²  +  λ · Σ_j severity_j²,   λ = 2,
 *
 * the SPEC's "shrinkage toward 0 as if 2 extra scores of zero residual were observed": a judge with few
 * scores is not confidently declared harsh or lenient. Setting the derivatives to zero gives
 *
 *     quality_i  = Σ_{j scored i} (total_ij − severity_j) / m_i
 *     severity_j = Σ_{i scored by j} (total_ij − quality_i) / (n_j + λ)
 *
 * which we solve by alternating the two updates (block coordinate descent: every sweep lowers the
 * objective, which for λ > 0 is strictly convex, so the sweeps converge to its unique minimum). After
 * each sweep the severities are re-centred to Σ severity = 0 (over judges with scores); the qualities,
 * recomputed from the severities, shift by the same amount, so every fitted value quality + severity
 * is unchanged by the re-centring. The minimum satisfies Σ severity = 0 by itself (shifting every
 * severity by c and every quality by −c changes only the penalty, which is least at Σ = 0), so the
 * re-centring does not change the answer; it removes the one slow direction of the iteration — a
 * common shift, damped only by n/(n + 2) per sweep — leaving a convergence rate set by how well the
 * judging graph mixes: 25 sweeps for 10^6 random ideas × 3. (With λ = 0 the least-squares solution is
 * unique only up to that shift, and the re-centring is what picks Σ = 0.) We stop when no severity
 * moves by more than `tolerance` (1e-9 points on the 0–100 scale); qualities then move by no more than
 * that either, since each is a mean of total − severity.
 *
 * Determinism. Scores are first put in a canonical order (by idea, then judge) and every sum runs in
 * a fixed order — qualities over an idea's judges ascending, severities over a judge's ideas
 * ascending, the centring over judges ascending — for a number of sweeps decided by the same data. So
 * the same set of scores gives bit-for-bit the same results, whatever order the rows arrive in
 * (database order is not stable) and on any machine (IEEE-754 doubles, + − × / and sqrt only).
 *
 * Memory: one sorted copy of the scores (12 bytes each) and a few arrays per idea: about 75 MB for
 * 10^6 ideas × 3 scores, on top of the caller's input arrays. Each sweep is one sequential pass over
 * the scores.
 */

/** Flag bits of an idea's result. */
export const TallyFlag = Object.freeze({
  /** Fewer scores than judges expected (judgesPerIdea, or the idea's panel size in a final). */
  TooFewScores: 1,
  /** Standard deviation of the idea's residuals above the threshold (SPEC: 15). */
  HighDisagreement: 2,
});

export type TallyFlagName = 'too_few_scores' | 'high_disagreement';

/** The flag names of a flags value, as the API shows them. */
export function flagNames(flags: number): TallyFlagName[] {
  const names: TallyFlagName[] = [];
  if (flags & TallyFlag.TooFewScores) names.push('too_few_scores');
  if (flags & TallyFlag.HighDisagreement) names.push('high_disagreement');
  return names;
}

/** The round's scores as parallel typed arrays: score r is (ideaIndex[r], judgeIndex[r], total[r]). */
export interface ScoreTable {
  ideaCount: number;
  judgeCount: number;
  ideaIndex: Int32Array;
  judgeIndex: Int32Array;
  /** Weighted totals on the 0–100 scale. */
  total: Float64Array;
}

export interface AdditiveModelOptions {
  /** Judges each idea should have had: one number (screening) or one per idea (final: panel minus conflicts). */
  judgesPerIdea: number | Int32Array;
  /** λ, the shrinkage in pseudo-scores of zero residual (SPEC: 2). */
  priorScores?: number;
  /** Largest severity change at which the fit counts as converged (default 1e-9). */
  tolerance?: number;
  /** Upper bound on sweeps (default 10,000). */
  maxIterations?: number;
  /** Residual SD above which an idea is flagged high_disagreement (SPEC: 15). */
  disagreementThreshold?: number;
}

export interface IdeaResults {
  /** Adjusted score = fitted quality, unrounded (round with roundScore for presentation); NaN with no scores. */
  adjusted: Float64Array;
  /** Mean of the idea's totals; NaN with no scores. */
  rawMean: Float64Array;
  /** Number of scores (= judges) of the idea. */
  judgeCount: Int32Array;
  /**
   * Population standard deviation of the idea's residuals total − quality − severity (divisor m, the
   * number of scores; 0 for m ≤ 1). Population rather than sample SD because it describes these
   * judges' disagreement on this idea, not an estimate for a wider population of judges; note that
   * with m = 3 residuals it is about 0.8 × the noise SD, since the idea's own quality absorbs part of it.
   */
  disagreement: Float64Array;
  /** Bit set of TallyFlag values. */
  flags: Uint8Array;
}

export interface JudgeResults {
  /** Fitted severity (points on the 0–100 scale, negative = harsh); 0 for a judge with no scores. Σ = 0. */
  severity: Float64Array;
  scoreCount: Int32Array;
}

export interface AdditiveModelFit {
  ideas: IdeaResults;
  judges: JudgeResults;
  /** Sweeps run. */
  iterations: number;
  /** False when maxIterations ran out before the tolerance was met. */
  converged: boolean;
  /** The largest severity change in the last sweep. */
  lastChange: number;
}

const DEFAULTS = { priorScores: 2, tolerance: 1e-9, maxIterations: 10_000, disagreementThreshold: 15 };

/** Fits the additive model to a round's scores. See the file comment. */
export function fitAdditiveModel(table: ScoreTable, options: AdditiveModelOptions): AdditiveModelFit {
  const { ideaCount, judgeCount } = table;
  const prior = options.priorScores ?? DEFAULTS.priorScores;
  const tolerance = options.tolerance ?? DEFAULTS.tolerance;
  const maxIterations = options.maxIterations ?? DEFAULTS.maxIterations;
  const threshold = options.disagreementThreshold ?? DEFAULTS.disagreementThreshold;
  if (!(prior >= 0)) throw new RangeError('priorScores must be ≥ 0');
  if (!(tolerance > 0)) throw new RangeError('tolerance must be > 0');
  if (!Number.isInteger(maxIterations) || maxIterations < 1) throw new RangeError('maxIterations must be a positive integer');
  const expected = options.judgesPerIdea;
  if (typeof expected !== 'number' && expected.length !== ideaCount) throw new RangeError('judgesPerIdea must have one entry per idea');

  const { ideaStart, ideaJudge, ideaTotal, judgeScores } = sortScores(table);

  const quality = new Float64Array(ideaCount);
  const severity = new Float64Array(judgeCount);
  const residualSum = new Float64Array(judgeCount);
  let scoredJudges = 0;
  for (let j = 0; j < judgeCount; j++) if (judgeScores[j] > 0) scoredJudges++;

  let iterations = 0;
  let lastChange = Infinity;
  let converged = false;
  while (iterations < maxIterations) {
    iterations++;
    // One pass over the scores in (idea, judge) order does both half-steps: each idea's quality from
    // the current severities, then its residuals total − quality into its judges' sums. Each judge's
    // sum thus accumulates in ascending idea order — a fixed order — and the pass reads the scores
    // sequentially, touching only the small severity array at random (no judge-major copy needed).
    residualSum.fill(0);
    for (let i = 0; i < ideaCount; i++) {
      const from = ideaStart[i];
      const to = ideaStart[i + 1];
      if (from === to) continue;
      let sum = 0;
      for (let e = from; e < to; e++) sum += ideaTotal[e] - severity[ideaJudge[e]];
      const q = sum / (to - from);
      quality[i] = q;
      for (let e = from; e < to; e++) residualSum[ideaJudge[e]] += ideaTotal[e] - q;
    }
    // New severities, re-centred: Σ severity = 0 over judges with scores.
    let total = 0;
    for (let j = 0; j < judgeCount; j++) if (judgeScores[j] > 0) total += residualSum[j] / (judgeScores[j] + prior);
    const shift = scoredJudges > 0 ? total / scoredJudges : 0;
    lastChange = 0;
    for (let j = 0; j < judgeCount; j++) {
      if (judgeScores[j] === 0) continue; // no scores: stays 0, outside the centring
      const s = residualSum[j] / (judgeScores[j] + prior) - shift;
      const change = Math.abs(s - severity[j]);
      if (change > lastChange) lastChange = change;
      severity[j] = s;
    }
    // Qualities need no shift here: the next pass (or the final update) recomputes every one of them
    // from these severities, which moves them up by exactly `shift`.
    if (lastChange <= tolerance) {
      converged = true;
      break;
    }
  }
  // Final quality update from the final severities: each idea's residuals then sum to zero.
  for (let i = 0; i < ideaCount; i++) {
    const from = ideaStart[i];
    const to = ideaStart[i + 1];
    if (from === to) continue;
    let sum = 0;
    for (let e = from; e < to; e++) sum += ideaTotal[e] - severity[ideaJudge[e]];
    quality[i] = sum / (to - from);
  }

  const rawMean = new Float64Array(ideaCount);
  const judgeCountOfIdea = new Int32Array(ideaCount);
  const disagreement = new Float64Array(ideaCount);
  const flags = new Uint8Array(ideaCount);
  for (let i = 0; i < ideaCount; i++) {
    const from = ideaStart[i];
    const to = ideaStart[i + 1];
    const m = to - from;
    judgeCountOfIdea[i] = m;
    let flag = 0;
    if (m < (typeof expected === 'number' ? expected : expected[i])) flag |= TallyFlag.TooFewScores;
    if (m === 0) {
      rawMean[i] = NaN;
      quality[i] = NaN;
      flags[i] = flag;
      continue;
    }
    let total = 0;
    let residualSum = 0;
    for (let e = from; e < to; e++) {
      total += ideaTotal[e];
      residualSum += ideaTotal[e] - quality[i] - severity[ideaJudge[e]];
    }
    rawMean[i] = total / m;
    if (m > 1) {
      // Around the residuals' own mean (≈ 0 by construction), two passes for accuracy.
      const meanResidual = residualSum / m;
      let squares = 0;
      for (let e = from; e < to; e++) {
        const d = ideaTotal[e] - quality[i] - severity[ideaJudge[e]] - meanResidual;
        squares += d * d;
      }
      disagreement[i] = Math.sqrt(squares / m);
      if (disagreement[i] > threshold) flag |= TallyFlag.HighDisagreement;
    }
    flags[i] = flag;
  }
  return {
    ideas: { adjusted: quality, rawMean, judgeCount: judgeCountOfIdea, disagreement, flags },
    judges: { severity, scoreCount: judgeScores },
    iterations,
    converged,
    lastChange,
  };
}

interface SortedScores {
  /** Scores by idea, judges ascending within an idea: idea i owns entries ideaStart[i] .. ideaStart[i + 1]. */
  ideaStart: Int32Array;
  ideaJudge: Int32Array;
  ideaTotal: Float64Array;
  /** Number of scores of each judge. */
  judgeScores: Int32Array;
}

/**
 * Validates the table and puts the scores in canonical (idea, judge) order: a counting sort by idea
 * (reading the rows sequentially; rows that arrive grouped by idea, as they usually do, are even
 * written sequentially), then a sort of each idea's few scores by judge. Linear for bounded judges per
 * idea, and independent of the input row order.
 */
function sortScores(table: ScoreTable): SortedScores {
  const { ideaCount, judgeCount, ideaIndex, judgeIndex, total } = table;
  if (!Number.isInteger(ideaCount) || ideaCount < 0) throw new RangeError('ideaCount must be a non-negative integer');
  if (!Number.isInteger(judgeCount) || judgeCount < 0) throw new RangeError('judgeCount must be a non-negative integer');
  const n = total.length;
  if (ideaIndex.length !== n || judgeIndex.length !== n) throw new RangeError('ideaIndex, judgeIndex and total must have the same length');

  const judgeScores = new Int32Array(judgeCount);
  const ideaStart = new Int32Array(ideaCount + 1);
  for (let r = 0; r < n; r++) {
    const i = ideaIndex[r];
    const j = judgeIndex[r];
    if (i < 0 || i >= ideaCount) throw new RangeError(`score ${r}: idea ${i} is out of range`);
    if (j < 0 || j >= judgeCount) throw new RangeError(`score ${r}: judge ${j} is out of range`);
    if (!Number.isFinite(total[r])) throw new RangeError(`score ${r}: total is not a finite number`);
    judgeScores[j]++;
    ideaStart[i + 1]++;
  }
  for (let i = 0; i < ideaCount; i++) ideaStart[i + 1] += ideaStart[i];

  const ideaJudge = new Int32Array(n);
  const ideaTotal = new Float64Array(n);
  const cursor = ideaStart.slice(0, ideaCount);
  for (let r = 0; r < n; r++) {
    const e = cursor[ideaIndex[r]]++;
    ideaJudge[e] = judgeIndex[r];
    ideaTotal[e] = total[r];
  }
  for (let i = 0; i < ideaCount; i++) {
    const from = ideaStart[i];
    const to = ideaStart[i + 1];
    sortSegmentByJudge(ideaJudge, ideaTotal, from, to);
    // One score per (idea, judge): duplicates are adjacent now.
    for (let e = from + 1; e < to; e++) {
      if (ideaJudge[e] === ideaJudge[e - 1]) throw new RangeError(`judge ${ideaJudge[e]} scored idea ${i} more than once`);
    }
  }
  return { ideaStart, ideaJudge, ideaTotal, judgeScores };
}

/** Sorts entries from .. to − 1 of the parallel arrays by judge (insertion sort for the usual handful). */
function sortSegmentByJudge(judges: Int32Array, totals: Float64Array, from: number, to: number): void {
  if (to - from <= 32) {
    for (let e = from + 1; e < to; e++) {
      const judge = judges[e];
      const value = totals[e];
      let p = e - 1;
      while (p >= from && judges[p] > judge) {
        judges[p + 1] = judges[p];
        totals[p + 1] = totals[p];
        p--;
      }
      judges[p + 1] = judge;
      totals[p + 1] = value;
    }
    return;
  }
  // A final round can give an idea dozens of judges: sort positions, then permute.
  const positions = Array.from({ length: to - from }, (_, q) => from + q);
  positions.sort((a, b) => judges[a] - judges[b] || a - b);
  const sortedJudges = positions.map((p) => judges[p]);
  const sortedTotals = positions.map((p) => totals[p]);
  judges.set(sortedJudges, from);
  totals.set(sortedTotals, from);
}

/**
 * Ranking and outcomes of a tallied round (SPEC §2.4).
 *
 * Order: adjusted score (desc), then raw mean (desc), then more judges, then earlier submission, then
 * the idea id, then the idea's index — a total order, so the ranking never depends on sort stability
 * or the order rows came from the database.
 *
 * Scores are compared as presented, rounded to 2 decimals (`precision`). Two ideas shown to organisers
 * as 71.23 and 71.23 are a tie, broken by the published rule (raw mean, …) rather than by invisible
 * digits, and a difference in the 12th decimal (a matter of summation order, far below any judging
 * signal) cannot decide who gets £15,000. Pass `precision: null` to compare at full precision.
 */

/**
 * Rounds a score for presentation: `decimals` places (default 2), half away from zero, decided on the
 * exact value of the double — the same result as `Number(value.toFixed(decimals))`, e.g. 71.235 (stored
 * as 71.23499999…) gives 71.23 — without −0. Ten times faster than toFixed, which matters when ranking
 * a million ideas: x · 10^d is computed in floating point and rounded, and only when that product lies
 * within 1e-7 of a half (where its own rounding error could tip the result) does it defer to toFixed.
 */
export function roundScore(value: number, decimals = 2): number {
  if (!Number.isFinite(value)) return value;
  const scale = 10 ** decimals;
  const scaled = value * scale;
  const fraction = Math.abs(scaled - Math.trunc(scaled));
  if (Math.abs(fraction - 0.5) < 1e-7 || Math.abs(scaled) >= 2 ** 52 || decimals > 15) {
    return Number(value.toFixed(decimals)) + 0;
  }
  // Away from a half, Math.round agrees with rounding half away from zero; r / 10^d is then the double
  // nearest to the decimal r·10^-d, as Number("…") would parse it. + 0 turns −0 into 0.
  return Math.round(scaled) / scale + 0;
}

export interface RankInput {
  /** Per idea, from fitAdditiveModel: adjusted score, raw mean, judge count (NaN scores rank last). */
  adjusted: ArrayLike<number>;
  rawMean: ArrayLike<number>;
  judgeCount: ArrayLike<number>;
  /** Submission time per idea (epoch milliseconds); earlier ranks first on a tie. */
  submittedAt: ArrayLike<number>;
  /** Final tie-break key per idea (e.g. the idea's UUID), compared by code units, not locale. */
  ideaIds?: ArrayLike<string> | ArrayLike<number>;
  /** Decimals at which adjusted scores and raw means compare (default 2, as presented); null = exact. */
  precision?: number | null;
}

export interface Ranking {
  /** Idea indices, best first. */
  order: Int32Array;
  /** 1-based rank per idea: rank[order[p]] = p + 1. */
  rank: Int32Array;
}

export function rankIdeas(input: RankInput): Ranking {
  const count = input.adjusted.length;
  for (const [name, values] of [
    ['rawMean', input.rawMean],
    ['judgeCount', input.judgeCount],
    ['submittedAt', input.submittedAt],
  ] as const) {
    if (values.length !== count) throw new RangeError(`${name} must have one entry per idea`);
  }
  if (input.ideaIds && input.ideaIds.length !== count) throw new RangeError('ideaIds must have one entry per idea');
  const precision = input.precision === undefined ? 2 : input.precision;
  // Sort keys in typed arrays, as presented, with "missing" mapped to the end of the order: NaN scores
  // (no scores) to −∞, NaN times to +∞. The comparator is then plain subtraction; ∞ − ∞ is NaN, which
  // counts as a tie and falls through to the next key like 0 does.
  const adjusted = new Float64Array(count);
  const rawMean = new Float64Array(count);
  const judgeCount = new Float64Array(count);
  const submittedAt = new Float64Array(count);
  for (let i = 0; i < count; i++) {
    const a = precision === null ? input.adjusted[i] : roundScore(input.adjusted[i], precision);
    const r = precision === null ? input.rawMean[i] : roundScore(input.rawMean[i], precision);
    adjusted[i] = Number.isNaN(a) ? -Infinity : a;
    rawMean[i] = Number.isNaN(r) ? -Infinity : r;
    judgeCount[i] = input.judgeCount[i];
    submittedAt[i] = Number.isNaN(input.submittedAt[i]) ? Infinity : input.submittedAt[i];
  }
  const ids = input.ideaIds;

  const order = Array.from({ length: count }, (_, i) => i);
  order.sort(
    (a, b) =>
      adjusted[b] - adjusted[a] ||
      rawMean[b] - rawMean[a] ||
      judgeCount[b] - judgeCount[a] ||
      submittedAt[a] - submittedAt[b] ||
      (ids ? compareIds(ids[a], ids[b]) : 0) ||
      a - b,
  );
  const rank = new Int32Array(count);
  for (let p = 0; p < count; p++) rank[order[p]] = p + 1;
  return { order: Int32Array.from(order), rank };
}

function compareIds(a: string | number, b: string | number): number {
  return a === b ? 0 : a < b ? -1 : 1;
}

export type RoundOutcome = 'shortlisted' | 'winner';

export type OutcomeRule = { kind: 'screening'; shortlistSize: number } | { kind: 'final'; prizeCount: number };

/**
 * Outcome per idea: the top `shortlistSize` of a screening round are 'shortlisted', the top
 * `prizeCount` of a final are (provisional) 'winner's; everyone else null. Only ideas with at least
 * one score can be selected — an unjudged idea is never shortlisted for lack of competition.
 */
export function markOutcomes(ranking: Ranking, judgeCount: ArrayLike<number>, rule: OutcomeRule): (RoundOutcome | null)[] {
  const places = rule.kind === 'screening' ? rule.shortlistSize : rule.prizeCount;
  if (!Number.isInteger(places) || places < 0) throw new RangeError('the number of places must be a non-negative integer');
  const outcome: RoundOutcome = rule.kind === 'screening' ? 'shortlisted' : 'winner';
  const result: (RoundOutcome | null)[] = new Array<RoundOutcome | null>(ranking.order.length).fill(null);
  let given = 0;
  for (let p = 0; p < ranking.order.length && given < places; p++) {
    const idea = ranking.order[p];
    if (judgeCount[idea] > 0) {
      result[idea] = outcome;
      given++;
    }
  }
  return result;
}

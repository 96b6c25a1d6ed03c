/**
 * Rubrics and the 0–100 scaling of a score (SPEC §2.4: "each score's weighted total is scaled to 0–100
 * (min of every criterion = 0, max = 100)").
 *
 * Scaling first makes rounds with different rubrics (five criteria 1–10, or three criteria 0–4 with
 * weights) comparable, and puts the model's severities and the 15-point disagreement threshold on one
 * fixed scale.
 */

export interface RubricCriterion {
  key: string;
  label: string;
  /** Non-negative; at least one criterion must carry weight. */
  weight: number;
  /** Inclusive integer range of the criterion, min < max. */
  min: number;
  max: number;
}

/** The SPEC's default rubric: five criteria, weight 1, scored 1–10. */
export const DEFAULT_RUBRIC: readonly RubricCriterion[] = Object.freeze(
  [
    ['innovation', 'Innovation'],
    ['impact', 'Impact'],
    ['feasibility', 'Feasibility'],
    ['digital', 'Digital'],
    ['presentation', 'Presentation'],
  ].map(([key, label]) => Object.freeze({ key, label, weight: 1, min: 1, max: 10 })),
);

/** Throws a RangeError when the rubric cannot scale scores (duplicate keys, empty ranges, no weight). */
export function validateRubric(criteria: readonly RubricCriterion[]): void {
  if (criteria.length === 0) throw new RangeError('a rubric needs at least one criterion');
  const keys = new Set<string>();
  let span = 0;
  for (const c of criteria) {
    if (keys.has(c.key)) throw new RangeError(`criterion "${c.key}" appears twice`);
    keys.add(c.key);
    if (!Number.isFinite(c.weight) || c.weight < 0) throw new RangeError(`criterion "${c.key}": weight must be finite and ≥ 0`);
    if (!Number.isFinite(c.min) || !Number.isFinite(c.max) || c.min >= c.max) throw new RangeError(`criterion "${c.key}": min must be below max`);
    span += c.weight * (c.max - c.min);
  }
  if (!(span > 0)) throw new RangeError('at least one criterion must carry weight');
}

/**
 * The weighted total of one score on the 0–100 scale: 100 · Σ w(x − min) / Σ w(max − min).
 * Every criterion at its min gives exactly 0, every criterion at its max exactly 100.
 * Throws a RangeError for a missing criterion or a value outside its range.
 */
export function scaleTotal(scores: Readonly<Record<string, number>>, criteria: readonly RubricCriterion[]): number {
  validateRubric(criteria);
  let numerator = 0;
  let denominator = 0;
  for (const c of criteria) {
    const value = scores[c.key];
    if (typeof value !== 'number' || !Number.isFinite(value)) throw new RangeError(`criterion "${c.key}" has no score`);
    if (value < c.min || value > c.max) throw new RangeError(`criterion "${c.key}": ${value} is outside ${c.min}–${c.max}`);
    numerator += c.weight * (value - c.min);
    denominator += c.weight * (c.max - c.min);
  }
  // 100 · numerator first: with integer scores and weights it is exact, leaving one rounding.
  return (100 * numerator) / denominator;
}

/**
 * scaleTotal over many scores at once, for the tally job: `values` holds one row per score, with the
 * criteria in rubric order (row r, criterion c at r·C + c). Returns one total per row.
 */
export function scaleTotals(values: ArrayLike<number>, criteria: readonly RubricCriterion[]): Float64Array {
  validateRubric(criteria);
  const width = criteria.length;
  if (values.length % width !== 0) throw new RangeError(`values must hold whole rows of ${width} criteria`);
  const rows = values.length / width;
  let denominator = 0;
  for (const c of criteria) denominator += c.weight * (c.max - c.min);
  const out = new Float64Array(rows);
  for (let r = 0; r < rows; r++) {
    let numerator = 0;
    for (let c = 0; c < width; c++) {
      const { key, weight, min, max } = criteria[c];
      const value = values[r * width + c];
      if (!(value >= min && value <= max)) throw new RangeError(`row ${r}, criterion "${key}": ${value} is outside ${min}–${max}`);
      numerator += weight * (value - min);
    }
    out[r] = (100 * numerator) / denominator;
  }
  return out;
}

/**
 * Replacement of a single assignment after a judge declares a conflict on it (SPEC §2.4: "it is
 * reassigned to the least-loaded eligible judge").
 *
 * One replacement at a time cannot keep the global max − min ≤ 1 by itself in every case (the
 * declaring judge loses one, the replacement gains one), but picking a least-loaded judge never makes
 * the spread worse than it was plus one, and usually keeps it: the replacement comes from the
 * minimum bucket whenever an eligible judge there exists.
 */
import { Prng, type Seed } from './prng.js';

export interface ReplacementInput {
  /** The round's eligible judges (indices), in a stable order (e.g. by judge id): ties depend on it. */
  judges: ArrayLike<number>;
  /** Current loads, loads[p] for judges[p]. */
  loads: ArrayLike<number>;
  /** Judges already on the idea, including the one being replaced. */
  onIdea: ArrayLike<number>;
  /** Judges conflicted with the idea, including the one who just declared the conflict. */
  conflicted: ArrayLike<number>;
  /**
   * Seed of the tie-break, e.g. `${round.seed}:${assignmentId}`: the same request always picks the
   * same judge, different assignments spread over the tied judges.
   */
  seed: Seed;
}

/**
 * A least-loaded judge of the pool who is neither on the idea nor conflicted with it, ties broken
 * uniformly at random by the seeded generator; −1 when no judge is eligible. O(J).
 */
export function pickReplacement(input: ReplacementInput): number {
  const { judges, loads } = input;
  if (judges.length !== loads.length) throw new RangeError('judges and loads must have the same length');
  const excluded = new Set<number>();
  for (let p = 0; p < input.onIdea.length; p++) excluded.add(input.onIdea[p]);
  for (let p = 0; p < input.conflicted.length; p++) excluded.add(input.conflicted[p]);
  const rng = new Prng(input.seed);
  let best = -1;
  let bestLoad = Infinity;
  let ties = 0;
  for (let p = 0; p < judges.length; p++) {
    const judge = judges[p];
    if (excluded.has(judge)) continue;
    const load = loads[p];
    if (load < bestLoad) {
      best = judge;
      bestLoad = load;
      ties = 1;
    } else if (load === bestLoad) {
      // Reservoir sampling: after n tied judges each has been kept with probability 1/n.
      ties++;
      if (rng.below(ties) === 0) best = judge;
    }
  }
  return best;
}

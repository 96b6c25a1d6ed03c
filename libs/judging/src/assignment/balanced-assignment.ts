/**
 * Balanced, conflict-aware, seeded assignment of judges to ideas (SPEC §2.4, screening rounds).
 *
 * Contract
 * --------
 * Every idea gets `judgesPerIdea` (k) distinct judges from the pool, none conflicted with it. An idea
 * whose conflicts leave fewer than k judges in the pool gets every judge it may have and is listed in
 * `unassignable` — never dropped. Subject to that, the spread of judge loads (max − min) is the
 * smallest any assignment can achieve; in particular it is ≤ 1 whenever the conflicts allow that.
 * The assignment is a pure function of the inputs and the seed: same inputs, same seed ⇒ identical
 * output (all arithmetic is 32-bit integer, the generator is our own xoshiro128**, nothing reads the
 * clock or Math.random); another seed gives another assignment.
 *
 * Algorithm
 * ---------
 * 1. Greedy. Ideas are visited in a seeded random order; each takes, slot by slot, a least-loaded
 *    judge it may have, ties broken at random (random probes into the least-loaded bucket it may use,
 *    then a scan from a random offset). Loads live in `LoadBuckets`, so each pick is
 *    O(1 + k + conflicts of the idea).
 *    Without conflicts (and kept assignments) this alone keeps max − min ≤ 1 at every step: a pick
 *    always raises a judge of the minimum load m — the idea's earlier picks have already left that
 *    bucket — so loads stay within {m, m + 1}. With conflicts a pick may have to skip the whole
 *    minimum bucket (all its judges are conflicted with the idea, or kept on it), which can open a gap
 *    of 2; later ideas close such gaps, but some may remain at the end.
 * 2. Repair (balance-repair.ts), only when the greedy left max − min ≥ 2. Assignments are moved along
 *    *move paths* (judge u hands a slot of idea i to w, who may take i; w hands a slot of i' to …, ending
 *    at judge v), which lower u's load by one and raise v's by one.
 *    Phase 1 applies paths from a most-loaded judge (load M) to a judge with load ≤ M − 2 until none is
 *    left; phase 2 applies paths from any judge with load ≥ m + 2 to a least-loaded judge (load m).
 *    Each path strictly decreases Σ load², so the repair ends.
 *
 * Why the result is optimal (the number of judges of each idea, d_i = min(k, judges it may have), is
 * the same in every assignment, because judges have no capacity limit; kept slots are the same too):
 * - End of phase 1: let S be the judges reachable by move paths from the judges at load M. No path
 *   leaves S, so for every idea i with a (movable) judge in S, every judge that may take i and is not
 *   on i is in S; hence any other assignment gives i at most as many judges outside S as it has now,
 *   i.e. at least as many inside S. Summing over ideas, every assignment puts at least load(S) slots on
 *   S. S contains a judge at M and (no path reached a judge ≤ M − 2) all its judges are ≥ M − 1, so
 *   load(S) / |S| > M − 1 and every assignment has a judge in S with load ≥ M: M is the least possible
 *   maximum.
 * - End of phase 2, symmetrically: let T be the judges from which a judge at load m is reachable. For
 *   an idea with a judge that may take it in T (and is not on it), all its current movable judges are
 *   in T; for any other idea, the judges in T it may have are those it has. Either way no assignment
 *   gives it more judges in T than now, so none puts more slots on T. T holds a judge at m and only judges ≤ m + 1 (else
 *   phase 2 would have found a path), so load(T) / |T| < m + 1 and every assignment has a judge in T
 *   with load ≤ m: m is the greatest possible minimum. Phase 2 never raises the maximum.
 * So the final assignment has the least possible maximum and the greatest possible minimum at once,
 * hence the least possible spread — ≤ 1 whenever any assignment achieves ≤ 1.
 * With kept assignments (reassignment) the same holds among assignments that keep those pairs: if the
 * kept loads are already far apart, the spread stays as small as the free slots can make it.
 *
 * Cost: greedy O(I·k + Σ conflicts) after an O(I) shuffle; a repair move is O(k + conflicts) when a
 * direct hand-over exists (the usual case with sparse conflicts) and at worst one linear search
 * O(J + I·k + Σ conflicts); proving optimality when the spread stays ≥ 2 costs one or two such
 * searches. Measured on 10^6 ideas × 3 among 10^4 judges (2 cores): school conflicts as in the SPEC,
 * 0.3–0.5 s with no repair needed (bench/assignment-core.ts); a pathological pattern — 10 judges
 * conflicted with 99.98 % of all ideas, 10^7 conflict pairs — about 12 s, nearly all in 15 repair
 * searches, each sweeping most of the assignment to find the few ideas those judges may take.
 * `maxRepairMoves` bounds the number of moves, and `stats.balanceOptimal` says whether it was hit.
 * Memory: a handful of typed arrays of I·k and J entries (about 30 MB for 10^6 ideas × 3), plus an
 * inverse index (about the same) only when a repair is needed.
 */
import { LoadBuckets, StampMarks } from './load-buckets.js';
import { repairBalance } from './balance-repair.js';
import { type ConflictIndex, validateConflictIndex } from './conflicts.js';
import { Prng, type Seed } from './prng.js';

export interface BalancedAssignmentInput {
  /** Ideas are 0 .. ideaCount − 1. */
  ideaCount: number;
  /**
   * The eligible judges, as distinct non-negative indices (e.g. positions in the round's judge list).
   * Conflicts, kept assignments and the output all use these same indices.
   */
  judges: ArrayLike<number>;
  /** k, the number of distinct judges each idea should get (SPEC default 3). */
  judgesPerIdea: number;
  /** The round's stored seed. */
  seed: Seed;
  /** Judges conflicted with each idea; entries for judges outside `judges` are ignored. */
  conflicts?: ConflictIndex;
  /**
   * Assignments to keep (reassignment): ideaCount·k entries in the output's layout, a judge index or −1
   * for a slot to fill. Kept pairs must be eligible, non-conflicted and distinct within an idea; they
   * are never moved.
   */
  keep?: Int32Array;
  /** Upper bound on repair moves (default: effectively unbounded, 4·ideaCount·k + 1000). */
  maxRepairMoves?: number;
}

export interface AssignmentStats {
  /** Slots filled in total (= Σ loads). */
  assigned: number;
  minLoad: number;
  maxLoad: number;
  /** max − min right after the greedy pass, before repair (diagnostic). */
  greedySpread: number;
  /** Move paths applied by the repair. */
  repairMoves: number;
  /** True when max − min is proved to be the least any assignment allows (false only if maxRepairMoves ran out). */
  balanceOptimal: boolean;
}

export interface BalancedAssignment {
  ideaCount: number;
  judgesPerIdea: number;
  /**
   * The judges of idea i are assignments[i·k .. i·k + k − 1] (judge indices as given); −1 marks a slot
   * that could not be filled, which happens only for unassignable ideas, after their real judges.
   */
  assignments: Int32Array;
  /** The pool, as given; loads[p] is the number of ideas of judges[p]. */
  judges: Int32Array;
  loads: Int32Array;
  /** Ideas with fewer than k judges, ascending. */
  unassignable: Int32Array;
  stats: AssignmentStats;
}

/** Maps the caller's judge indices to positions 0..J−1 in the pool. */
class JudgeLookup {
  private readonly dense: Int32Array | null;
  private readonly sparse: Map<number, number> | null;

  constructor(judges: Int32Array) {
    let max = -1;
    for (let p = 0; p < judges.length; p++) {
      const j = judges[p];
      if (j < 0) throw new RangeError(`judges[${p}] is negative`);
      if (j > max) max = j;
    }
    // A dense table when indices are compact (the normal case), a Map when they are scattered.
    if (max < 4 * judges.length + 1024) {
      this.dense = new Int32Array(max + 1).fill(-1);
      this.sparse = null;
      for (let p = 0; p < judges.length; p++) {
        if (this.dense[judges[p]] !== -1) throw new RangeError(`judge ${judges[p]} appears twice in judges`);
        this.dense[judges[p]] = p;
      }
    } else {
      this.dense = null;
      this.sparse = new Map();
      for (let p = 0; p < judges.length; p++) {
        if (this.sparse.has(judges[p])) throw new RangeError(`judge ${judges[p]} appears twice in judges`);
        this.sparse.set(judges[p], p);
      }
    }
  }

  /** Position of judge j in the pool, or −1 when j is not in it. */
  local(j: number): number {
    if (this.dense !== null) return j >= 0 && j < this.dense.length ? this.dense[j] : -1;
    return (this.sparse as Map<number, number>).get(j) ?? -1;
  }
}

function toInt32Array(values: ArrayLike<number>, what: string): Int32Array {
  const out = new Int32Array(values.length);
  for (let p = 0; p < values.length; p++) {
    const v = values[p];
    if (!Number.isInteger(v) || v < -0x80000000 || v > 0x7fffffff) throw new RangeError(`${what}[${p}] is not a 32-bit integer (got ${v})`);
    out[p] = v;
  }
  return out;
}

/**
 * Assigns k distinct, non-conflicted judges to every idea with balanced loads, reproducibly from the
 * seed. See the file comment for the guarantees and the argument behind them.
 */
export function assignBalanced(input: BalancedAssignmentInput): BalancedAssignment {
  const ideaCount = input.ideaCount;
  const k = input.judgesPerIdea;
  if (!Number.isInteger(ideaCount) || ideaCount < 0) throw new RangeError(`ideaCount must be a non-negative integer (got ${ideaCount})`);
  if (!Number.isInteger(k) || k < 1) throw new RangeError(`judgesPerIdea must be a positive integer (got ${k})`);
  const slotCount = ideaCount * k;
  if (slotCount > 0x7fffffff) throw new RangeError('ideaCount × judgesPerIdea exceeds 2^31 − 1');

  const pool = toInt32Array(input.judges, 'judges');
  const judgeCount = pool.length;
  const lookup = new JudgeLookup(pool);

  // Conflicts, translated once to pool positions (−1: a judge outside the pool, irrelevant here).
  const conflictOffsets = input.conflicts?.offsets ?? new Int32Array(ideaCount + 1);
  const conflictLocal = new Int32Array(input.conflicts?.judges.length ?? 0);
  if (input.conflicts) {
    validateConflictIndex(input.conflicts, ideaCount);
    const given = input.conflicts.judges;
    for (let c = 0; c < given.length; c++) conflictLocal[c] = lookup.local(given[c]);
  }

  const marks = new StampMarks(judgeCount);
  const mark = marks.mark;
  const slots = new Int32Array(slotCount).fill(-1);
  const loads = new Int32Array(judgeCount);
  let fixed: Uint8Array | null = null;
  if (input.keep) fixed = applyKeep(input.keep, slots, loads, ideaCount, k, lookup, conflictOffsets, conflictLocal, marks);

  let maxKept = 0;
  for (let j = 0; j < judgeCount; j++) if (loads[j] > maxKept) maxKept = loads[j];
  // No load can exceed maxKept + ideaCount: an idea adds at most one to any judge.
  const buckets = new LoadBuckets(loads, maxKept + ideaCount);
  const { perm, load } = buckets;
  const rng = new Prng(input.seed);

  const order = new Int32Array(ideaCount);
  for (let i = 0; i < ideaCount; i++) order[i] = i;
  rng.shuffle(order);

  const unassignable: number[] = [];
  for (let n = 0; n < ideaCount; n++) {
    const idea = order[n];
    const stamp = marks.next();
    // Mark the judges this idea may not get; count distinct conflicts within the pool.
    let conflicted = 0;
    for (let c = conflictOffsets[idea]; c < conflictOffsets[idea + 1]; c++) {
      const j = conflictLocal[c];
      if (j >= 0 && mark[j] !== stamp) {
        mark[j] = stamp;
        conflicted++;
      }
    }
    const base = idea * k;
    let have = 0;
    for (let t = 0; t < k; t++) {
      const j = slots[base + t];
      if (j >= 0) {
        mark[j] = stamp;
        have++;
      }
    }
    // Judges have no capacity, so an idea gets min(k, its allowed judges) — known before picking,
    // which spares a fruitless sweep of the whole pool for unassignable ideas.
    const want = Math.min(k, judgeCount - conflicted);
    for (let t = 0; t < k && have < want; t++) {
      if (slots[base + t] >= 0) continue;
      const j = pickLeastLoaded(buckets, mark, stamp, rng);
      slots[base + t] = j;
      mark[j] = stamp;
      buckets.increment(j);
      have++;
    }
    if (have < k) unassignable.push(idea);
  }

  const greedySpread = buckets.max() - buckets.min();
  const repair = repairBalance(
    { judgesPerIdea: k, slots, fixed, conflictOffsets, conflictLocal, buckets, marks },
    input.maxRepairMoves ?? 4 * slotCount + 1000,
  );

  // Unfilled slots go last within their idea, so an idea's judges are a prefix of its slots.
  if (unassignable.length > 0) {
    for (const idea of unassignable) {
      const base = idea * k;
      let write = base;
      for (let t = 0; t < k; t++) if (slots[base + t] >= 0) slots[write++] = slots[base + t];
      while (write < base + k) slots[write++] = -1;
    }
  }
  // Back to the caller's judge indices.
  for (let s = 0; s < slotCount; s++) if (slots[s] >= 0) slots[s] = pool[slots[s]];
  unassignable.sort((a, b) => a - b);

  let assigned = 0;
  for (let j = 0; j < judgeCount; j++) assigned += load[j];
  return {
    ideaCount,
    judgesPerIdea: k,
    assignments: slots,
    judges: pool,
    loads: load,
    unassignable: Int32Array.from(unassignable),
    stats: {
      assigned,
      minLoad: judgeCount ? load[perm[0]] : 0,
      maxLoad: judgeCount ? load[perm[judgeCount - 1]] : 0,
      greedySpread,
      repairMoves: repair.moves,
      balanceOptimal: repair.optimal,
    },
  };
}

/**
 * A least-loaded judge not marked with `stamp`, ties broken at random. The caller guarantees one
 * exists. Walking perm (sorted by load) from the start skips the marked judges — at most k plus the
 * idea's conflicts, whatever their loads — to the first unmarked one, whose load L is the least
 * available; the pick is then made at random within bucket L: two random probes almost always hit
 * an unmarked judge, else a scan from a random offset (which must find one: perm[p] is in the bucket).
 * Cost O(1 + k + conflicts of the idea), even when the least-loaded judges are exactly the ones
 * conflicted with most ideas.
 */
function pickLeastLoaded(buckets: LoadBuckets, mark: Int32Array, stamp: number, rng: Prng): number {
  const { perm, load } = buckets;
  const judgeCount = perm.length;
  let p = 0;
  while (p < judgeCount && mark[perm[p]] === stamp) p++;
  if (p === judgeCount) throw new Error('internal: no eligible judge left although one was counted');
  const l = load[perm[p]];
  const start = buckets.bucketStart(l);
  const size = buckets.bucketStart(l + 1) - start;
  for (let probe = 0; probe < 2; probe++) {
    const j = perm[start + rng.below(size)];
    if (mark[j] !== stamp) return j;
  }
  const offset = rng.below(size);
  for (let q = 0; q < size; q++) {
    let at = offset + q;
    if (at >= size) at -= size;
    const j = perm[start + at];
    if (mark[j] !== stamp) return j;
  }
  throw new Error('internal: bucket scan missed an unmarked judge');
}

/** Copies kept assignments into the slots (as pool positions), checking them; returns the fixed flags. */
function applyKeep(
  keep: Int32Array,
  slots: Int32Array,
  loads: Int32Array,
  ideaCount: number,
  k: number,
  lookup: JudgeLookup,
  conflictOffsets: Int32Array,
  conflictLocal: Int32Array,
  marks: StampMarks,
): Uint8Array {
  if (keep.length !== ideaCount * k) throw new RangeError(`keep must have ideaCount × judgesPerIdea = ${ideaCount * k} entries (got ${keep.length})`);
  const fixed = new Uint8Array(keep.length);
  const mark = marks.mark;
  for (let idea = 0; idea < ideaCount; idea++) {
    const base = idea * k;
    let any = false;
    for (let t = 0; t < k; t++) if (keep[base + t] !== -1) any = true;
    if (!any) continue;
    const stamp = marks.next();
    for (let c = conflictOffsets[idea]; c < conflictOffsets[idea + 1]; c++) if (conflictLocal[c] >= 0) mark[conflictLocal[c]] = stamp;
    const seen = marks.next(); // a second stamp: conflicts are `stamp`, judges already kept are `seen`
    for (let t = 0; t < k; t++) {
      const given = keep[base + t];
      if (given === -1) continue;
      const j = lookup.local(given);
      if (j < 0) throw new RangeError(`keep: judge ${given} of idea ${idea} is not in the pool`);
      if (mark[j] === stamp) throw new RangeError(`keep: judge ${given} is conflicted with idea ${idea}`);
      if (mark[j] === seen) throw new RangeError(`keep: judge ${given} appears twice on idea ${idea}`);
      mark[j] = seen;
      slots[base + t] = j;
      fixed[base + t] = 1;
      loads[j]++;
    }
  }
  return fixed;
}

/**
 * Conflicts of interest as a compressed sparse row (CSR) index over ideas.
 *
 * A judge is conflicted with an idea when they teach at a school of one of its members, are a member,
 * or declared it (SPEC §2.4). At national scale that is a few thousand to a few hundred thousand pairs
 * among 10^6 ideas × 10^4 judges — far too sparse for a matrix, and too many for per-idea `Set`s
 * (an object per idea). CSR keeps them in two typed arrays: the judges conflicted with idea `i` are
 * `judges[offsets[i] .. offsets[i + 1])`, sorted ascending without duplicates.
 */
export interface ConflictIndex {
  /** Length ideaCount + 1, non-decreasing, offsets[0] = 0. */
  readonly offsets: Int32Array;
  /** Judge indices, grouped by idea. */
  readonly judges: Int32Array;
}

/** An index with no conflicts at all. */
export function emptyConflicts(ideaCount: number): ConflictIndex {
  return { offsets: new Int32Array(ideaCount + 1), judges: new Int32Array(0) };
}

/**
 * Builds the index from (idea, judge) pairs in any order, e.g. straight from a SQL join of judges'
 * schools with ideas' member schools. Duplicate pairs (a judge who teaches at two schools of the same
 * team, and declared it as well) collapse into one. Linear time: a counting sort by idea, then a tiny
 * sort inside each idea's segment.
 */
export function buildConflictIndex(ideaCount: number, ideaOfPair: ArrayLike<number>, judgeOfPair: ArrayLike<number>): ConflictIndex {
  if (!Number.isInteger(ideaCount) || ideaCount < 0) throw new RangeError(`ideaCount must be a non-negative integer (got ${ideaCount})`);
  if (ideaOfPair.length !== judgeOfPair.length) throw new RangeError('ideaOfPair and judgeOfPair must have the same length');
  const pairs = ideaOfPair.length;
  const counts = new Int32Array(ideaCount + 1);
  for (let p = 0; p < pairs; p++) {
    const idea = ideaOfPair[p];
    const judge = judgeOfPair[p];
    if (!Number.isInteger(idea) || idea < 0 || idea >= ideaCount) throw new RangeError(`conflict pair ${p}: idea ${idea} is out of range`);
    if (!Number.isInteger(judge) || judge < 0 || judge > 0x7fffffff) throw new RangeError(`conflict pair ${p}: judge ${judge} is not a judge index`);
    counts[idea + 1]++;
  }
  for (let i = 0; i < ideaCount; i++) counts[i + 1] += counts[i];
  const cursor = counts.slice(0, ideaCount);
  const grouped = new Int32Array(pairs);
  for (let p = 0; p < pairs; p++) grouped[cursor[ideaOfPair[p]]++] = judgeOfPair[p];

  // Sort and de-duplicate each segment, compacting in place.
  const offsets = new Int32Array(ideaCount + 1);
  let write = 0;
  for (let i = 0; i < ideaCount; i++) {
    const start = counts[i];
    const end = counts[i + 1];
    if (end - start > 1) grouped.subarray(start, end).sort();
    let previous = -1;
    for (let p = start; p < end; p++) {
      const judge = grouped[p];
      if (judge !== previous) grouped[write++] = judge;
      previous = judge;
    }
    offsets[i + 1] = write;
  }
  return { offsets, judges: grouped.slice(0, write) };
}

/** Checks the shape of an index handed in by a caller (lengths, monotone offsets, judge values). */
export function validateConflictIndex(conflicts: ConflictIndex, ideaCount: number): void {
  const { offsets, judges } = conflicts;
  if (offsets.length !== ideaCount + 1) throw new RangeError(`conflicts.offsets must have ideaCount + 1 = ${ideaCount + 1} entries (got ${offsets.length})`);
  if (offsets[0] !== 0 || offsets[ideaCount] !== judges.length) throw new RangeError('conflicts.offsets must start at 0 and end at conflicts.judges.length');
  for (let i = 0; i < ideaCount; i++) {
    if (offsets[i + 1] < offsets[i]) throw new RangeError(`conflicts.offsets must not decrease (idea ${i})`);
  }
  for (let p = 0; p < judges.length; p++) {
    if (judges[p] < 0) throw new RangeError(`conflicts.judges[${p}] is negative`);
  }
}

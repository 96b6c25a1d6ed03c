/**
 * Judges kept sorted by load, with O(1) increments and decrements.
 *
 * Assignment asks "who is least loaded right now?" three million times, and loads only ever move by
 * one. So instead of a heap (log J per step, and ties are awkward to randomise) the judges live in one
 * permutation array sorted by load, where every load value L owns a contiguous bucket
 * `perm[start[L] .. start[L + 1])`. Raising a judge from L to L + 1 swaps it with the last member of
 * bucket L and moves the bucket boundary one step left; lowering is the mirror image. The least
 * loaded judges are always `perm[0 ..]`, the most loaded `perm[.. J − 1]`.
 *
 * Internal to the assignment code: judges here are local positions 0..J−1.
 */
export class LoadBuckets {
  /** Judges ordered by load (ascending). */
  readonly perm: Int32Array;
  /** Inverse of perm: where judge j sits. */
  readonly pos: Int32Array;
  /** start[L] = index in perm of the first judge whose load is ≥ L; start has maxLoad + 2 entries. */
  readonly start: Int32Array;

  /**
   * @param load current loads, updated in place by increment/decrement
   * @param maxLoad an upper bound on any load this structure will ever hold
   */
  constructor(
    readonly load: Int32Array,
    maxLoad: number,
  ) {
    const count = load.length;
    this.perm = new Int32Array(count);
    this.pos = new Int32Array(count);
    this.start = new Int32Array(maxLoad + 2);
    // Counting sort by load: start[L + 1] counts judges with load L, then prefix sums.
    for (let j = 0; j < count; j++) {
      if (load[j] > maxLoad) throw new RangeError('load exceeds the declared maximum');
      this.start[load[j] + 1]++;
    }
    for (let l = 1; l < this.start.length; l++) this.start[l] += this.start[l - 1];
    const cursor = this.start.slice();
    for (let j = 0; j < count; j++) {
      const p = cursor[load[j]]++;
      this.perm[p] = j;
      this.pos[j] = p;
    }
  }

  get size(): number {
    return this.perm.length;
  }

  /** The smallest load (0 when there are no judges). */
  min(): number {
    return this.perm.length ? this.load[this.perm[0]] : 0;
  }

  /** The largest load (0 when there are no judges). */
  max(): number {
    return this.perm.length ? this.load[this.perm[this.perm.length - 1]] : 0;
  }

  /** First index in perm of the bucket for load L (= size when no judge has load ≥ L). */
  bucketStart(l: number): number {
    return l < this.start.length ? this.start[l] : this.perm.length;
  }

  increment(judge: number): void {
    const l = this.load[judge];
    if (l + 2 >= this.start.length) throw new RangeError('load exceeds the declared maximum');
    const last = this.start[l + 1] - 1; // last member of bucket l
    this.swap(this.pos[judge], last);
    this.start[l + 1] = last; // that slot now belongs to bucket l + 1
    this.load[judge] = l + 1;
  }

  decrement(judge: number): void {
    const l = this.load[judge];
    if (l === 0) throw new RangeError('load cannot go below 0');
    const first = this.start[l]; // first member of bucket l
    this.swap(this.pos[judge], first);
    this.start[l] = first + 1; // that slot now belongs to bucket l − 1
    this.load[judge] = l - 1;
  }

  private swap(p: number, q: number): void {
    if (p === q) return;
    const a = this.perm[p];
    const b = this.perm[q];
    this.perm[p] = b;
    this.perm[q] = a;
    this.pos[b] = p;
    this.pos[a] = q;
  }
}

/**
 * "Is judge j excluded for the idea at hand?" in O(1) without clearing an array per idea: each idea
 * gets a fresh stamp, and a judge is marked when mark[j] equals the current stamp.
 */
export class StampMarks {
  readonly mark: Int32Array;
  stamp = 0;

  constructor(size: number) {
    this.mark = new Int32Array(size);
  }

  /** Starts a new, empty set of marks. */
  next(): number {
    if (this.stamp === 0x7ffffffe) {
      this.mark.fill(0);
      this.stamp = 0;
    }
    return ++this.stamp;
  }
}

/**
 * Repair pass of the balanced assignment: moves assignments between judges until the spread of loads
 * (max − min) is as small as the conflicts allow. Internal; see balanced-assignment.ts for the contract
 * and the argument why the result is optimal.
 *
 * A *move path* from judge u to judge v is a chain u = w0 → w1 → … → wr = v where each step wt → wt+1
 * hands one movable assignment (slot) of wt, for some idea, to wt+1, which is neither conflicted with
 * that idea nor already on it. Applying the path lowers u's load by one, raises v's by one, and leaves
 * every judge in between unchanged (each gives one slot and receives one). This is exactly an augmenting
 * path in the residual graph of the flow network source → idea (capacity = its number of judges) →
 * judge (capacity 1, allowed pairs) → sink, which is what makes the optimality argument work.
 */
import type { LoadBuckets, StampMarks } from './load-buckets.js';

export interface RepairProblem {
  judgesPerIdea: number;
  /** Local judge of every slot (idea i owns slots i·k .. i·k + k − 1), −1 when empty. Updated in place. */
  slots: Int32Array;
  /** 1 for a slot kept from an earlier assignment: it is never moved. Null when nothing is kept. */
  fixed: Uint8Array | null;
  /** Conflicts per idea (CSR offsets) with judges as local positions, −1 for judges outside the pool. */
  conflictOffsets: Int32Array;
  conflictLocal: Int32Array;
  buckets: LoadBuckets;
  marks: StampMarks;
}

export interface RepairOutcome {
  /** Move paths applied. */
  moves: number;
  /** True when the final spread is proved minimal (always, unless maxMoves ran out first). */
  optimal: boolean;
}

/** How many slots a cheap direct move may examine before falling back to the full search. */
const DIRECT_BUDGET = 256;

export function repairBalance(problem: RepairProblem, maxMoves: number): RepairOutcome {
  const { buckets } = problem;
  if (buckets.size === 0 || buckets.max() - buckets.min() <= 1) return { moves: 0, optimal: true };
  const repair = new BalanceRepair(problem);
  let moves = 0;
  // Phase 1: lower the maximum while some path leads from a most-loaded judge to a judge at least two
  // below it. When none does, the maximum is as low as any assignment can make it.
  while (buckets.max() - buckets.min() > 1) {
    if (moves >= maxMoves) return { moves, optimal: false };
    if (!repair.lowerMax()) break;
    moves++;
  }
  // Phase 2: raise the minimum while some judge at least two above it has a path to a least-loaded
  // judge. Such moves never raise the maximum, so phase 1's optimum survives.
  while (buckets.max() - buckets.min() > 1) {
    if (moves >= maxMoves) return { moves, optimal: false };
    if (!repair.raiseMin()) break;
    moves++;
  }
  return { moves, optimal: true };
}

class BalanceRepair {
  private readonly k: number;
  private readonly slots: Int32Array;
  private readonly buckets: LoadBuckets;
  private readonly marks: StampMarks;
  private readonly conflictOffsets: Int32Array;
  private readonly conflictLocal: Int32Array;
  /** Movable slots held by each judge (an inverse index, built once, kept current by move()). */
  private readonly judgeSlots: number[][];
  /** Where each slot sits in its judge's list, for O(1) removal. */
  private readonly slotPos: Int32Array;
  // Search scratch space, reused by every search.
  private readonly unvisited: Int32Array;
  private readonly queue: Int32Array;
  private readonly parentSlot: Int32Array;

  constructor(problem: RepairProblem) {
    this.k = problem.judgesPerIdea;
    this.slots = problem.slots;
    this.buckets = problem.buckets;
    this.marks = problem.marks;
    this.conflictOffsets = problem.conflictOffsets;
    this.conflictLocal = problem.conflictLocal;
    const judgeCount = this.buckets.size;
    this.judgeSlots = Array.from({ length: judgeCount }, () => []);
    this.slotPos = new Int32Array(this.slots.length);
    const fixed = problem.fixed;
    for (let s = 0; s < this.slots.length; s++) {
      const j = this.slots[s];
      if (j < 0 || (fixed !== null && fixed[s] === 1)) continue;
      const list = this.judgeSlots[j];
      this.slotPos[s] = list.length;
      list.push(s);
    }
    this.unvisited = new Int32Array(judgeCount);
    this.queue = new Int32Array(judgeCount);
    this.parentSlot = new Int32Array(judgeCount);
  }

  /** One move that lowers the load of a most-loaded judge; false when none exists. */
  lowerMax(): boolean {
    const { buckets } = this;
    const { perm, load } = buckets;
    const top = buckets.max();
    const lowEnd = buckets.bucketStart(top - 1); // perm[0 .. lowEnd) have load ≤ top − 2
    // Cheap first: hand one slot of a most-loaded judge straight to the least-loaded judge that may
    // take it. With sparse conflicts this is all the repair ever needs.
    let examined = 0;
    for (let p = perm.length - 1; p >= 0 && load[perm[p]] === top && examined < DIRECT_BUDGET; p--) {
      const u = perm[p];
      for (const s of this.judgeSlots[u]) {
        if (++examined > DIRECT_BUDGET) break;
        const stamp = this.markIdea((s / this.k) | 0);
        const mark = this.marks.mark;
        // At most (k + conflicts of the idea) judges are marked, so this loop ends quickly.
        for (let q = 0; q < lowEnd; q++) {
          const v = perm[q];
          if (mark[v] !== stamp) {
            this.move(s, v);
            buckets.decrement(u);
            buckets.increment(v);
            return true;
          }
        }
      }
    }
    return this.search(buckets.bucketStart(top), top - 2);
  }

  /** One move that raises the load of a least-loaded judge; false when none exists. */
  raiseMin(): boolean {
    const { buckets } = this;
    const { perm, load } = buckets;
    const bottom = buckets.min();
    const v = perm[0];
    let examined = 0;
    for (let p = perm.length - 1; p >= 0 && load[perm[p]] >= bottom + 2 && examined < DIRECT_BUDGET; p--) {
      const u = perm[p];
      for (const s of this.judgeSlots[u]) {
        if (++examined > DIRECT_BUDGET) break;
        if (this.mayTake(v, (s / this.k) | 0)) {
          this.move(s, v);
          buckets.decrement(u);
          buckets.increment(v);
          return true;
        }
      }
    }
    return this.search(buckets.bucketStart(bottom + 2), bottom);
  }

  /**
   * Breadth-first search for a move path from any judge perm[sourceStart ..] to any judge whose load is
   * ≤ targetMaxLoad; applies the first one found.
   *
   * The graph is dense (a slot can go to almost any judge), so instead of listing edges the search
   * keeps the not-yet-reached judges in one list and, for each slot it expands, sweeps that list once:
   * every judge the slot's idea may take is reached and removed, every other judge is skipped. Only the
   * idea's own judges and conflicts are skipped, so a sweep costs O(newly reached + k + conflicts), and
   * a whole search O(J + Σ (k + conflicts) over expanded slots) — linear in the input, never J² or J·I.
   */
  private search(sourceStart: number, targetMaxLoad: number): boolean {
    const { perm, load } = this.buckets;
    const judgeCount = perm.length;
    const { unvisited, queue, parentSlot } = this;
    // Not-yet-reached judges, least loaded first so that targets tend to be found early.
    let remaining = 0;
    for (let p = 0; p < sourceStart; p++) unvisited[remaining++] = perm[p];
    let tail = 0;
    for (let p = sourceStart; p < judgeCount; p++) {
      const u = perm[p];
      parentSlot[u] = -1;
      queue[tail++] = u;
    }
    for (let head = 0; head < tail && remaining > 0; head++) {
      const u = queue[head];
      for (const s of this.judgeSlots[u]) {
        const stamp = this.markIdea((s / this.k) | 0);
        const mark = this.marks.mark;
        let q = 0;
        while (q < remaining) {
          const v = unvisited[q];
          if (mark[v] === stamp) {
            q++;
            continue;
          }
          unvisited[q] = unvisited[--remaining]; // reached: swap-remove, and look at position q again
          parentSlot[v] = s;
          if (load[v] <= targetMaxLoad) {
            this.augment(v);
            return true;
          }
          queue[tail++] = v;
        }
        if (remaining === 0) break;
      }
    }
    return false;
  }

  /** Applies the path ending at target: every slot on it moves one step towards the target. */
  private augment(target: number): void {
    let v = target;
    while (this.parentSlot[v] !== -1) {
      const s = this.parentSlot[v];
      const u = this.slots[s];
      this.move(s, v);
      v = u;
    }
    this.buckets.decrement(v); // v is now the source
    this.buckets.increment(target);
  }

  /** Marks the judges an idea's slot may not go to (its conflicts and its current judges). */
  private markIdea(idea: number): number {
    const stamp = this.marks.next();
    const mark = this.marks.mark;
    for (let c = this.conflictOffsets[idea]; c < this.conflictOffsets[idea + 1]; c++) {
      const j = this.conflictLocal[c];
      if (j >= 0) mark[j] = stamp;
    }
    const base = idea * this.k;
    for (let t = 0; t < this.k; t++) {
      const j = this.slots[base + t];
      if (j >= 0) mark[j] = stamp;
    }
    return stamp;
  }

  private mayTake(judge: number, idea: number): boolean {
    for (let c = this.conflictOffsets[idea]; c < this.conflictOffsets[idea + 1]; c++) {
      if (this.conflictLocal[c] === judge) return false;
    }
    const base = idea * this.k;
    for (let t = 0; t < this.k; t++) if (this.slots[base + t] === judge) return false;
    return true;
  }

  /** Hands slot s to judge `to` (loads are the caller's business). */
  private move(s: number, to: number): void {
    const from = this.slots[s];
    const fromList = this.judgeSlots[from];
    const at = this.slotPos[s];
    const last = fromList.pop() as number;
    if (last !== s) {
      fromList[at] = last;
      this.slotPos[last] = at;
    }
    const toList = this.judgeSlots[to];
    this.slotPos[s] = toList.length;
    toList.push(s);
    this.slots[s] = to;
  }
}

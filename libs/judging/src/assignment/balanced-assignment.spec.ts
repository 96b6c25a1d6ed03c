import { describe, expect, it } from '@jest/globals';
import { assignBalanced, type BalancedAssignment } from './balanced-assignment.js';
import { buildConflictIndex, type ConflictIndex } from './conflicts.js';
import { Prng } from './prng.js';

// ---------------------------------------------------------------------------------------------------
// An independent referee: the best achievable max and min load, from max-flow (not from the code
// under test). Network: source → idea (capacity d_i) → judge (1, allowed pairs) → sink (capacity c).
//  - least possible max  = smallest c whose max flow places every slot (Σ d_i);
//  - greatest possible min = largest c whose max flow saturates every judge (c · J): augmenting paths
//    never lower a judge's inflow, so such a flow extends to a full assignment with every load ≥ c.

class FlowNetwork {
  private readonly head: number[];
  private readonly to: number[] = [];
  private readonly cap: number[] = [];
  private readonly next: number[] = [];

  constructor(readonly size: number) {
    this.head = new Array<number>(size).fill(-1);
  }

  addEdge(u: number, v: number, c: number): void {
    for (const [a, b, w] of [
      [u, v, c],
      [v, u, 0],
    ]) {
      this.to.push(b);
      this.cap.push(w);
      this.next.push(this.head[a]);
      this.head[a] = this.to.length - 1;
    }
  }

  maxFlow(s: number, t: number): number {
    let flow = 0;
    const parentEdge = new Array<number>(this.size);
    for (;;) {
      parentEdge.fill(-1);
      const queue = [s];
      parentEdge[s] = -2;
      for (let h = 0; h < queue.length && parentEdge[t] === -1; h++) {
        const u = queue[h];
        for (let e = this.head[u]; e !== -1; e = this.next[e]) {
          if (this.cap[e] > 0 && parentEdge[this.to[e]] === -1) {
            parentEdge[this.to[e]] = e;
            queue.push(this.to[e]);
          }
        }
      }
      if (parentEdge[t] === -1) return flow;
      let push = Infinity;
      for (let v = t; v !== s; v = this.to[parentEdge[v] ^ 1]) push = Math.min(push, this.cap[parentEdge[v]]);
      for (let v = t; v !== s; v = this.to[parentEdge[v] ^ 1]) {
        this.cap[parentEdge[v]] -= push;
        this.cap[parentEdge[v] ^ 1] += push;
      }
      flow += push;
    }
  }
}

interface Instance {
  ideaCount: number;
  judgeCount: number;
  k: number;
  conflicted: boolean[][]; // [idea][judge]
  conflicts: ConflictIndex;
}

function degree(inst: Instance, idea: number): number {
  const allowed = inst.conflicted[idea].filter((c) => !c).length;
  return Math.min(inst.k, allowed);
}

function flowWithJudgeCapacity(inst: Instance, capacity: number): number {
  const { ideaCount: I, judgeCount: J } = inst;
  const net = new FlowNetwork(I + J + 2);
  const s = I + J;
  const t = s + 1;
  for (let i = 0; i < I; i++) {
    net.addEdge(s, i, degree(inst, i));
    for (let j = 0; j < J; j++) if (!inst.conflicted[i][j]) net.addEdge(i, I + j, 1);
  }
  for (let j = 0; j < J; j++) net.addEdge(I + j, t, capacity);
  return net.maxFlow(s, t);
}

function optimalLoads(inst: Instance): { max: number; min: number } {
  let slots = 0;
  for (let i = 0; i < inst.ideaCount; i++) slots += degree(inst, i);
  let max = Math.ceil(slots / inst.judgeCount);
  while (flowWithJudgeCapacity(inst, max) < slots) max++;
  let min = Math.floor(slots / inst.judgeCount);
  while (min > 0 && flowWithJudgeCapacity(inst, min) < min * inst.judgeCount) min--;
  return { max, min };
}

// ---------------------------------------------------------------------------------------------------
// Instances

type Pattern = (i: number, j: number, rng: Prng, inst: { ideaCount: number; judgeCount: number }) => boolean;

const patterns: Record<string, Pattern> = {
  none: () => false,
  sparse: (_i, _j, rng) => rng.nextFloat() < 0.05,
  dense: (_i, _j, rng) => rng.nextFloat() < 0.5,
  // Half the judges may not judge the first 60 % of ideas: balance is tight or impossible.
  block: (i, j, _rng, { ideaCount, judgeCount }) => j < judgeCount / 2 && i < 0.6 * ideaCount,
  // Two "busy" judges conflicted with nearly everything: they cannot reach the average load.
  starved: (i, j, _rng, { ideaCount }) => j < 2 && i >= Math.min(3, ideaCount),
  // Every idea of a "school" (i mod 4) is conflicted with that school's teacher-judges (j mod 4).
  schools: (i, j) => i % 4 === j % 4 && j < 8,
  // Some ideas may have only one or two judges: unassignable.
  scarce: (i, j, _rng, { judgeCount }) => i % 5 === 0 && j < judgeCount - 2,
};

function makeInstance(seed: number, pattern: Pattern): Instance {
  const rng = new Prng(seed);
  const ideaCount = 1 + rng.below(60);
  const judgeCount = 1 + rng.below(12);
  const k = 1 + rng.below(4);
  const conflicted: boolean[][] = [];
  const ideaOfPair: number[] = [];
  const judgeOfPair: number[] = [];
  for (let i = 0; i < ideaCount; i++) {
    conflicted.push([]);
    for (let j = 0; j < judgeCount; j++) {
      const c = pattern(i, j, rng, { ideaCount, judgeCount });
      conflicted[i].push(c);
      if (c) {
        ideaOfPair.push(i);
        judgeOfPair.push(j);
      }
    }
  }
  return { ideaCount, judgeCount, k, conflicted, conflicts: buildConflictIndex(ideaCount, ideaOfPair, judgeOfPair) };
}

const allJudges = (n: number): Int32Array => Int32Array.from({ length: n }, (_, j) => j);

/** Checks every hard rule of an assignment; returns the loads recomputed from the assignments. */
function expectValid(inst: Instance, result: BalancedAssignment): number[] {
  const { k } = inst;
  const loads = new Array<number>(inst.judgeCount).fill(0);
  const unassignable: number[] = [];
  for (let i = 0; i < inst.ideaCount; i++) {
    const slots = Array.from(result.assignments.subarray(i * k, i * k + k));
    const judges = slots.filter((j) => j >= 0);
    // Real judges first, then −1s.
    expect(slots).toEqual([...judges, ...new Array<number>(k - judges.length).fill(-1)]);
    expect(new Set(judges).size).toBe(judges.length);
    for (const j of judges) {
      expect(inst.conflicted[i][j]).toBe(false);
      loads[j]++;
    }
    expect(judges.length).toBe(degree(inst, i));
    if (judges.length < k) unassignable.push(i);
  }
  expect(Array.from(result.unassignable)).toEqual(unassignable);
  expect(Array.from(result.loads)).toEqual(loads);
  expect(result.stats.minLoad).toBe(Math.min(...loads));
  expect(result.stats.maxLoad).toBe(Math.max(...loads));
  return loads;
}

describe('assignBalanced', () => {
  it('gives every idea k distinct judges with loads within one of each other, without conflicts', () => {
    for (let seed = 1; seed <= 40; seed++) {
      const inst = makeInstance(seed, patterns.none);
      const result = assignBalanced({ ideaCount: inst.ideaCount, judges: allJudges(inst.judgeCount), judgesPerIdea: inst.k, seed });
      const loads = expectValid(inst, result);
      expect(Math.max(...loads) - Math.min(...loads)).toBeLessThanOrEqual(1);
      expect(result.stats.greedySpread).toBeLessThanOrEqual(1); // the greedy alone suffices here
    }
  });

  for (const [name, pattern] of Object.entries(patterns)) {
    it(`reaches the least possible spread (referee: max-flow) with "${name}" conflicts`, () => {
      for (let seed = 1; seed <= 25; seed++) {
        const inst = makeInstance(1000 * seed + name.length, pattern);
        const result = assignBalanced({
          ideaCount: inst.ideaCount,
          judges: allJudges(inst.judgeCount),
          judgesPerIdea: inst.k,
          seed: `${name}-${seed}`,
          conflicts: inst.conflicts,
        });
        const loads = expectValid(inst, result);
        const best = optimalLoads(inst);
        expect({ max: Math.max(...loads), min: Math.min(...loads) }).toEqual(best);
        expect(result.stats.balanceOptimal).toBe(true);
        if (best.max - best.min <= 1) expect(Math.max(...loads) - Math.min(...loads)).toBeLessThanOrEqual(1);
      }
    });
  }

  it('balances perfectly under heavy conflicts when a balanced assignment exists (repair at work)', () => {
    // 40 ideas × 2 among 8 judges; judges 0–3 may judge only ideas 0–19: tight (each side needs 40 slots).
    const ideaOfPair: number[] = [];
    const judgeOfPair: number[] = [];
    for (let i = 20; i < 40; i++) for (let j = 0; j < 4; j++) (ideaOfPair.push(i), judgeOfPair.push(j));
    const conflicts = buildConflictIndex(40, ideaOfPair, judgeOfPair);
    let repaired = 0;
    for (let seed = 0; seed < 30; seed++) {
      const result = assignBalanced({ ideaCount: 40, judges: allJudges(8), judgesPerIdea: 2, seed, conflicts });
      expect(Array.from(result.loads)).toEqual(new Array(8).fill(10));
      if (result.stats.repairMoves > 0) repaired++;
    }
    expect(repaired).toBeGreaterThan(0); // the greedy alone does not get there
  });

  it('keeps an idea whose conflicts leave fewer than k judges, with the judges it can have', () => {
    // Idea 1 is conflicted with judges 0, 1, 2 of 4: only judge 3 remains.
    const conflicts = buildConflictIndex(3, [1, 1, 1], [0, 1, 2]);
    const result = assignBalanced({ ideaCount: 3, judges: allJudges(4), judgesPerIdea: 3, seed: 'x', conflicts });
    expect(Array.from(result.unassignable)).toEqual([1]);
    expect(Array.from(result.assignments.subarray(3, 6))).toEqual([3, -1, -1]);
    expect(result.stats.assigned).toBe(7);
  });

  it('reports every idea when the pool is smaller than k, and copes with no judges at all', () => {
    const small = assignBalanced({ ideaCount: 5, judges: [4, 9], judgesPerIdea: 3, seed: 1 });
    expect(Array.from(small.unassignable)).toEqual([0, 1, 2, 3, 4]);
    expect(Array.from(small.loads)).toEqual([5, 5]);
    const none = assignBalanced({ ideaCount: 2, judges: [], judgesPerIdea: 3, seed: 1 });
    expect(Array.from(none.assignments)).toEqual(new Array(6).fill(-1));
    expect(Array.from(none.unassignable)).toEqual([0, 1]);
  });

  it('uses the caller’s judge indices (a sparse pool) for conflicts and output', () => {
    const pool = [1000, 7, 123456789, 42];
    const conflicts = buildConflictIndex(6, [0, 0, 5], [7, 123456789, 42]);
    const result = assignBalanced({ ideaCount: 6, judges: pool, judgesPerIdea: 2, seed: 's', conflicts });
    for (let i = 0; i < 6; i++) {
      for (const j of result.assignments.subarray(i * 2, i * 2 + 2)) expect(pool).toContain(j);
    }
    expect(Array.from(result.assignments.subarray(0, 2)).sort()).toEqual([1000, 42].sort());
    expect(result.assignments.subarray(10, 12)).not.toContain(42);
    expect(Math.max(...result.loads) - Math.min(...result.loads)).toBeLessThanOrEqual(1);
  });

  it('is reproducible from the seed and differs with another seed', () => {
    const rng = new Prng(99);
    const ideaOfPair: number[] = [];
    const judgeOfPair: number[] = [];
    for (let p = 0; p < 300; p++) (ideaOfPair.push(rng.below(2000)), judgeOfPair.push(rng.below(50)));
    const input = { ideaCount: 2000, judges: allJudges(50), judgesPerIdea: 3, conflicts: buildConflictIndex(2000, ideaOfPair, judgeOfPair) };
    const a = assignBalanced({ ...input, seed: 'round-7f3a' });
    const b = assignBalanced({ ...input, seed: 'round-7f3a' });
    const c = assignBalanced({ ...input, seed: 'round-7f3b' });
    expect(b.assignments).toEqual(a.assignments);
    expect(b.loads).toEqual(a.loads);
    expect(b.stats).toEqual(a.stats);
    let differing = 0;
    for (let i = 0; i < 2000; i++) {
      const x = Array.from(a.assignments.subarray(i * 3, i * 3 + 3)).sort().join();
      const y = Array.from(c.assignments.subarray(i * 3, i * 3 + 3)).sort().join();
      if (x !== y) differing++;
    }
    expect(differing).toBeGreaterThan(1900); // nearly every panel changes
    // A numeric seed works the same way.
    expect(assignBalanced({ ...input, seed: 12345 }).assignments).toEqual(assignBalanced({ ...input, seed: 12345 }).assignments);
  });

  it('spreads judges over ideas evenly at random (no judge pairs always together)', () => {
    const result = assignBalanced({ ideaCount: 3000, judges: allJudges(30), judgesPerIdea: 3, seed: 'pairs' });
    const together = new Map<string, number>();
    for (let i = 0; i < 3000; i++) {
      const [a, b, c] = Array.from(result.assignments.subarray(i * 3, i * 3 + 3)).sort((x, y) => x - y);
      for (const key of [`${a}-${b}`, `${a}-${c}`, `${b}-${c}`]) together.set(key, (together.get(key) ?? 0) + 1);
    }
    // 9000 pairs over 435 judge pairs: about 20.7 each; a fixed rotation would pile them on few pairs.
    expect(together.size).toBe(435);
    expect(Math.max(...together.values())).toBeLessThan(45);
  });

  it('keeps given assignments and fills only the free slots (reassignment after a judge leaves)', () => {
    const first = assignBalanced({ ideaCount: 500, judges: allJudges(20), judgesPerIdea: 3, seed: 'r1' });
    // Judge 7 leaves: free their slots, keep everything else, assign from the remaining 19 judges.
    const keep = first.assignments.map((j) => (j === 7 ? -1 : j));
    const pool = allJudges(20).filter((j) => j !== 7);
    const second = assignBalanced({ ideaCount: 500, judges: pool, judgesPerIdea: 3, seed: 'r2', keep });
    for (let s = 0; s < keep.length; s++) if (keep[s] !== -1) expect(second.assignments[s]).toBe(keep[s]);
    for (let i = 0; i < 500; i++) {
      const judges = Array.from(second.assignments.subarray(i * 3, i * 3 + 3));
      expect(judges).not.toContain(7);
      expect(new Set(judges).size).toBe(3);
    }
    expect(Math.max(...second.loads) - Math.min(...second.loads)).toBeLessThanOrEqual(1);
  });

  it('rejects kept assignments that break the rules', () => {
    const conflicts = buildConflictIndex(2, [0], [1]);
    const base = { ideaCount: 2, judges: allJudges(3), judgesPerIdea: 2, seed: 1, conflicts };
    expect(() => assignBalanced({ ...base, keep: Int32Array.from([1, -1, -1, -1]) })).toThrow(/conflicted/);
    expect(() => assignBalanced({ ...base, keep: Int32Array.from([-1, -1, 2, 2]) })).toThrow(/twice/);
    expect(() => assignBalanced({ ...base, keep: Int32Array.from([-1, -1, 5, -1]) })).toThrow(/not in the pool/);
    expect(() => assignBalanced({ ...base, keep: Int32Array.from([-1]) })).toThrow(/entries/);
  });

  it('rejects malformed input', () => {
    expect(() => assignBalanced({ ideaCount: 1, judges: [1, 1], judgesPerIdea: 1, seed: 1 })).toThrow(/twice/);
    expect(() => assignBalanced({ ideaCount: 1, judges: [-1], judgesPerIdea: 1, seed: 1 })).toThrow(/negative/);
    expect(() => assignBalanced({ ideaCount: 1, judges: [0], judgesPerIdea: 0, seed: 1 })).toThrow(/judgesPerIdea/);
    expect(() => assignBalanced({ ideaCount: -1, judges: [0], judgesPerIdea: 1, seed: 1 })).toThrow(/ideaCount/);
    expect(() => assignBalanced({ ideaCount: 2, judges: [0], judgesPerIdea: 1, seed: 1.5 })).toThrow(/integer/);
  });

  it('assigns 100,000 ideas × 3 among 1,000 judges with school conflicts quickly and perfectly balanced', () => {
    const rng = new Prng(5);
    const ideaOfPair: number[] = [];
    const judgeOfPair: number[] = [];
    // 10 teacher-judges, each conflicted with the ~50 ideas of one school, plus 300 declared conflicts.
    for (let t = 0; t < 10; t++) {
      const school = rng.below(2000);
      for (let i = school; i < 100_000; i += 2000) (ideaOfPair.push(i), judgeOfPair.push(t));
    }
    for (let p = 0; p < 300; p++) (ideaOfPair.push(rng.below(100_000)), judgeOfPair.push(rng.below(1000)));
    const started = performance.now();
    const result = assignBalanced({
      ideaCount: 100_000,
      judges: allJudges(1000),
      judgesPerIdea: 3,
      seed: 'scale',
      conflicts: buildConflictIndex(100_000, ideaOfPair, judgeOfPair),
    });
    expect(performance.now() - started).toBeLessThan(3000);
    expect(result.stats.minLoad).toBe(300);
    expect(result.stats.maxLoad).toBe(300);
    expect(result.unassignable.length).toBe(0);
  });
});

import { describe, expect, it } from '@jest/globals';
import { buildConflictIndex, validateConflictIndex } from './conflicts.js';
import { assignPanel } from './panel-assignment.js';
import { hashSeed, Prng } from './prng.js';
import { pickReplacement } from './replacement.js';

describe('Prng', () => {
  it('repeats its sequence for the same seed and not for another', () => {
    const draw = (seed: string | number) => {
      const rng = new Prng(seed);
      return Array.from({ length: 8 }, () => rng.nextUint32());
    };
    expect(draw('round-1')).toEqual(draw('round-1'));
    expect(draw('round-1')).not.toEqual(draw('round-2'));
    expect(draw(0)).not.toEqual(draw(1));
    expect(draw(0).every((x) => Number.isInteger(x) && x >= 0 && x < 2 ** 32)).toBe(true);
  });

  it('hashes strings by their UTF-8 bytes, stably', () => {
    expect(hashSeed('Zoë')).toBe(hashSeed('Zoe\u0308'.normalize('NFC')));
    expect(hashSeed('abc')).toBe(hashSeed('abc'));
    expect(hashSeed(-1)).toBe(0xffffffff);
  });

  it('draws integers below n roughly uniformly', () => {
    const rng = new Prng('uniform');
    const counts = new Array<number>(10).fill(0);
    for (let t = 0; t < 100_000; t++) counts[rng.below(10)]++;
    for (const c of counts) expect(Math.abs(c - 10_000)).toBeLessThan(500); // > 5 SD
    for (let t = 0; t < 1000; t++) {
      const x = rng.below(5_000_000);
      expect(x >= 0 && x < 5_000_000).toBe(true);
    }
  });

  it('shuffles into a permutation', () => {
    const values = Int32Array.from({ length: 100 }, (_, i) => i);
    new Prng(3).shuffle(values);
    expect(Array.from(values).sort((a, b) => a - b)).toEqual(Array.from({ length: 100 }, (_, i) => i));
    expect(Array.from(values)).not.toEqual(Array.from({ length: 100 }, (_, i) => i));
  });
});

describe('buildConflictIndex', () => {
  it('groups pairs by idea, sorted and without duplicates', () => {
    const index = buildConflictIndex(4, [2, 0, 2, 2, 3], [9, 5, 1, 9, 0]);
    expect(Array.from(index.offsets)).toEqual([0, 1, 1, 3, 4]);
    expect(Array.from(index.judges)).toEqual([5, 1, 9, 0]);
    expect(() => validateConflictIndex(index, 4)).not.toThrow();
    expect(() => validateConflictIndex(index, 5)).toThrow();
  });

  it('rejects pairs outside the ideas', () => {
    expect(() => buildConflictIndex(2, [2], [0])).toThrow(/out of range/);
    expect(() => buildConflictIndex(2, [0, 1], [0])).toThrow(/same length/);
  });
});

describe('pickReplacement', () => {
  const judges = [10, 11, 12, 13, 14, 15];
  const loads = [5, 3, 4, 3, 3, 6];

  it('chooses a least-loaded judge who is neither on the idea nor conflicted', () => {
    // Least loaded are 11, 13, 14 (3); 11 is on the idea, 14 conflicted: 13 is the only choice.
    const pick = pickReplacement({ judges, loads, onIdea: [10, 11, 12], conflicted: [10, 14], seed: 'a' });
    expect(pick).toBe(13);
  });

  it('moves to the next load level when every least-loaded judge is excluded', () => {
    const pick = pickReplacement({ judges, loads, onIdea: [11, 15], conflicted: [13, 14], seed: 'a' });
    expect(pick).toBe(12);
  });

  it('breaks ties with the seed: reproducible, and every tied judge can be chosen', () => {
    const input = { judges, loads, onIdea: [10], conflicted: [10], seed: 'x' };
    expect(pickReplacement(input)).toBe(pickReplacement(input));
    const chosen = new Set<number>();
    for (let s = 0; s < 60; s++) chosen.add(pickReplacement({ ...input, seed: `seed-${s}` }));
    expect([...chosen].sort()).toEqual([11, 13, 14]);
  });

  it('returns −1 when nobody is eligible', () => {
    expect(pickReplacement({ judges: [1, 2], loads: [0, 0], onIdea: [1], conflicted: [2], seed: 1 })).toBe(-1);
  });
});

describe('assignPanel', () => {
  it('gives every finalist every panel judge except the conflicted ones', () => {
    const conflicts = buildConflictIndex(3, [1, 2, 2], [20, 20, 30]);
    const panel = assignPanel({ ideaCount: 3, judges: [10, 20, 30], conflicts, minJudgesPerIdea: 2 });
    expect(Array.from(panel.offsets)).toEqual([0, 3, 5, 6]);
    expect(Array.from(panel.assignments)).toEqual([10, 20, 30, 10, 30, 10]);
    expect(Array.from(panel.loads)).toEqual([3, 1, 2]);
    expect(Array.from(panel.unassignable)).toEqual([2]);
  });
});

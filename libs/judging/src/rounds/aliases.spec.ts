import { describe, expect, it } from '@jest/globals';
import { ALIAS_ALPHABET, AliasMaker } from './aliases.js';

describe('AliasMaker', () => {
  it('gives "Entry XXXX" aliases from the unambiguous alphabet, unique within a round', () => {
    const maker = new AliasMaker(50_000, 'round-seed');
    const seen = new Set<string>();
    for (let i = 0; i < 50_000; i++) {
      const alias = maker.alias(i);
      expect(alias).toMatch(new RegExp(`^Entry [${ALIAS_ALPHABET}]{4}$`));
      seen.add(alias);
    }
    expect(seen.size).toBe(50_000);
  });

  it('grows the code for bigger rounds (5 characters for a million entries) and stays unique', () => {
    const maker = new AliasMaker(1_000_000, 's');
    expect(maker.length).toBe(5);
    const codes = new Set<string>();
    for (let i = 0; i < 1_000_000; i += 1) codes.add(maker.alias(i));
    expect(codes.size).toBe(1_000_000);
  });

  it('is reproducible from the seed, and another seed gives other aliases', () => {
    const a = new AliasMaker(100, 'seed-1');
    const b = new AliasMaker(100, 'seed-1');
    const c = new AliasMaker(100, 'seed-2');
    const list = (m: AliasMaker) => Array.from({ length: 100 }, (_, i) => m.alias(i));
    expect(list(a)).toEqual(list(b));
    expect(list(a)).not.toEqual(list(c));
    expect(() => a.alias(-1)).toThrow(RangeError);
  });
});

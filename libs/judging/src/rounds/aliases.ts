import { Prng, type Seed } from '../assignment/prng.js';

/** Letters and digits that cannot be misread or spell words: no vowels, no 0/1/O/I (as join codes). */
export const ALIAS_ALPHABET = 'BCDFGHJKLMNPQRSTVWXZ23456789';
const BASE = ALIAS_ALPHABET.length;

/**
 * Aliases of a round's entries ("Entry 4F7K", SPEC §2.4): unique within the round by construction,
 * reproducible from the round's seed, O(1) each — no set of a million strings to check against.
 *
 * Entry i's code is (a·i + b) mod N written in base 28, where N = 28^L and a is coprime to N, so
 * i ↦ code is a bijection on [0, N): distinct entries always get distinct codes. L is the least
 * length (at least 4) with N ≥ 10 × the number of entries, so codes stay short and sparse enough
 * that neighbouring codes say nothing. Entries are indexed in idea id order (random UUIDs), so an
 * alias reveals nothing about the idea or when it was submitted.
 */
export class AliasMaker {
  readonly length: number;
  private readonly modulus: number;
  private readonly multiplier: number;
  private readonly offset: number;

  constructor(entryCount: number, seed: Seed) {
    let length = 4;
    while (BASE ** length < 10 * Math.max(1, entryCount)) length++;
    this.length = length;
    this.modulus = BASE ** length;
    const rng = new Prng(`${seed}:aliases`);
    let a = 1 + rng.below(this.modulus - 1);
    // Coprime to 28^L means odd and not a multiple of 7.
    while (a % 2 === 0 || a % 7 === 0) a = a + 1 >= this.modulus ? 1 : a + 1;
    this.multiplier = a;
    this.offset = rng.below(this.modulus);
  }

  /** The alias of entry `index` (0 ≤ index < 28^L). */
  alias(index: number): string {
    if (!Number.isInteger(index) || index < 0 || index >= this.modulus) throw new RangeError(`entry index ${index} is out of range`);
    let value = this.product(index);
    let code = '';
    for (let d = 0; d < this.length; d++) {
      code = ALIAS_ALPHABET[value % BASE] + code;
      value = Math.floor(value / BASE);
    }
    return `Entry ${code}`;
  }

  private product(index: number): number {
    // Exact in a double while a·i < 2^53 (always for L ≤ 5, i.e. up to 1.7 million entries).
    if (this.multiplier * index < Number.MAX_SAFE_INTEGER) return (this.multiplier * index + this.offset) % this.modulus;
    return Number((BigInt(this.multiplier) * BigInt(index) + BigInt(this.offset)) % BigInt(this.modulus));
  }
}

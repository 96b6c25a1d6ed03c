/**
 * Seeded pseudo-random numbers for judging.
 *
 * Assignment must be reproducible from a seed stored on the round (SPEC §2.4), so nothing here may
 * touch `Math.random` or the clock. The generator is xoshiro128** (Blackman & Vigna, 2018): 128 bits of
 * state, period 2^128 − 1, passes BigCrush, and needs only 32-bit integer operations, which JavaScript
 * does exactly (`Math.imul`, `>>>`) — so the same seed gives the same stream on every platform and Node
 * version. It is not cryptographic, and need not be: the seed is not secret from organisers, and the
 * point is fairness through reproducibility, not unpredictability.
 */

/** A round's seed: any string (e.g. a UUID) or a 32-bit integer. */
export type Seed = string | number;

/**
 * Maps a seed to 32 bits. Integers are taken as they are (`>>> 0`); strings are hashed with 32-bit
 * FNV-1a over their UTF-8 bytes (UTF-8 rather than UTF-16 code units, so the hash is that of the text
 * as stored in a database or a URL), followed by a murmur3-style finaliser so that similar strings
 * ("round-1", "round-2") give unrelated values.
 */
export function hashSeed(seed: Seed): number {
  if (typeof seed === 'number') {
    if (!Number.isInteger(seed)) throw new RangeError(`a numeric seed must be an integer (got ${seed})`);
    return seed >>> 0;
  }
  const bytes = new TextEncoder().encode(seed);
  let h = 0x811c9dc5; // FNV offset basis
  for (let i = 0; i < bytes.length; i++) {
    h ^= bytes[i];
    h = Math.imul(h, 0x01000193); // FNV prime
  }
  return fmix32(h >>> 0);
}

/** The 32-bit finaliser of MurmurHash3: every input bit affects every output bit. */
function fmix32(x: number): number {
  x ^= x >>> 16;
  x = Math.imul(x, 0x85ebca6b);
  x ^= x >>> 13;
  x = Math.imul(x, 0xc2b2ae35);
  x ^= x >>> 16;
  return x >>> 0;
}

/** A deterministic generator: the same seed always yields the same sequence. */
export class Prng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(seed: Seed) {
    // xoshiro must not start from the all-zero state, and nearby seeds should not give nearby states:
    // expand the 32-bit seed with splitmix32 (a Weyl sequence through a mixing function), which never
    // produces four zero words in a row.
    let s = hashSeed(seed);
    const next = (): number => {
      s = (s + 0x9e3779b9) >>> 0;
      return fmix32(s);
    };
    this.a = next();
    this.b = next();
    this.c = next();
    this.d = next();
    if ((this.a | this.b | this.c | this.d) === 0) this.d = 1; // unreachable in practice; kept for safety
  }

  /** The next 32 random bits, as an unsigned integer in [0, 2^32). */
  nextUint32(): number {
    const result = Math.imul(rotl(Math.imul(this.b, 5), 7), 9) >>> 0;
    const t = this.b << 9;
    this.c ^= this.a;
    this.d ^= this.b;
    this.b ^= this.c;
    this.a ^= this.d;
    this.c ^= t;
    this.d = rotl(this.d, 11);
    return result;
  }

  /** A float in [0, 1) with 53 random bits. */
  nextFloat(): number {
    const high = this.nextUint32() >>> 5; // 27 bits
    const low = this.nextUint32() >>> 6; // 26 bits
    return (high * 67108864 + low) / 9007199254740992;
  }

  /**
   * An integer in [0, n). For n ≤ 2^21 one 32-bit draw is scaled by multiplication (exact in a double,
   * bias below n / 2^32, i.e. < 0.05 % — irrelevant for tie-breaking and shuffling); larger n use 53 bits.
   */
  below(n: number): number {
    if (n <= 0x200000) return Math.floor((this.nextUint32() * n) / 4294967296);
    return Math.floor(this.nextFloat() * n);
  }

  /** A standard normal variate (Box–Muller; used by simulations, not by judging itself). */
  nextGaussian(): number {
    let u = this.nextFloat();
    while (u === 0) u = this.nextFloat();
    const v = this.nextFloat();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }

  /** Shuffles `values` in place (Fisher–Yates, from the end), returning it. */
  shuffle<T extends { length: number; [i: number]: number }>(values: T): T {
    for (let i = values.length - 1; i > 0; i--) {
      const j = this.below(i + 1);
      const tmp = values[i];
      values[i] = values[j];
      values[j] = tmp;
    }
    return values;
  }
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}

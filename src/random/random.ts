/**
 * The package's seeded pseudo-random number generator. Every random choice
 * (k-means++ seeding, random initializations, sampling) draws from one of
 * these, so the same seed gives the same result.
 *
 * ## The algorithm (a stable contract: it will not change within a major version)
 *
 * - Generator: **xoshiro128\*\*** 1.1 (Blackman & Vigna, 2018): 128 bits of
 *   state, period 2¹²⁸ − 1, 32-bit outputs, implemented with 32-bit integer
 *   operations only (`Math.imul`, shifts), so every JavaScript engine gives
 *   the same stream.
 * - Seeding: the integer seed s (0 ≤ s < 2⁵³) is fed to **SplitMix64**; its
 *   first two 64-bit outputs, high word first, fill the four 32-bit state
 *   words.
 * - Uniform double in [0, 1): two outputs a, b →
 *   `((a >>> 5) · 2²⁶ + (b >>> 6)) / 2⁵³` (53 random bits, as MT19937's
 *   `genrand_res53`).
 * - Integer in [0, n): rejection sampling on one 32-bit output (unbiased).
 * - Standard normal: Marsaglia's polar method on uniforms u, v in (−1, 1);
 *   the second normal of each pair is kept for the next call. It uses only
 *   `Math.sqrt` (exact) and `Math.log`.
 *
 * @module
 */
import { InvalidParameterError } from '../errors.js';

const MASK64 = (1n << 64n) - 1n;

function splitMix64(state: bigint): { state: bigint; value: bigint } {
  const next = (state + 0x9e3779b97f4a7c15n) & MASK64;
  let z = next;
  z = ((z ^ (z >> 30n)) * 0xbf58476d1ce4e5b9n) & MASK64;
  z = ((z ^ (z >> 27n)) * 0x94d049bb133111ebn) & MASK64;
  return { state: next, value: z ^ (z >> 31n) };
}

/** A {@link Random}'s whole state: its four 32-bit words, a spare normal deviate, and whether it has one. */
export type RandomState = readonly [number, number, number, number, number, number];

/**
 * A seeded xoshiro128** generator with the draws the package needs.
 *
 * @example
 * ```ts
 * const rng = new Random(42);
 * rng.uniform();    // 0 ≤ u < 1
 * rng.integer(10);  // 0..9
 * rng.normal();     // standard normal
 * ```
 */
export class Random {
  private s0: number;
  private s1: number;
  private s2: number;
  private s3: number;
  private spareNormal = 0;
  private hasSpare = false;

  /**
   * @param seed - An integer 0 ≤ seed < 2⁵³.
   * @throws {@link InvalidParameterError} for any other seed.
   */
  constructor(seed: number) {
    if (typeof seed !== 'number' || !Number.isSafeInteger(seed) || seed < 0) {
      throw new InvalidParameterError('seed', seed, 'an integer between 0 and 2^53 - 1');
    }
    const first = splitMix64(BigInt(seed));
    const second = splitMix64(first.state);
    this.s0 = Number(first.value >> 32n) | 0;
    this.s1 = Number(first.value & 0xffffffffn) | 0;
    this.s2 = Number(second.value >> 32n) | 0;
    this.s3 = Number(second.value & 0xffffffffn) | 0;
    if ((this.s0 | this.s1 | this.s2 | this.s3) === 0) this.s0 = 1; // the one forbidden state
  }

  /**
   * The generator's whole state, to return to with {@link Random.restore}
   * (what a memoized draw needs: the same state after it as if it had run).
   *
   * @returns The state (plain numbers).
   */
  state(): RandomState {
    return [this.s0, this.s1, this.s2, this.s3, this.spareNormal, this.hasSpare ? 1 : 0];
  }

  /**
   * Puts the generator back in a state taken by {@link Random.state}.
   *
   * @param state - The state.
   */
  restore(state: RandomState): void {
    [this.s0, this.s1, this.s2, this.s3, this.spareNormal] = state;
    this.hasSpare = state[5] === 1;
  }

  /** Next 32-bit output as an unsigned integer in [0, 2³²). */
  uint32(): number {
    const s1 = this.s1;
    const result = Math.imul(rotl(Math.imul(s1, 5), 7), 9);
    const t = s1 << 9;
    this.s2 ^= this.s0;
    this.s3 ^= this.s1;
    this.s1 ^= this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = rotl(this.s3, 11);
    return result >>> 0;
  }

  /** Uniform double in [0, 1) with 53 random bits. */
  uniform(): number {
    const a = this.uint32() >>> 5;
    const b = this.uint32() >>> 6;
    return (a * 67108864 + b) / 9007199254740992;
  }

  /**
   * Uniform integer in [0, n), unbiased.
   *
   * @param n - Upper bound, an integer 1 ≤ n ≤ 2³².
   * @throws {@link InvalidParameterError} if n is out of range.
   */
  integer(n: number): number {
    if (!Number.isSafeInteger(n) || n < 1 || n > 4294967296) {
      throw new InvalidParameterError('n', n, 'an integer between 1 and 2^32');
    }
    const limit = 4294967296 - (4294967296 % n);
    let r = this.uint32();
    while (r >= limit) r = this.uint32();
    return r % n;
  }

  /** Standard normal deviate (mean 0, variance 1), Marsaglia's polar method. */
  normal(): number {
    if (this.hasSpare) {
      this.hasSpare = false;
      return this.spareNormal;
    }
    let u: number;
    let v: number;
    let s: number;
    do {
      u = 2 * this.uniform() - 1;
      v = 2 * this.uniform() - 1;
      s = u * u + v * v;
    } while (s >= 1 || s === 0);
    const f = Math.sqrt((-2 * Math.log(s)) / s);
    this.spareNormal = v * f;
    this.hasSpare = true;
    return u * f;
  }

  /**
   * k distinct indices drawn uniformly from [0, n), in draw order (a partial
   * Fisher–Yates shuffle).
   *
   * @param n - Population size.
   * @param k - How many to draw, 0 ≤ k ≤ n.
   * @returns The indices.
   */
  sampleWithoutReplacement(n: number, k: number): Int32Array {
    if (k > n) throw new InvalidParameterError('k', k, `at most the population size ${n}`);
    const pool = new Int32Array(n);
    for (let i = 0; i < n; i++) pool[i] = i;
    for (let i = 0; i < k; i++) {
      const j = i + this.integer(n - i);
      const t = pool[i];
      pool[i] = pool[j];
      pool[j] = t;
    }
    return pool.slice(0, k);
  }

  /**
   * Index drawn with probability proportional to `weights` (non-negative,
   * positive sum), by inverse transform on the running sum.
   *
   * @param weights - Non-negative weights.
   * @returns An index i with weights[i] > 0.
   */
  categorical(weights: ArrayLike<number>): number {
    let total = 0;
    for (let i = 0; i < weights.length; i++) total += weights[i];
    const target = this.uniform() * total;
    let acc = 0;
    let last = -1;
    for (let i = 0; i < weights.length; i++) {
      const w = weights[i];
      if (w <= 0) continue;
      acc += w;
      last = i;
      if (target < acc) return i;
    }
    return last;
  }
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}

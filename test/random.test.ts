import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InvalidParameterError, Random } from '../src/index.js';

// Vectors from an independent Python implementation (test/fixtures/prng/generate.py),
// itself checked against the published xoshiro128** and SplitMix64 test vectors.
const vectors = JSON.parse(readFileSync(new URL('./fixtures/prng/vectors.json', import.meta.url), 'utf8')) as Record<
  string,
  { uint32: number[]; uniform: number[]; normal: number[] }
>;

describe('Random (xoshiro128** seeded by SplitMix64)', () => {
  for (const [seed, v] of Object.entries(vectors)) {
    it(`reproduces the reference stream for seed ${seed}`, () => {
      let g = new Random(Number(seed));
      expect(v.uint32.map(() => g.uint32())).toEqual(v.uint32);
      g = new Random(Number(seed));
      expect(v.uniform.map(() => g.uniform())).toEqual(v.uniform);
      g = new Random(Number(seed));
      expect(v.normal.map(() => g.normal())).toEqual(v.normal);
    });
  }

  it('rejects seeds that are not integers in [0, 2^53)', () => {
    for (const bad of [-1, 1.5, NaN, 2 ** 53, Infinity]) expect(() => new Random(bad)).toThrow(InvalidParameterError);
    expect(() => new Random(-1)).toThrow(/seed must be an integer between 0 and 2\^53 - 1; got -1/);
  });

  it('uniform draws are in [0, 1) with mean ½ and variance 1/12', () => {
    const g = new Random(3);
    const u = Array.from({ length: 100_000 }, () => g.uniform());
    expect(u.every((x) => x >= 0 && x < 1)).toBe(true);
    const mean = u.reduce((a, b) => a + b, 0) / u.length;
    const variance = u.reduce((a, b) => a + (b - mean) ** 2, 0) / u.length;
    expect(Math.abs(mean - 0.5)).toBeLessThan(5 * Math.sqrt(1 / 12 / u.length));
    expect(Math.abs(variance - 1 / 12)).toBeLessThan(0.002);
  });

  it('normal draws have mean 0, variance 1 and Gaussian tails', () => {
    const g = new Random(4);
    const z = Array.from({ length: 200_000 }, () => g.normal());
    const mean = z.reduce((a, b) => a + b, 0) / z.length;
    const variance = z.reduce((a, b) => a + (b - mean) ** 2, 0) / z.length;
    expect(Math.abs(mean)).toBeLessThan(5 / Math.sqrt(z.length));
    expect(Math.abs(variance - 1)).toBeLessThan(5 * Math.sqrt(2 / z.length));
    const beyond2 = z.filter((x) => Math.abs(x) > 2).length / z.length; // 0.0455
    expect(Math.abs(beyond2 - 0.0455)).toBeLessThan(0.003);
  });

  it('integer(n) is uniform on 0..n-1', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 7 }), fc.nat(), (n, seed) => {
        const g = new Random(seed);
        const counts = new Array<number>(n).fill(0);
        for (let i = 0; i < 7000; i++) counts[g.integer(n)]! += 1;
        for (const c of counts) expect(Math.abs(c - 7000 / n)).toBeLessThan(6 * Math.sqrt(7000 / n));
      }),
      { numRuns: 20, seed: 1 },
    );
  });

  it('sampleWithoutReplacement returns distinct indices in range', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 50 }), fc.nat(), (n, seed) => {
        const k = seed % (n + 1);
        const idx = Array.from(new Random(seed).sampleWithoutReplacement(n, k));
        expect(new Set(idx).size).toBe(k);
        expect(idx.every((i) => i >= 0 && i < n)).toBe(true);
      }),
      { seed: 2 },
    );
  });

  it('categorical never returns a zero-weight index and follows the weights', () => {
    const g = new Random(5);
    const weights = [0, 3, 0, 1];
    const counts = [0, 0, 0, 0];
    for (let i = 0; i < 40_000; i++) counts[g.categorical(weights)]! += 1;
    expect(counts[0]).toBe(0);
    expect(counts[2]).toBe(0);
    expect(Math.abs(counts[1]! / 40_000 - 0.75)).toBeLessThan(0.01);
  });
});

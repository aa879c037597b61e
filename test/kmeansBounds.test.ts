import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { columnMeans, createAssignStep } from '../src/engines/assign.js';
import { matrix, Random } from '../src/index.js';

/**
 * The WebAssembly assignment step keeps Hamerly's bounds between calls and
 * skips the rows they prove, and updates each chunk's sums by the rows that
 * changed label; a step called with `fresh` scans every row and sums them in
 * order. The labels, changes and counts must agree exactly, whatever the
 * centers do between calls; the sums to rounding (1e-12 of the data's scale).
 */
describe("k-means assignment with Hamerly's bounds", () => {
  it('gives the labels, changes, counts and (to rounding) sums of a full scan, call after call, as centers move, jump, tie and merge', () => {
    fc.assert(
      fc.property(
        fc.record({
          n: fc.integer({ min: 1, max: 160 }),
          d: fc.integer({ min: 1, max: 9 }),
          k: fc.integer({ min: 1, max: 7 }),
          grid: fc.boolean(), // small integers: many exact ties
          weighted: fc.boolean(),
          rowsPerChunk: fc.constantFrom(7, 16, 4096),
          seed: fc.nat({ max: 1_000_000 }),
          moves: fc.array(fc.constantFrom('still', 'tiny', 'small', 'large', 'copy', 'midpoint'), {
            minLength: 1,
            maxLength: 10,
          }),
        }),
        ({ n, d, k, grid, weighted, rowsPerChunk, seed, moves }) => {
          const rng = new Random(seed);
          const X = matrix(n, d);
          for (let t = 0; t < n * d; t++) X.data[t] = grid ? Math.floor(rng.uniform() * 4) : 5 * rng.normal() + (t % 3) * 20;
          const weights = weighted ? Float64Array.from({ length: n }, () => Math.floor(rng.uniform() * 3)) : null;
          const layout = { mean: columnMeans(X), rowsPerChunk };
          // The sums are of centered rows; adding and taking out rows rounds at most at this scale.
          let scale = 0;
          for (let i = 0; i < n; i++) {
            for (let j = 0; j < d; j++) scale += (weights ? weights[i]! : 1) * Math.abs(X.data[i * d + j]! - layout.mean[j]!);
          }
          const tolerance = 1e-12 * scale;
          const bounded = createAssignStep(X, weights, k, layout, 'wasm');
          const scan = createAssignStep(X, weights, k, layout, 'wasm');
          const centers = new Float64Array(k * d);
          for (let c = 0; c < k; c++) centers.set(X.data.subarray((c % n) * d, (c % n) * d + d), c * d);
          let previous: Int32Array | null = null;
          try {
            for (let step = 0; step <= moves.length; step++) {
              if (step > 0) move(centers, k, d, moves[step - 1]!, rng, grid);
              const ours = bounded.assignPartials(centers, step === 0);
              const theirs = scan.assignPartials(centers, true);
              expect(Array.from(bounded.labels)).toEqual(Array.from(scan.labels));
              ours.chunkSums.forEach((v, t) => expect(Math.abs(v - theirs.chunkSums[t]!)).toBeLessThanOrEqual(tolerance));
              expect(Array.from(ours.chunkCounts)).toEqual(Array.from(theirs.chunkCounts));
              const changed = previous ? bounded.labels.filter((l, i) => l !== previous![i]).length : n;
              expect(ours.changed).toBe(changed);
              previous = Int32Array.from(bounded.labels);
            }
          } finally {
            bounded.release();
            scan.release();
          }
        },
      ),
      { numRuns: 300, seed: 7 },
    );
  });
});

/** Moves the centers as Lloyd's might, and as it never would (exact copies and midpoints: ties). */
function move(centers: Float64Array, k: number, d: number, kind: string, rng: Random, grid: boolean): void {
  const scale = { still: 0, tiny: 1e-9, small: 0.3, large: 20 }[kind];
  if (scale !== undefined) {
    for (let t = 0; t < k * d; t++) centers[t] += scale * rng.normal();
    if (grid && kind !== 'tiny') for (let t = 0; t < k * d; t++) centers[t] = Math.round(2 * centers[t]!) / 2;
    return;
  }
  if (k < 2) return;
  const a = Math.floor(rng.uniform() * k);
  const b = (a + 1 + Math.floor(rng.uniform() * (k - 1))) % k;
  for (let j = 0; j < d; j++) {
    centers[a * d + j] = kind === 'copy' ? centers[b * d + j]! : (centers[a * d + j]! + centers[b * d + j]!) / 2;
  }
}

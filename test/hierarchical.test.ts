/**
 * The hierarchical start (`initParams: 'hc'`, src/fit/hierarchical.ts): its
 * partitions are nested, have k clusters, do not depend on the rows' order
 * (without ties), and merge identical rows first. (Agreement with mclust's
 * own hc is in mclust.test.ts.)
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hierarchyPartition, hierarchyVVV, svdScaled } from '../src/fit/hierarchical.js';
import { fitData, HC_MAX_ROWS } from '../src/fit/init.js';
import { adjustedRandIndex, GaussianMixture, makeBlobs, matrix } from '../src/index.js';

const problem = fc.record({
  n: fc.integer({ min: 2, max: 60 }),
  d: fc.integer({ min: 1, max: 4 }),
  seed: fc.integer({ min: 0, max: 10_000 }),
});

describe('model-based hierarchical clustering (VVV)', () => {
  it('cut at k it has k clusters, and each level refines the one above', () => {
    fc.assert(
      fc.property(problem, ({ n, d, seed }) => {
        const { X } = makeBlobs({ nSamples: n, nFeatures: d, nCenters: 3, seed });
        const h = hierarchyVVV(svdScaled(X));
        expect(h.merges).toHaveLength(2 * (n - 1));
        let above = hierarchyPartition(h, 1);
        expect(new Set(above).size).toBe(1);
        for (let k = 2; k <= Math.min(n, 8); k++) {
          const level = hierarchyPartition(h, k);
          expect(new Set(level).size).toBe(k);
          // Every cluster at k lies inside one cluster at k − 1.
          const parent = new Map<number, number>();
          level.forEach((l, i) => {
            if (!parent.has(l)) parent.set(l, above[i]!);
            expect(parent.get(l)).toBe(above[i]);
          });
          above = level;
        }
      }),
      { numRuns: 60, seed: 5 },
    );
  });

  it('does not depend on the order of the rows', () => {
    fc.assert(
      fc.property(problem, fc.integer({ min: 0, max: 1000 }), ({ n, d, seed }, shuffle) => {
        const { X } = makeBlobs({ nSamples: n, nFeatures: d, nCenters: 3, clusterStd: 1.3, seed });
        const order = Array.from({ length: n }, (_, i) => i);
        let s = shuffle + 1;
        for (let i = n - 1; i > 0; i--) {
          s = (s * 1103515245 + 12345) % 2147483648;
          const j = s % (i + 1);
          [order[i], order[j]] = [order[j]!, order[i]!];
        }
        const Y = matrix(n, d, Float64Array.from(order.flatMap((r) => Array.from(X.data.subarray(r * d, (r + 1) * d)))));
        const hx = hierarchyVVV(svdScaled(X));
        const hy = hierarchyVVV(svdScaled(Y));
        for (let k = 1; k <= Math.min(n, 5); k++) {
          const px = hierarchyPartition(hx, k);
          const py = hierarchyPartition(hy, k);
          expect(
            adjustedRandIndex(
              Int32Array.from(order, (r) => px[r]!),
              py,
            ),
          ).toBeCloseTo(1, 12);
        }
      }),
      { numRuns: 40, seed: 9 },
    );
  });

  it('takes duplicate rows and constant columns: the first merge is a pair of twins, every cost finite', () => {
    const { X } = makeBlobs({ nSamples: 40, nFeatures: 2, seed: 4 });
    const rows = Array.from({ length: 40 }, (_, i) => [...Array.from(X.data.subarray(i * 2, i * 2 + 2)), 7]);
    const data = [...rows, ...[3, 17, 29].map((i) => rows[i]!)];
    const Z = svdScaled(matrix(43, 3, Float64Array.from(data.flat())));
    expect(Z.cols).toBe(2);
    const h = hierarchyVVV(Z);
    // Three pairs tie at the least cost; as mclust, the last of its scan (the highest numbers) goes first.
    expect([h.merges[0], h.merges[1]]).toEqual([29, 42]);
    for (let k = 1; k <= 43; k++) expect(new Set(hierarchyPartition(h, k)).size).toBe(k);
    // Every column constant: nothing left to cluster on, yet a valid hierarchy.
    const flat = hierarchyVVV(svdScaled(matrix(5, 2, new Float64Array(10).fill(3))));
    expect(new Set(hierarchyPartition(flat, 2)).size).toBe(2);
  });

  it('initParams: hc on more than 2000 rows clusters a sample of 2000, and the start is still a mixture', () => {
    const { X } = makeBlobs({ nSamples: 2600, nFeatures: 2, nCenters: 3, seed: 6 });
    const data = fitData(X, null);
    expect(data.hierarchy.n).toBe(HC_MAX_ROWS);
    expect(new Set(data.hierarchy.rows).size).toBe(HC_MAX_ROWS);
    const start = new GaussianMixture({ nComponents: 3, initParams: 'hc', maxIter: 0 }).fit(X);
    expect(start.weights.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 14);
    const fitted = new GaussianMixture({ nComponents: 3, initParams: 'hc' }).fit(X);
    expect(fitted.converged).toBe(true);
  });

  it('initParams: hc needs no random draw: every run and every seed starts the same', () => {
    const { X } = makeBlobs({ nSamples: 300, nFeatures: 3, nCenters: 4, clusterStd: 2, seed: 8 });
    const a = new GaussianMixture({ nComponents: 4, initParams: 'hc', seed: 1, maxIter: 0 }).fit(X);
    const b = new GaussianMixture({ nComponents: 4, initParams: 'hc', seed: 2, maxIter: 0 }).fit(X);
    expect(Array.from(b.means.data)).toEqual(Array.from(a.means.data));
  });
});

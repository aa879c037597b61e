import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { adjustedRandIndex, ContingencyTable, KMeans, makeBlobs, toArrays } from '../src/index.js';
import { expectAllClose } from './helpers/allClose.js';
import { stretchedBlobs } from './helpers/problems.js';

function sqDist(a: number[], b: ArrayLike<number>): number {
  return a.reduce((s, v, i) => s + (v - b[i]!) ** 2, 0);
}

describe('KMeans', () => {
  it('ends with every row at its nearest center, the inertia of that assignment, and (strictly converged) centers at their means', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 5 }), fc.integer({ min: 1, max: 4 }), fc.nat({ max: 10_000 }), (k, d, seed) => {
        // Row counts of every remainder mod 4 (the assignment kernel takes rows four at a time).
        const X = stretchedBlobs(57 + (seed % 7), d, k, 1.5, seed);
        const model = new KMeans({ nClusters: k, seed, tol: 0 }).fit(X);
        const centers = Array.from({ length: k }, (_, j) => model.centers.data.subarray(j * d, (j + 1) * d));
        let inertia = 0;
        X.forEach((x, i) => {
          const own = sqDist(x, centers[model.labels[i]!]!);
          for (const c of centers) expect(own).toBeLessThanOrEqual(sqDist(x, c) + 1e-12);
          inertia += own;
        });
        expectAllClose(model.inertia, inertia, { rtol: 1e-12, label: 'inertia' });
        for (let j = 0; j < k; j++) {
          const members = X.filter((_, i) => model.labels[i] === j);
          expect(members.length).toBeGreaterThan(0);
          const mean = Array.from({ length: d }, (_, a) => members.reduce((s, x) => s + x[a]!, 0) / members.length);
          expectAllClose(centers[j], mean, { rtol: 1e-10, atol: 1e-10, label: `center ${j}` });
        }
      }),
      { numRuns: 50, seed: 1 },
    );
  });

  it('recovers well-separated blobs from k-means++ for any seed', () => {
    const { X, labels } = makeBlobs({
      nSamples: 400,
      centers: [
        [0, 0],
        [10, 0],
        [0, 10],
        [10, 10],
      ],
      clusterStd: 0.8,
      seed: 2,
    });
    for (let seed = 0; seed < 10; seed++) {
      expect(adjustedRandIndex(labels, new KMeans({ nClusters: 4, seed }).fit(X).labels)).toBe(1);
    }
  });

  it('is deterministic for a seed, and more runs never give a higher inertia', () => {
    const X = stretchedBlobs(200, 3, 5, 2, 3);
    const one = new KMeans({ nClusters: 5, init: 'random', nInit: 1, seed: 9 }).fit(X);
    expect(new KMeans({ nClusters: 5, init: 'random', nInit: 1, seed: 9 }).fit(X)).toEqual(one);
    const many = new KMeans({ nClusters: 5, init: 'random', nInit: 10, seed: 9 }).fit(X);
    expect(many.inertia).toBeLessThanOrEqual(one.inertia);
    expect(new KMeans({ nClusters: 5, init: 'random' }).nInit).toBe(10);
    expect(new KMeans({ nClusters: 5 }).nInit).toBe(1);
  });

  it('treats an integer sample weight as repeated rows', () => {
    const X = stretchedBlobs(50, 2, 3, 1, 4);
    const w = X.map((_, i) => 1 + (i % 3));
    const init = [X[0]!, X[20]!, X[40]!];
    const weighted = new KMeans({ nClusters: 3, init, tol: 0 }).fit(X, { sampleWeight: w });
    const repeated = new KMeans({ nClusters: 3, init, tol: 0 }).fit(X.flatMap((x, i) => Array.from({ length: w[i]! }, () => x)));
    expectAllClose(weighted.centers.data, repeated.centers.data, { rtol: 1e-12, label: 'centers' });
    expectAllClose(weighted.inertia, repeated.inertia, { rtol: 1e-12, label: 'inertia' });
  });

  it('relocates an empty cluster to the farthest point', () => {
    const X = toArrays(
      makeBlobs({
        nSamples: 90,
        centers: [
          [0, 0],
          [8, 0],
          [0, 8],
        ],
        seed: 5,
      }).X,
    );
    // The third initial center is so far away that no row chooses it.
    const model = new KMeans({
      nClusters: 3,
      init: [
        [0, 0],
        [4, 4],
        [1000, 1000],
      ],
      tol: 0,
    }).fit(X);
    expect(new Set(model.labels).size).toBe(3);
  });

  it('stops early with a loose relative tolerance', () => {
    const X = stretchedBlobs(300, 2, 6, 3, 6);
    const loose = new KMeans({ nClusters: 6, tol: 10, seed: 1 }).fit(X);
    const tight = new KMeans({ nClusters: 6, tol: 0, seed: 1 }).fit(X);
    expect(loose.nIter).toBeLessThan(tight.nIter);
    expect(loose.converged).toBe(true);
  });
});

describe('adjustedRandIndex', () => {
  it("matches scikit-learn's adjusted_rand_score", () => {
    expect(adjustedRandIndex([0, 0, 1, 1], [0, 0, 1, 2])).toBeCloseTo(0.5714285714285714, 14);
    expect(adjustedRandIndex([0, 0, 1, 2], [0, 0, 1, 1])).toBeCloseTo(0.5714285714285714, 14);
    expect(adjustedRandIndex([0, 0, 0, 0], [0, 1, 2, 3])).toBe(0);
    expect(adjustedRandIndex([0, 0, 1, 1], [0, 1, 0, 1])).toBeCloseTo(-0.5, 14);
    expect(adjustedRandIndex([0, 0, 1, 1, 2, 2, 2], [5, 5, 3, 3, 3, 7, 7])).toBeCloseTo(0.475, 14);
  });
  it('is 1 for the same partition under any renaming of labels', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 4 }), { minLength: 2, maxLength: 40 }), (labels) => {
        expect(
          adjustedRandIndex(
            labels,
            labels.map((l) => 10 - 3 * l),
          ),
        ).toBe(1);
      }),
      { seed: 3 },
    );
  });
  it('a ContingencyTable fed the labelings piece by piece gives the index of the whole labelings, bit for bit', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 0, max: 5 }), fc.integer({ min: 0, max: 3 })), { minLength: 2, maxLength: 200 }),
        fc.integer({ min: 1, max: 50 }),
        (pairs, piece) => {
          const table = new ContingencyTable();
          for (let at = 0; at < pairs.length; at += piece) {
            const part = pairs.slice(at, at + piece);
            table.add(
              part.map(([t]) => `class ${t}`),
              part.map(([, p]) => p),
            );
          }
          const whole = adjustedRandIndex(
            pairs.map(([t]) => t),
            pairs.map(([, p]) => p),
          );
          expect(table.adjustedRandIndex()).toBe(whole);
        },
      ),
      { seed: 5 },
    );
    expect(() => new ContingencyTable().adjustedRandIndex()).toThrow(/at least 2 labels/);
    expect(() => new ContingencyTable().add(['a'], [0, 1])).toThrow(/same length/);
  });
});

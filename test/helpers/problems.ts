import fc from 'fast-check';
import { makeBlobs, Random, toArrays, type CovarianceFamily } from '../../src/index.js';
import { inverse, type Mat } from './naive.js';

/** A random small clustering problem: blobs, linearly stretched. */
export interface Problem {
  type: CovarianceFamily;
  k: number;
  X: number[][];
  seed: number;
}

/** fast-check arbitrary of small problems of every covariance type (some nearly degenerate unless `wellConditioned`). */
export function problems({ maxD = 4, maxK = 4, minN = 12, maxN = 80, wellConditioned = false } = {}): fc.Arbitrary<Problem> {
  return fc
    .record({
      type: fc.constantFrom<CovarianceFamily>('full', 'tied', 'diag', 'spherical'),
      k: fc.integer({ min: 1, max: maxK }),
      d: fc.integer({ min: 1, max: maxD }),
      n: fc.integer({ min: minN, max: maxN }),
      seed: fc.nat({ max: 1_000_000 }),
      spread: fc.double({ min: 0.3, max: 3, noNaN: true }),
    })
    .map(({ type, k, d, n, seed, spread }) => {
      // Well conditioned: enough rows per parameter that no component is near-singular, so
      // rounding differences stay at rounding level instead of being amplified by EM.
      const rows = wellConditioned ? Math.max(n, 8 * k * (d + 1)) : n;
      return { type, k, X: stretchedBlobs(rows, d, k, spread, seed), seed };
    });
}

/** Blobs with random centers, then a random linear map (so clusters are ellipses). */
export function stretchedBlobs(n: number, d: number, k: number, spread: number, seed: number): number[][] {
  const { X } = makeBlobs({ nSamples: n, nCenters: k, nFeatures: d, clusterStd: spread, seed });
  const rng = new Random(seed + 1);
  const A = Array.from({ length: d }, (_, a) => Array.from({ length: d }, (_, b) => (a === b ? 1 : 0) + 0.6 * rng.normal()));
  return toArrays(X).map((x) => A.map((row) => row.reduce((s, v, b) => s + v * x[b]!, 0)));
}

/** Column means and covariance (population) of X. */
export function moments(X: number[][]): { mean: number[]; cov: Mat } {
  const n = X.length;
  const d = X[0]!.length;
  const mean = Array.from({ length: d }, (_, a) => X.reduce((s, x) => s + x[a]!, 0) / n);
  const cov = Array.from({ length: d }, (_, a) =>
    Array.from({ length: d }, (_, b) => X.reduce((s, x) => s + (x[a]! - mean[a]!) * (x[b]! - mean[b]!), 0) / n),
  );
  return { mean, cov };
}

/** A fully given starting point (weights, means, precisions) for a problem: fits from it are deterministic. */
export function fixedStart(p: Problem): { weightsInit: number[]; meansInit: number[][]; precisionsInit: unknown[] } {
  const { X, k, type } = p;
  const d = X[0]!.length;
  const rng = new Random(p.seed + 2);
  const raw = Array.from({ length: k }, () => 0.5 + rng.uniform());
  const total = raw.reduce((a, b) => a + b, 0);
  const weightsInit = raw.map((w) => w / total);
  const meansInit = Array.from(rng.sampleWithoutReplacement(X.length, k), (i) => [...X[i]!]);
  const { cov } = moments(X);
  for (let a = 0; a < d; a++) cov[a]![a]! += 1e-3;
  const precision = inverse(cov);
  const variances = cov.map((row, a) => row[a]!);
  const precisionsInit: unknown[] = {
    full: Array.from({ length: k }, () => precision.map((r) => [...r])),
    tied: precision,
    diag: Array.from({ length: k }, () => variances.map((v) => 1 / v)),
    spherical: Array.from({ length: k }, () => d / variances.reduce((a, b) => a + b, 0)),
  }[type];
  return { weightsInit, meansInit, precisionsInit };
}
